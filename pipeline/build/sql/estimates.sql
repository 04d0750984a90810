-- estimates: one row per edition x population x breakdown value x indicator, computed from the
-- respondents' answers (pipeline/estimate/), with the labels of the code lists.
-- Input: raw_estimates (the engine's cells with their edition, marked by disclosure control:
-- a suppressed cell has value, interval, se, df and respondents null, status Q, conf_status C;
-- share, interval bounds and se rounded to the stated decimals by pipeline/build/transform.py).
-- The implicit breakdown values totaal and onbekend are labelled here, where they are defined.
SELECT
    e.edition,
    e.population_id,
    e.breakdown_id,
    e.breakdown_value,
    e.indicator_id,
    i.theme_id,
    i.label_nl AS indicator_label_nl,
    i.label_en AS indicator_label_en,
    p.label_nl AS population_label_nl,
    p.label_en AS population_label_en,
    CASE e.breakdown_value
        WHEN 'totaal' THEN 'Totaal'
        WHEN 'onbekend' THEN 'Onbekend'
        ELSE b.label_nl
    END AS breakdown_label_nl,
    CASE e.breakdown_value
        WHEN 'totaal' THEN 'Total'
        WHEN 'onbekend' THEN 'Unknown'
        ELSE b.label_en
    END AS breakdown_label_en,
    e.share AS value,
    i.unit,
    e.respondents,
    e.ci_low,
    e.ci_high,
    e.se,
    e.df,
    e.status,
    e.conf_status
FROM raw_estimates AS e
JOIN raw_indicators AS i USING (indicator_id)
JOIN raw_populations AS p USING (population_id)
LEFT JOIN raw_breakdowns AS b
    ON b.breakdown_id = e.breakdown_id AND b.value = e.breakdown_value
ORDER BY e.edition, e.population_id, e.breakdown_id, e.breakdown_value, e.indicator_id
