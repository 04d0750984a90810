-- The strata with a single PSU over all files (R's survey package refuses them: the variance
-- of a stratum needs two PSUs), from `file_units`, every file's respondents per stratum x PSU
-- (respondents_per_psu.sql): a stratum's PSUs may lie in different files. {units} counts the PSUs
-- of a stratum: count(DISTINCT psu) or, without a psu column, sum(respondents) (each
-- respondent a PSU).
WITH strata AS (
    SELECT stratum, {units} AS units, sum(respondents) AS respondents
    FROM file_units
    GROUP BY stratum
    HAVING {units} = 1
)
SELECT count(*) OVER () AS total, stratum, respondents
FROM strata
ORDER BY stratum NULLS FIRST
LIMIT $cap
