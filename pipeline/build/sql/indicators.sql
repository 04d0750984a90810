-- indicators: one row per indicator. Input: raw/codelists/indicators.csv.
SELECT indicator_id, theme_id, label_nl, label_en, unit, direction, item_id, count_codes,
    exclude_codes
FROM raw_indicators
ORDER BY indicator_id
