-- themes: one row per theme. Input: raw/codelists/themes.csv.
SELECT theme_id, label_nl, label_en
FROM raw_themes
ORDER BY theme_id
