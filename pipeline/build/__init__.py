"""One DuckDB step per output table, its .sql file beside it; returns tables, writes nothing."""
