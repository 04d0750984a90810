-- The first rows (by file, then row in the file) that break one row rule in one column: a
-- branch of first_broken_rows.sql, run only for the checks that the counts found broken.
(SELECT $r{k} AS rule, $c{k} AS column_name, filename AS file, file_row_number AS file_row,
        CAST({respondent_id} AS VARCHAR) AS respondent_id, CAST({column} AS VARCHAR) AS value
 FROM read_parquet($files, filename = true, file_row_number = true)
 WHERE {condition}
 ORDER BY filename, file_row_number
 LIMIT $cap)
