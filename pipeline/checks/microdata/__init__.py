"""Validation of an edition's respondent data at scale: DuckDB queries over the Parquet file(s),
derived from the code lists (leaf populations, item scales, breakdown values) and edition.yaml's
design columns (docs/design.md, "Validating microdata"). Nothing loops over respondents in
Python.

Three steps, so that the work on the rows runs where each file is read (a Dask worker, on a
cluster) and only small results come back:
- plan.py (in the flow): the columns of every file from its footer (readable, the same in
  every file, the right types) and the row checks; one FilePart per file.
- part.py (per file): one counting query over every row rule and column (a UNION ALL of
  one-column filtered counts, which DuckDB pushes into the Parquet scan); for the rules it found
  broken only, their first rows; a keyed hash of each respondent_id (HMAC-SHA256 under a key
  made per validation, id_key.py); respondents per stratum x PSU.
- merge.py (in the flow): counts added, the first rows over all files, duplicate ids across
  files (a repeated hash, confirmed by an exact GROUP BY only then) and strata with a single PSU
  over all files.
What comes back separates the respondent ids (local) from the counts (public): report.py.
section.py checks edition.yaml's `microdata:` section; editions.py runs the three steps for
every edition of a project and writes the local log. The queries are in sql/, each named by
what it returns; fragments.sql holds the named conditions of the row rules.
"""
