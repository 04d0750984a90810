-- How many respondent_id values occur more than once.
SELECT count(*) AS duplicated
FROM (
    SELECT {respondent_id}
    FROM read_parquet($files)
    WHERE {respondent_id} IS NOT NULL
    GROUP BY {respondent_id}
    HAVING count(*) > 1
) AS repeated
