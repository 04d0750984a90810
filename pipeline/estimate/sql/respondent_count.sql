-- How many respondents the source holds (from the Parquet footers when it is Parquet files).
-- The braced field is filled in by partials.py: a checked, quoted table name or read_parquet()
-- of bound paths.
SELECT count(*) AS respondents FROM {source}
