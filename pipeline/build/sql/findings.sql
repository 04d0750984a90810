-- findings: one row per edition x population x indicator.
-- Inputs: raw/<year>/findings.csv (all editions), the code lists indicators, populations, sources.
-- change_pp compares with the most recent earlier edition that has a value for the same
-- indicator and population; $change_digits rounds away binary noise (68.3 - 65.1).
WITH observed AS (
    SELECT
        f.*,
        last_value(f.value IGNORE NULLS) OVER earlier AS previous_value,
        last_value(CASE WHEN f.value IS NOT NULL THEN f.edition END IGNORE NULLS)
            OVER earlier AS previous_edition
    FROM raw_findings AS f
    WINDOW earlier AS (
        PARTITION BY f.population_id, f.indicator_id
        ORDER BY f.edition
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    )
)
SELECT
    o.edition,
    o.population_id,
    o.indicator_id,
    i.theme_id,
    i.label_nl AS indicator_label_nl,
    i.label_en AS indicator_label_en,
    p.label_nl AS population_label_nl,
    p.label_en AS population_label_en,
    o.value,
    i.unit,
    o.status,
    o.value_label,
    round(o.value - o.previous_value, $change_digits) AS change_pp,
    CASE WHEN o.value IS NOT NULL THEN o.previous_edition END AS change_from_edition,
    o.source_id,
    s.url AS source_url,
    o.confidence,
    o.statement_nl,
    o.note
FROM observed AS o
JOIN raw_indicators AS i USING (indicator_id)
JOIN raw_populations AS p USING (population_id)
JOIN raw_sources AS s USING (source_id)
ORDER BY o.edition, o.population_id, o.indicator_id
