"""werkdata's application layer: the Prefect flows and the `werkdata` command line."""
