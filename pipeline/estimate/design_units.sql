-- Per stratum of the full design: its PSUs (or, without psu, its respondents) and its fpc.
-- Table: units (population_id, stratum, psu, respondents, fpc_min, fpc_max).
SELECT
    stratum,
    CAST(count(DISTINCT psu) AS BIGINT) AS psus,
    CAST(sum(respondents) AS BIGINT) AS respondents,
    min(fpc_min) AS fpc_min,
    max(fpc_max) AS fpc_max
FROM units
GROUP BY stratum
ORDER BY stratum NULLS FIRST
