-- Whether each of some columns of a respondent CSV file holds whole numbers only (or nothing): such
-- an id, stratum or PSU column is typed as an integer, as SPSS and Stata hold it, so that one
-- set of respondents gives one typed copy in every format. {checks} is one
-- `bool_and(...) AS "<column>"` per column, each a checked, quoted name; {rows} is csv_rows.sql,
-- whose values are bound.
SELECT {checks}
FROM ({rows})
