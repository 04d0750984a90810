"""The only writer of published/, one module per thing it keeps: the readers of the records
(SHA256SUMS, datapackage.json, catalog.json), the pins, catalog.json and the files derived from
the set of versions, the package descriptor, versioning, publish (lock, staging, rename) and
verify."""
