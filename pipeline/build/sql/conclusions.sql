-- conclusions: one row per edition x kind x position. Input: raw/<year>/conclusions.csv.
SELECT edition, kind, position, theme_id, text_nl, text_en
FROM raw_conclusions
ORDER BY edition, kind DESC, position
