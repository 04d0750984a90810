"""What the earlier releases published of each edition's estimates, for disclosure control of
the next one (D11, docs/disclosure.md "Revisions"): every release stays public, so a new release
of an edition is protected together with every earlier release that published it.

Read from the version folders under `published/<dataset>/` (never `latest`), each through its
own datapackage.json: the `estimates` table as Parquet where the release lists it, else as CSV.
A cell counts as published by a release when its row has `conf_status` F; the flags A and D of
releases from before the attacker-proof rules are left out (and a release without conf_status
gives nothing): those releases are outside the guarantee. Per cell and release: its
respondents, and for an indicator of a sensitive item the count of counted answers an attacker
reads, round(value x respondents / 100); a cell flagged C is suppressed under the thresholds the
release states (the audit holds it to them when they are lower than today's).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pyarrow as pa

from pipeline.core.errors import IntegrityError
from pipeline.disclose import DisclosureConfig, Earlier, Key
from pipeline.release.records import read_descriptor, versions

COLUMNS = (
    "edition",
    "population_id",
    "breakdown_id",
    "breakdown_value",
    "indicator_id",
    "value",
    "respondents",
    "conf_status",
)
TYPES = {
    **dict.fromkeys(COLUMNS, pa.string()),
    "edition": pa.int64(),
    "value": pa.float64(),
    "respondents": pa.int64(),
}
PUBLISHED = "F"  # SDMX CONF_STATUS free: the only flag of a published cell
SUPPRESSED = "C"  # confidential, whatever rule suppressed it
TABLE = "estimates"

EarlierCells = dict[int, dict[Key, tuple[Earlier, ...]]]


def reading(value: float, respondents: int) -> int:
    """The count of counted answers an attacker reads from a published share (percent) and its
    respondents: exact under equal weights while the rounding of the share allows."""
    return round(value * respondents / 100)


def earlier_of(
    releases: Mapping[str, tuple[Iterable[Mapping], Mapping]], sensitive_indicators: set[str]
) -> EarlierCells:
    """{edition: {cell: what each release showed of it, in the order of `releases`}} from each
    release's estimates rows and its disclosure settings ({version: (rows, settings)}, the
    settings as datapackage.json states them). A row flagged F is published; one flagged C
    suppressed under the release's thresholds; any other flag (before the attacker-proof
    rules) is left out."""
    out: EarlierCells = {}
    for version, (rows, settings) in releases.items():
        stated = DisclosureConfig.from_json(dict(settings))
        thresholds = {
            "threshold": stated.threshold,
            "sensitive_threshold": stated.sensitive_threshold,
        }
        for row in rows:
            flag, n = row.get("conf_status"), row.get("respondents")
            if flag == SUPPRESSED:
                shown = Earlier(version, None, **thresholds)
            elif flag == PUBLISHED and n is not None:
                counted = None
                if row["indicator_id"] in sensitive_indicators and row.get("value") is not None:
                    counted = reading(float(row["value"]), int(n))
                shown = Earlier(version, int(n), counted, **thresholds)
            else:
                continue
            key = tuple(row[c] for c in COLUMNS[1:5])
            cells = out.setdefault(int(row["edition"]), {})
            cells[key] = (*cells.get(key, ()), shown)
    return out


def release_rows(folder: Path) -> tuple[list[dict], dict]:
    """The estimates rows of one release folder as its datapackage.json lists them ([] for a
    release without estimates or without `conf_status`), and the disclosure settings it states
    ({} when none). IntegrityError naming the file when it cannot be read."""
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    descriptor = read_descriptor(folder)
    settings = descriptor.get("disclosure")
    settings = settings if isinstance(settings, dict) else {}
    try:
        DisclosureConfig.from_json(settings)
    except ValueError as error:
        raise IntegrityError([f"{folder.name}/datapackage.json: {error}"]) from None
    resources = {r["name"]: r for r in descriptor["resources"]}
    resource = resources.get(f"{TABLE}-parquet") or resources.get(TABLE)
    if resource is None:
        return [], settings
    path = folder / resource["path"]
    try:
        if resource["format"] == "parquet":
            names = pq.read_schema(path).names
            table = pq.read_table(path, columns=[c for c in COLUMNS if c in names])
        else:
            table = pcsv.read_csv(
                path,
                convert_options=pcsv.ConvertOptions(column_types=TYPES, strings_can_be_null=True),
            )
    except (pa.ArrowException, OSError) as error:
        shown = f"{folder.name}/{resource['path']}"
        raise IntegrityError([f"{shown}: cannot be read ({type(error).__name__})"]) from None
    if not set(COLUMNS) <= set(table.column_names):
        return [], settings  # before disclosure control: nothing flagged F
    return table.select(list(COLUMNS)).to_pylist(), settings


def earlier_cells(dataset: Path, sensitive_indicators: set[str]) -> EarlierCells:
    """What every release folder under `dataset` (oldest first) published of each edition."""
    return earlier_of(
        {version: release_rows(dataset / version) for version in versions(dataset)},
        sensitive_indicators,
    )


def new_readings(cells: pa.Table, decimals: int, sensitive_indicators: set[str]) -> dict[Key, int]:
    """What an attacker would read from the new release's own value of every cell of a
    sensitive indicator: round(round(share, decimals) x respondents / 100), the share rounded
    as it is published."""
    names = ("population_id", "breakdown_id", "breakdown_value", "indicator_id")
    out = {}
    for *key, share, n in zip(
        *(cells.column(name).to_pylist() for name in (*names, "share", "respondents")),
        strict=True,
    ):
        if key[3] in sensitive_indicators and share is not None and n is not None:
            out[tuple(key)] = reading(round(share, decimals), n)
    return out
