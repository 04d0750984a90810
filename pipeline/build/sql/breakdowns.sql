-- breakdowns: one row per value of each breakdown. Input: raw/codelists/breakdowns.csv.
SELECT breakdown_id, value, label_nl, label_en
FROM raw_breakdowns
ORDER BY breakdown_id, value
