"""Small microdata projects with hand-made respondents of EQUAL weights (a census), the case in
which a published share times its respondents is a count of answers exactly (docs/disclosure.md,
the attacker model). They start from what `pipeline.synth.write_project` writes (a valid project
with a sensitive item `v001` and a non-sensitive one `v_tevreden_organisatie`, both codes 1-5
and 9 "weet niet", counted 4 5), then replace its population tree and its respondent file."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.core.paths import Project
from pipeline.synth import write_project
from pipeline.synth.items import TARGET_EDITION
from tests.helpers import REPO

SENSITIVE_ITEM = "v001"  # "ongewenst gedrag ervaren": sensitive in the synthetic questionnaire
PLAIN_ITEM = "v_tevreden_organisatie"
SENSITIVE_INDICATOR = "eens_v001"
YES, NO = 4, 2  # a counted code and one that is not


@dataclass(frozen=True)
class Respondent:
    """One respondent: unit (a leaf population), sex (None: not given, counted as onbekend) and
    the answers to the sensitive and the plain item."""

    unit: str
    geslacht: str | None
    sensitive: int | None
    plain: int | None = 3


def group(count: int, unit: str, geslacht: str | None, yes: int) -> list[Respondent]:
    """`count` respondents of one unit and sex, the first `yes` answering yes to the sensitive
    item, the others no; half of them (rounded down) satisfied on the plain item."""
    return [
        Respondent(unit, geslacht, YES if k < yes else NO, YES if k % 2 else NO)
        for k in range(count)
    ]


def write_equal_weight_project(
    out: Path, parents: Mapping[str, str | None], respondents: Sequence[Respondent]
) -> Project:
    """A project under `out` whose one edition holds `respondents`, all of weight 1, each its own
    PSU, in the population tree `parents` (population -> parent, None at the root)."""
    write_project(Project.at(REPO), out, respondents=300, seed=1, items=4)
    lines = ["population_id,label_nl,label_en,parent_id,breakdown_id,breakdown_value"]
    lines += [
        f"{node},Eenheid {node},Unit {node},{parent or ''},," for node, parent in parents.items()
    ]
    (out / "raw" / "codelists" / "populations.csv").write_text("\n".join(lines) + "\n")
    table = pa.table(
        {
            "respondent_id": pa.array(range(1, len(respondents) + 1), pa.int64()),
            "population_id": [r.unit for r in respondents],
            "stratum": [r.unit for r in respondents],
            "psu": pa.array(range(1, len(respondents) + 1), pa.int32()),
            "weight": pa.array([1.0] * len(respondents), pa.float64()),
            "geslacht": [r.geslacht for r in respondents],
            SENSITIVE_ITEM: pa.array([r.sensitive for r in respondents], pa.int8()),
            PLAIN_ITEM: pa.array([r.plain for r in respondents], pa.int8()),
        }
    )
    edition = out / "raw" / str(TARGET_EDITION)
    pq.write_table(table, edition / "microdata" / "respondents.parquet")
    yaml = edition / "edition.yaml"
    text = re.sub(r"(?m)^respondents: \d+$", f"respondents: {len(respondents)}", yaml.read_text())
    yaml.write_text(text)
    return Project.at(out)
