-- Whether each of some columns of a respondent CSV file holds whole numbers only (or nothing): such
-- an id, stratum or PSU column is typed as an integer, as SPSS and Stata hold it, so that one
-- set of respondents gives one typed copy in every format. {checks} is one
-- `bool_and(...) AS "<column>"` per column, each a checked, quoted name; the rest is bound.
SELECT {checks}
FROM read_csv(
    $file,
    delim = $delimiter,
    header = true,
    quote = '"',
    escape = '"',
    auto_detect = false,
    columns = $columns
)
