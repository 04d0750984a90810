-- How many respondent rows break one row rule in one column: a branch of the counting query
-- (broken_counts.sql), its condition one of fragments.sql.
SELECT $r{k} AS rule, $c{k} AS column_name, count(*) AS broken
FROM read_parquet($files)
WHERE {condition}
