"""The questionnaire of a synthetic project: one item per real indicator that has a real
national figure (calibrated to it), then filler items up to the requested count."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from pipeline.synth.shape import DONT_KNOW, ROOT, SynthRefused

TARGET_EDITION = 2024
CALIBRATED_STATUSES = ("A", "E")

# How the item behind a real indicator is asked, chosen to fit the indicator's wording:
# (scale, counted codes, question nl, question en). An indicator not listed here is asked as
# agreement with its own label (scale `eens`, codes 4 5).
WORDING = {
    "tevreden_organisatie": (
        "tevredenheid",
        (4, 5),
        "Hoe tevreden bent u over uw organisatie?",
        "How satisfied are you with your organisation?",
    ),
    "beloningsbeleid_stimulerend": (
        "eens",
        (4, 5),
        "Het beloningsbeleid van mijn organisatie stimuleert mij.",
        "My organisation's reward policy motivates me.",
    ),
    "hr_en_leiding_onvoldoende": (
        "oordeel",
        (1, 2),
        "Hoe beoordeelt u de HR-dienstverlening en de kwaliteit van leidinggevenden samen?",
        "How do you rate the HR services and the quality of managers together?",
    ),
}

# Filler items that ask something sensitive (the stricter disclosure rule D7 applies).
SENSITIVE_FILLERS = {
    1: (
        "Ik heb het afgelopen jaar ongewenst gedrag op het werk ervaren.",
        "In the past year I experienced undesirable behaviour at work.",
    ),
    2: (
        "Ik heb het afgelopen jaar overwogen mij ziek te melden door werkstress.",
        "In the past year I considered reporting sick because of work stress.",
    ),
}


@dataclass(frozen=True)
class Item:
    """One questionnaire item and the indicator mapped to it. `target` is the real national
    share (percent) the generator calibrates to, None for a filler item."""

    item_id: str
    label_nl: str
    label_en: str
    scale_id: str
    sensitive: bool
    indicator_id: str
    count_codes: tuple[int, ...]
    target: float | None = None

    @property
    def exclude_codes(self) -> tuple[int, ...]:
        return (DONT_KNOW,)


def real_targets(raw: Path) -> list[tuple[dict[str, str], float]]:
    """(indicator row, value) for every indicator of raw/codelists/indicators.csv with a real
    national figure in raw/2024/findings.csv (population openbaar_bestuur, status A or E, value
    present), in the order of indicators.csv."""
    indicators = indicator_rows(raw)
    findings = raw / str(TARGET_EDITION) / "findings.csv"
    if not findings.is_file():
        raise SynthRefused(f"no real figures to calibrate to: {findings} is missing")
    with findings.open(encoding="utf-8", newline="") as handle:
        national = {
            row["indicator_id"]: float(row["value"])
            for row in csv.DictReader(handle)
            if row["population_id"] == ROOT
            and row["status"] in CALIBRATED_STATUSES
            and row["value"].strip()
        }
    return [
        (row, national[row["indicator_id"]])
        for row in indicators
        if row["indicator_id"] in national
    ]


def questionnaire(raw: Path, items: int) -> tuple[list[Item], list[dict[str, str]]]:
    """The items (calibrated first, then fillers up to `items`) and the real indicator rows."""
    targets = real_targets(raw)
    if items < len(targets):
        raise SynthRefused(f"--items must be at least {len(targets)} (the calibrated indicators)")
    result = []
    for row, value in targets:
        indicator_id = row["indicator_id"]
        scale, codes, question_nl, question_en = WORDING.get(
            indicator_id, ("eens", (4, 5), row["label_nl"], row["label_en"])
        )
        result.append(
            Item(
                f"v_{indicator_id}",
                question_nl,
                question_en,
                scale,
                False,
                indicator_id,
                codes,
                value,
            )
        )
    for number in range(1, items - len(targets) + 1):
        label_nl, label_en = SENSITIVE_FILLERS.get(
            number, (f"Synthetische stelling {number}", f"Synthetic statement {number}")
        )
        result.append(
            Item(
                f"v{number:03d}",
                label_nl,
                label_en,
                "eens",
                number in SENSITIVE_FILLERS,
                f"eens_v{number:03d}",
                (4, 5),
            )
        )
    return result, indicator_rows(raw)


def indicator_rows(raw: Path) -> list[dict[str, str]]:
    """The rows of the real raw/codelists/indicators.csv."""
    path = raw / "codelists" / "indicators.csv"
    if not path.is_file():
        raise SynthRefused(f"no indicators to calibrate: {path} is missing")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
