-- statuses: one row per SDMX OBS_STATUS code used. Input: raw/codelists/statuses.csv.
SELECT status, label_nl, label_en, description_nl, description_en
FROM raw_statuses
ORDER BY status
