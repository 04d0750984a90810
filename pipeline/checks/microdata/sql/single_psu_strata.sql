-- The strata with a single PSU over all files that were not sampled with certainty (R's survey
-- package refuses them: the variance of a stratum needs two PSUs), from `file_units`, every
-- file's respondents per stratum x PSU (respondents_per_psu.sql): a stratum's PSUs may lie in
-- different files. {units} counts the PSUs of a stratum: count(DISTINCT psu) or, without a psu
-- column, sum(respondents) (each respondent a PSU). A stratum whose one unit is the whole of its
-- population (a constant fpc equal to its units, to R's $self_representing) was sampled with
-- certainty: it adds no variance and is no lonely PSU (pipeline/core/certainty.py).
WITH strata AS (
    SELECT stratum, {units} AS units, sum(respondents) AS respondents,
           min(fpc_min) AS fpc_min, max(fpc_max) AS fpc_max
    FROM file_units
    GROUP BY stratum
    HAVING {units} = 1
)
SELECT count(*) OVER () AS total, stratum, respondents
FROM strata
WHERE NOT coalesce(
    fpc_min = fpc_max AND fpc_min >= units AND (fpc_min - units) / fpc_min < $self_representing,
    false
)
ORDER BY stratum NULLS FIRST
LIMIT $cap
