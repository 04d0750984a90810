"""The read side of published/: queries on the latest release and the DuckDB shell in it, each
reading a release only after it passed its records and pins (never writing anything)."""
