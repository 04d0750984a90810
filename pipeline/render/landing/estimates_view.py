"""The landing page's estimates section: the view of the `estimates` table (national figures,
the featured ones as a chart, a table per breakdown of the example indicator), with suppressed
and unreliable cells in words, never symbols."""

from __future__ import annotations

import re
from collections import defaultdict

import pyarrow as pa
import pyarrow.compute as pc

from pipeline.core.breakdowns import TOTAL, UNKNOWN
from pipeline.render import templating
from pipeline.render.landing import charts
from pipeline.render.landing.text import (
    estimate_key,
    fixed,
    number,
    rows,
)
from pipeline.render.protocol import Release

# How many national figures the chart shows when no indicator has a transcribed figure.
FEATURED = 12


def disclosure(release: Release) -> tuple[int, int, int, int | None]:
    """The threshold of disclosure control, the effective sample size under which a cell is of
    low reliability, the sensitive threshold (the package's `disclosure`, else 10, 30, 5) and
    the decimals the figures are rounded to (None: a release from before rounding, published
    at full precision)."""
    stated = release.descriptor.get("disclosure") or {}
    return (*(stated.get(k, d) for k, d in DEFAULTS), stated.get("decimals"))  # type: ignore[return-value]


DEFAULTS = (("threshold", 10), ("low_reliability_n_eff", 30), ("sensitive_threshold", 5))
# Every suppressed cell in the same words, whatever rule suppressed it (D9): a reason per cell
# ("fewer than 10", "protects another cell") tells an attacker that the cell is small or that a
# sensitive rule fired.
SUPPRESSED = "onderdrukt om respondenten te beschermen / suppressed to protect respondents"


def estimate_cells(row: dict, words: dict, decimals: int = 1) -> dict:
    """An estimate as the tables show it: value and interval at `decimals` and respondents as
    text, or, when it is suppressed, the one phrase for every suppressed cell (never a symbol,
    never a reason); its status in words ("" for A)."""
    if row["status"] == "Q" or row["value"] is None:
        return {"key": estimate_key(row), "suppressed": words["Q"], "status": ""}
    return {
        "key": estimate_key(row),
        "suppressed": None,
        "value": f"{fixed(row['value'], decimals)}%",
        "interval": f"{fixed(row['ci_low'], decimals)}\u2013{fixed(row['ci_high'], decimals)}%",
        "respondents": number(row["respondents"]),
        "status": words.get(row["status"], ""),
    }


def natural(value: str) -> tuple:
    """The order of a breakdown's values: by the first number in the code (an upper bound
    `tot25` before `25_34`), else by code; `onbekend` last."""
    found = re.search(r"\d+", value)
    if value == UNKNOWN or found is None:
        return (2 if value == UNKNOWN else 1, 0, False, value)
    return (0, int(found.group()), found.start() == 0, value)


def estimates(release: Release) -> dict | None:
    """The estimates section: the national figures (root populations, `totaal`) of the latest
    edition, the featured ones as a chart and a table and the rest in a collapsed table, and a
    table per breakdown for the example indicator; None when the release has no estimates."""
    table = release.tables.get("estimates")
    if table is None or table.num_rows == 0:
        return None
    threshold, n_eff, sensitive, decimals = disclosure(release)
    digits = 1 if decimals is None else decimals  # the decimals of the figures on the page
    method = templating.environment("pipeline.render").get_template("estimates.md").module
    words = {
        "U": f"onbetrouwbaar: effectieve steekproef onder {n_eff} / low reliability",
        "Q": SUPPRESSED,
    }
    edition = max(table.column("edition").to_pylist())
    roots = [p["population_id"] for p in rows(release, "populations") if not p.get("parent_id")]
    latest = table.filter(pc.equal(table["edition"], edition))
    mine = latest.filter(pc.is_in(latest["population_id"], pa.array(roots, pa.string())))
    national: dict[str, list[dict]] = defaultdict(list)
    split: dict[str, list[dict]] = defaultdict(list)  # by indicator, breakdown rows only
    mine_rows = mine.to_pylist()
    for r in sorted(mine_rows, key=lambda r: roots.index(r["population_id"])):
        (national if r["breakdown_id"] == TOTAL else split)[r["indicator_id"]].append(r)
    indicators = [i for i in rows(release, "indicators") if national[i["indicator_id"]]]
    transcribed = {f["indicator_id"] for f in rows(release, "findings")}
    featured = [i for i in indicators if i.get("item_id") and i["indicator_id"] in transcribed]
    example = release.meta["example"]["indicator_id"]
    if not featured:  # no transcribed figure to match: the example, then the first by code
        featured = sorted(indicators, key=lambda i: i["indicator_id"] != example)[:FEATURED]
    rest = [i for i in indicators if i not in featured]

    def national_rows(group: list[dict]) -> list[dict]:
        return [
            {"indicator": i["label_nl"], "population": r["population_label_nl"]}
            | estimate_cells(r, words, digits)
            for i in group
            for r in national[i["indicator_id"]]
        ]

    if not split[example]:
        example = next((i["indicator_id"] for i in indicators if split[i["indicator_id"]]), "")
    breakdowns = []
    for bid in sorted({r["breakdown_id"] for r in split[example]}):
        own = [r for r in split[example] if r["breakdown_id"] == bid]
        own.sort(key=lambda r: (roots.index(r["population_id"]), natural(r["breakdown_value"])))
        cells = [
            {"population": r["population_label_nl"], "nl": r["breakdown_label_nl"]}
            | {"en": r["breakdown_label_en"]}
            | estimate_cells(r, words, digits)
            for r in own
        ]
        breakdowns.append({"breakdown_id": bid, "rows": cells})
    shown = {r["population_id"] for r in mine_rows}
    # The example by one breakdown in every population, small cells too: the breakdown with the
    # most suppressed cells, so that the page shows what suppression looks like.
    own = latest.filter(pc.equal(latest["indicator_id"], example)).to_pylist()
    hidden = defaultdict(int)
    for r in own:
        hidden[r["breakdown_id"]] += r["status"] == "Q"
    choices = sorted(b["breakdown_id"] for b in breakdowns)
    first = max(choices, key=lambda b: (hidden[b], -choices.index(b)), default=None)
    everywhere = [
        {"population": r["population_label_nl"], "nl": r["breakdown_label_nl"]}
        | {"en": r["breakdown_label_en"]}
        | estimate_cells(r, words, digits)
        for r in sorted(own, key=lambda r: (r["population_id"], natural(r["breakdown_value"])))
        if r["breakdown_id"] == first
    ]
    return {
        "edition": edition,
        "several": len(shown) > 1,
        "chart": charts.interval_chart(
            edition, featured, national, words["Q"].split(" / ")[0], digits
        ),
        "featured": national_rows(featured),
        "rest": national_rows(rest),
        "example": next((i for i in indicators if i["indicator_id"] == example), None),
        "breakdowns": breakdowns,
        "everywhere": {"breakdown_id": first, "rows": everywhere},
        "words": words,
        "method_nl": str(method.nl(threshold, n_eff, sensitive, decimals)),
        "method_en": str(method.en(threshold, n_eff, sensitive, decimals)),
    }
