-- The columns both passes read from the wide respondent table: the leaf population, stratum and
-- PSU as text, the weight as a fixed-point integer (w * 2^shift rounded, at the edition's
-- scale: pipeline/core/weight_scale.py) held in DOUBLE, the fpc, each breakdown as text (a
-- missing value as its own `onbekend` value) and every answer column.
-- The braced fields are filled in by partials.py: every name in them is a checked, quoted
-- identifier and every value a bound parameter.
SELECT
    CAST({population} AS VARCHAR) AS __population,
    {stratum} AS __stratum,
    {psu} AS __psu,
    CAST(round({weight} * $weight_scale) AS DOUBLE) AS __w,
    CAST({fpc} AS DOUBLE) AS __fpc{breakdown_columns}{item_columns}
FROM {source}
