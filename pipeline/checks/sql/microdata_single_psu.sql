-- The strata with a single PSU (R's survey package refuses them: the variance of a stratum
-- needs two PSUs): {stratum} is the strata column or NULL (one stratum), {units} counts the
-- PSUs, count(DISTINCT psu) or, without a psu column, count(*) (each respondent a PSU).
WITH strata AS (
    SELECT CAST({stratum} AS VARCHAR) AS stratum, {units} AS units, count(*) AS respondents
    FROM read_parquet($files)
    GROUP BY 1
    HAVING {units} = 1
)
SELECT count(*) OVER () AS total, stratum, respondents
FROM strata
ORDER BY stratum NULLS FIRST
LIMIT $cap
