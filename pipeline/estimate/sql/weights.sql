-- The weight column of the respondents, as doubles: what the edition's fixed-point scale is
-- chosen from (pipeline/core/weight_scale.py). The braced fields are filled in by partials.py:
-- `weight` is a checked, quoted identifier and `source` a quoted name or read_parquet of a
-- bound list of paths.
SELECT CAST({weight} AS DOUBLE) AS w
FROM {source}
