-- The rows of a respondent CSV file (UTF-8: another encoding is decoded into a copy first), every
-- column as text under the header's names, in the file's order; the mapping types each column
-- from the contract (pipeline/ingest/microdata_map.py). Nothing is sniffed: the delimiter is
-- the declared one, the header is the first line, a quote is '"'. All values are bound.
SELECT *
FROM read_csv(
    $file,
    delim = $delimiter,
    header = true,
    quote = '"',
    escape = '"',
    auto_detect = false,
    columns = $columns
)
