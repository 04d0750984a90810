-- One pass over the wide respondent table: per leaf population x breakdown value x stratum x PSU
-- (and per leaf x stratum x PSU for `totaal`), the sums of every indicator at once.
-- Weights are fixed-point integers (units of 1e-9) so that every sum is an exact integer sum:
-- the result does not depend on the order in which threads or partitions add it up.
-- The braced fields are filled in by partials.py: every name in them is a checked, quoted
-- identifier and every value a bound parameter.
WITH respondents AS (
    SELECT
        CAST({population} AS VARCHAR) AS __population,
        {stratum} AS __stratum,
        {psu} AS __psu,
        CAST(round({weight} * 1e9) AS BIGINT) AS __w,
        CAST(round({weight} * 1e9) AS HUGEINT) * CAST(round({weight} * 1e9) AS BIGINT) AS __ww,
        CAST({fpc} AS DOUBLE) AS __fpc{breakdown_columns}{item_columns}
    FROM {source}
)
SELECT
    {breakdown_id} AS __breakdown_id,
    {breakdown_value} AS __breakdown_value,
    __population,
    __stratum,
    __psu,
    count(*) AS __respondents,
    min(__fpc) AS __fpc_min,
    max(__fpc) AS __fpc_max{sums}
FROM respondents
GROUP BY GROUPING SETS ({grouping_sets})
ORDER BY ALL
