-- scales: one row per answer code of each answer scale. Input: raw/codelists/scales.csv.
SELECT scale_id, code, label_nl, label_en
FROM raw_scales
ORDER BY scale_id, code
