-- The columns of one Parquet file and their DuckDB types (from its footer; no row is read).
SELECT column_name, column_type
FROM (DESCRIBE SELECT * FROM read_parquet($file))
