-- editions: one row per edition. Input: raw/<year>/edition.yaml, the year from the folder name.
SELECT
    edition, title_nl, title_en, carried_out_by, fieldwork_nl, fieldwork_en, publication_date,
    respondents, response_rate, invited_label, source_ids, notes_nl, notes_en
FROM raw_editions
ORDER BY edition
