-- How many finest groups (leaf x stratum x PSU x the values of every breakdown) the respondents
-- fall in: the numpy pass sizes its sums once from it when the respondents come in more than
-- one record batch, instead of growing (copying) them as later batches bring new groups.
-- The braced fields are filled in by partials.py: `respondents` is respondents.sql filled in
-- without answer columns, `keys` its checked, quoted key columns; values are bound parameters.
SELECT count(*) AS finest_groups FROM (SELECT DISTINCT {keys} FROM ({respondents}))
