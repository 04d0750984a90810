-- One pass over the wide respondent table at the finest grouping (leaf population x stratum x
-- PSU x the values of every breakdown at once), then the same sums rolled up from that small
-- result to each breakdown on its own (and `totaal`): per leaf x breakdown value x stratum x PSU.
-- Weights are fixed-point integers (at the edition's scale) held in DOUBLE: every sum is a sum of
-- integers below 2^53, hence exact, so the result does not depend on the order in which threads
-- or partitions add it up (partials.py checks the bound).
-- The braced fields are filled in by partials.py: `respondents` is respondents.sql filled in,
-- every name in them is a checked, quoted identifier and every value a bound parameter.
WITH respondents AS (
{respondents}
),
finest AS (
    SELECT
        __population,
        __stratum,
        __psu{breakdown_names},
        count(*) AS __respondents,
        sum(__w) AS __weight,
        min(__fpc) AS __fpc_min,
        max(__fpc) AS __fpc_max{sums}
    FROM respondents
    GROUP BY ALL
)
SELECT
    {breakdown_id} AS __breakdown_id,
    {breakdown_value} AS __breakdown_value,
    __population,
    __stratum,
    __psu,
    sum(__respondents) AS __respondents,
    sum(__weight) AS __weight,
    min(__fpc_min) AS __fpc_min,
    max(__fpc_max) AS __fpc_max{rolled}
FROM finest
GROUP BY GROUPING SETS ({grouping_sets})
ORDER BY ALL
