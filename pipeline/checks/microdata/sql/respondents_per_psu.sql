-- The respondents of one file per stratum x PSU, and the range of their fpc: {stratum}, {psu}
-- and {fpc} are the design's columns or NULL. Small (one row per PSU), it is what the single-PSU
-- check over all files merges (single_psu_strata.sql), so that no respondent row has to leave
-- the file's worker.
SELECT CAST({stratum} AS VARCHAR) AS stratum, CAST({psu} AS VARCHAR) AS psu,
       count(*) AS respondents, min(CAST({fpc} AS DOUBLE)) AS fpc_min,
       max(CAST({fpc} AS DOUBLE)) AS fpc_max
FROM read_parquet($files)
GROUP BY ALL
