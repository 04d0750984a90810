-- The weight column of one file, as doubles: each file's count and exact sum of weights per
-- binary exponent, from which the merge finds the edition's fixed-point scale and the weights too
-- small beside its total (pipeline/core/weight_scale.py). {weight} is a checked, quoted
-- identifier; the file is a bound parameter.
SELECT CAST({weight} AS DOUBLE) AS w
FROM read_parquet($files)
