-- A 64-bit hash of every respondent_id of one file: equal ids hash equal, so the duplicate
-- check across files (a repeated hash, then the exact query of repeated_id_count.sql) needs
-- these and never the ids themselves.
SELECT hash({respondent_id}) AS id_hash
FROM read_parquet($files)
WHERE {respondent_id} IS NOT NULL
