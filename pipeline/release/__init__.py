"""The only writer of published/: the records and their readers, the pins, the package,
versioning, the store (lock, staging, rename, derived files), verify, the input fingerprint and
queries of a release."""
