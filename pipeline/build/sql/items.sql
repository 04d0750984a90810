-- items: one row per questionnaire item. Input: raw/codelists/items.csv.
SELECT item_id, label_nl, label_en, scale_id, sensitive
FROM raw_items
ORDER BY item_id
