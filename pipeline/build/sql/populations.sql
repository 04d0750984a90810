-- populations: one row per population. Input: raw/codelists/populations.csv.
SELECT population_id, label_nl, label_en, parent_id, breakdown_id, breakdown_value
FROM raw_populations
ORDER BY population_id
