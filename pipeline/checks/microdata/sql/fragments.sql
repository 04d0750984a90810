-- The SQL pieces of the microdata checks, each under a `-- name:` line: first, for every row
-- rule, the condition under which a respondent row breaks it; last, how the PSUs of a stratum
-- are counted over the files' respondents per stratum x PSU (with and
-- without a psu column). pipeline/checks/microdata/part.py fills in
-- {column} (a checked, quoted identifier) and {allowed} (a bound list parameter, e.g. $a3).
-- Each condition reads one column only, so that DuckDB can push it into the Parquet scan.
-- NaN is found by its text, not by isnan(): DuckDB 2.0 trusts a Parquet file's min/max, which
-- leave NaN out (as the Parquet spec says), and so prunes the rows that hold one from
-- `isnan(x)`, `x = 'nan'` or `x > 0` (https://github.com/duckdb/duckdb/issues/25521); a cast to text it cannot prune.
-- name: microdata-respondent-id-missing
{column} IS NULL
-- name: microdata-unknown-population
{column} IS NULL OR NOT list_contains(CAST({allowed} AS VARCHAR[]), {column})
-- name: microdata-unknown-breakdown-value
{column} IS NOT NULL AND NOT list_contains(CAST({allowed} AS VARCHAR[]), {column})
-- name: microdata-weight-missing
{column} IS NULL OR CAST({column} AS VARCHAR) IN ('nan', '-nan')
-- name: microdata-weight-not-positive
CAST({column} AS VARCHAR) NOT IN ('nan', '-nan') AND ({column} <= 0 OR isinf({column}))
-- name: microdata-design-value-missing
{column} IS NULL
-- name: microdata-fpc-not-positive
{column} IS NULL OR CAST({column} AS VARCHAR) IN ('nan', '-nan') OR {column} <= 0
    OR isinf({column})
-- name: microdata-code-outside-scale
{column} IS NOT NULL AND NOT list_contains(CAST({allowed} AS BIGINT[]), {column})
-- name: psus
count(DISTINCT psu)
-- name: respondents
sum(respondents)
