-- The first $cap respondent_id values that occur more than once (by their first row), with how
-- often and the file of their first row: run only when repeated_id_count.sql found some.
-- The repeated ids are found first (a plain GROUP BY), so that only their rows are read again
-- with their file and row number.
WITH repeated AS (
    SELECT {respondent_id} AS id
    FROM read_parquet($files)
    WHERE {respondent_id} IS NOT NULL
    GROUP BY {respondent_id}
    HAVING count(*) > 1
),
occurrences AS (
    SELECT {respondent_id} AS id, filename, file_row_number
    FROM read_parquet($files, filename = true, file_row_number = true)
    WHERE {respondent_id} IN (SELECT id FROM repeated)
)
SELECT
    CAST(id AS VARCHAR) AS respondent_id,
    count(*) AS times,
    min(struct_pack(file := filename, file_row := file_row_number)) AS first
FROM occurrences
GROUP BY id
ORDER BY first
LIMIT $cap
