-- Every row rule on every column it applies to, in one query: a UNION ALL of one-column
-- filtered counts (broken_count_branch.sql), so that each check is a filter in its own Parquet
-- scan of one column rather than an expression over every column of every row.
SELECT rule, column_name, broken
FROM ({branches}) AS counted
WHERE broken > 0
ORDER BY rule, column_name
