-- The first $cap broken rows of every rule that the counts found broken (a rule may span
-- several columns: the code-outside-scale rule spans every item), with their respondent ids.
-- Only for the terminal and the local log: nothing of this reaches a published file.
SELECT rule, column_name, file, file_row, respondent_id, value
FROM ({branches}) AS found
QUALIFY row_number() OVER (PARTITION BY rule ORDER BY file, file_row, column_name) <= $cap
ORDER BY rule, file, file_row, column_name
