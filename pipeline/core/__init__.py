"""Paths, configuration, named errors, problem records, schema files, file hashing and SQL
quoting. Imports nothing else of ours: every other stage may import it."""
