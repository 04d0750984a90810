-- conf_statuses: one row per SDMX CONF_STATUS code used. Input: raw/codelists/conf_statuses.csv.
SELECT conf_status, label_nl, label_en, description_nl, description_en
FROM raw_conf_statuses
ORDER BY conf_status
