-- sources: one row per source document. Input: raw/codelists/sources.csv.
SELECT source_id, title, publisher, url, published_date
FROM raw_sources
ORDER BY source_id
