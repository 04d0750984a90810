"""`werkdata draft-codelists`: code lists drafted from an SPSS or Stata file's labels, for a
steward to review before the first publish (README, "Respondent data").

From the file's metadata alone (no answer is read): every value-labelled variable that is not
the population, a breakdown, the id or the weight becomes an item (`item_id` its name
lower-cased, other characters `_`; label_nl its variable label); identical value-label sets
share a scale; the population and each breakdown named get their `codes:`. Where the project
already has code lists, a label set, item or value they hold is drafted with their id and
English label (labels compared after Unicode NFC, case folding and collapsing whitespace), so a
new delivery of a known questionnaire drafts the project's own ids; anything new gets an id
made from its label and an empty label_en, which validation then asks for.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.core.breakdowns import TOTAL, UNKNOWN
from pipeline.core.errors import WerkdataError

DRAFTED = ("items.csv", "scales.csv", "breakdowns.csv", "microdata.yaml")
READABLE = {".sav": "SPSS", ".zsav": "SPSS", ".dta": "Stata"}
# the values every breakdown has besides its listed ones; never a row of breakdowns.csv
BUILT_IN = (UNKNOWN, TOTAL)
MAX_ID = 63  # ^[a-z][a-z0-9_]{0,62}$ of the code lists' ids
# The columns of the project's code lists that the draft reuses.
READ_COLUMNS = {
    "scales.csv": ("scale_id", "code", "label_nl", "label_en"),
    "items.csv": ("item_id", "label_nl", "label_en", "sensitive"),
    "breakdowns.csv": ("breakdown_id", "value", "label_nl", "label_en"),
    "populations.csv": ("population_id", "label_nl", "breakdown_id"),
}


class DraftRefused(WerkdataError):
    """A draft that cannot be made as asked: an output file exists, a named column is not in
    the file, the file is not one draft-codelists reads (a usage error: exit 2)."""

    exit_code = 2


@dataclass(frozen=True)
class Roles:
    """The file columns the command line names (None or empty when not given)."""

    population: str | None = None
    respondent_id: str | None = None
    weight: str | None = None
    breakdowns: tuple[str, ...] = ()

    def named(self) -> list[str]:
        given = [self.population, self.respondent_id, self.weight, *self.breakdowns]
        return [column for column in given if column]


@dataclass(frozen=True)
class FileLabels:
    """What a respondent file says about its columns: their order, variable labels, value
    labels ({code: label}) and SPSS user-missing codes."""

    columns: list[str]
    variable_labels: dict[str, str]
    value_labels: dict[str, dict]
    user_missing: dict[str, set[float]] = field(default_factory=dict)


@dataclass
class Draft:
    """The drafted rows and mapping, and notes for the steward."""

    items: list[list[str]] = field(default_factory=list)
    scales: list[list[object]] = field(default_factory=list)
    breakdowns: list[list[str]] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    codes: dict[str, dict] = field(default_factory=dict)  # contract column -> {code: value}
    weight: str | None = None
    notes: list[str] = field(default_factory=list)


def normal(label: str) -> str:
    """A label as compared: Unicode NFC, case folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", label).casefold().split())


def item_id(column: str) -> str:
    """A file column's item (or breakdown) id: lower-cased, other characters `_`; a leading
    `v` when it does not start with a letter, at most MAX_ID characters."""
    name = re.sub(r"[^a-z0-9_]", "_", column.lower())
    return (name if re.match(r"[a-z]", name) else f"v{name}")[:MAX_ID]


def slug(label: str) -> str:
    """An id made from a label: accents dropped, lower case, runs of other characters `_`."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:MAX_ID]


def read_labels(path: Path) -> FileLabels:
    """The labels of an SPSS or Stata file (its metadata only)."""
    import pyreadstat

    kind = READABLE.get(path.suffix.lower())
    if kind is None:
        raise DraftRefused(
            f"{path.name}: draft-codelists reads the labels of SPSS (.sav, .zsav) or Stata "
            "(.dta) files; Parquet and CSV files have none"
        )
    if not path.is_file():
        raise DraftRefused(f"{path}: no such file")
    try:
        if kind == "SPSS":
            _, meta = pyreadstat.read_sav(path, metadataonly=True, user_missing=True)
        else:
            _, meta = pyreadstat.read_dta(path, metadataonly=True)
    except Exception as exc:  # pyreadstat's errors name no respondent: only the file's kind
        raise WerkdataError(
            f"{path.name}: not a readable {kind} file ({type(exc).__name__}); export it again "
            f"from {kind}"
        ) from None
    missing = {
        column: {r["lo"] for r in ranges if r["lo"] == r["hi"]}
        for column, ranges in (getattr(meta, "missing_ranges", None) or {}).items()
    }
    return FileLabels(
        list(meta.column_names),
        {c: label or "" for c, label in meta.column_names_to_labels.items()},
        dict(meta.variable_value_labels),
        missing,
    )


@dataclass(frozen=True)
class Known:
    """The project's code lists, as the draft reuses them (all empty without a project)."""

    scales: dict[tuple, tuple[str, dict[int, str]]]  # label set -> (scale_id, {code: label_en})
    items: dict[str, dict[str, str]]  # item_id -> its row
    values: dict[tuple[str, str], dict[str, str]]  # (breakdown_id, normal label) -> its row
    populations: dict[str, str]  # normal label -> population_id (labels held by one only)

    @staticmethod
    def read(codelists: Path | None) -> Known:
        def rows(name: str) -> list[dict[str, str]]:
            """The file's rows with every column the draft reads ("" where missing): a code
            list that validation would refuse is reused as far as it goes, never a crash."""
            path = codelists / name if codelists else None
            if path is None or not path.is_file():
                return []
            with path.open(encoding="utf-8", errors="replace", newline="") as handle:
                return [{k: row.get(k) or "" for k in READ_COLUMNS[name]}
                        for row in csv.DictReader(handle)]  # fmt: skip

        sets: dict[str, dict[int, tuple[str, str]]] = {}
        for row in rows("scales.csv"):
            if not row["code"].isdigit():
                continue
            sets.setdefault(row["scale_id"], {})[int(row["code"])] = (
                row["label_nl"],
                row["label_en"],
            )
        labels: dict[str, list[str]] = {}
        for row in rows("populations.csv"):
            if not row["breakdown_id"]:
                labels.setdefault(normal(row["label_nl"]), []).append(row["population_id"])
        return Known(
            scales={
                label_set({c: nl for c, (nl, _) in codes.items()}): (
                    scale_id,
                    {c: en for c, (_, en) in codes.items()},
                )
                for scale_id, codes in sets.items()
            },
            items={row["item_id"]: row for row in rows("items.csv")},
            values={(r["breakdown_id"], normal(r["label_nl"])): r for r in rows("breakdowns.csv")},
            populations={label: ids[0] for label, ids in labels.items() if len(ids) == 1},
        )


def label_set(labels: dict[int, str]) -> tuple:
    """A value-label set as compared: its codes with their normal labels, sorted."""
    return tuple(sorted((code, normal(label)) for code, label in labels.items()))


def file_codes(column: str, labels: dict) -> dict:
    """{code: label} of a column's value labels: whole numbers as int, text codes (a text
    column's) as they are; a fractional code is refused (no code list holds one)."""
    result: dict = {}
    for code, label in labels.items():
        if not isinstance(code, str) and float(code) != int(code):
            raise DraftRefused(
                f"{column}: value label code {code!r} is not a whole number; scales and codes "
                "are whole numbers"
            )
        result[code if isinstance(code, str) else int(code)] = str(label)
    return result


def check_roles(labels: FileLabels, roles: Roles) -> None:
    """Every column the command names is in the file (else a refusal naming the closest)."""
    for column in roles.named():
        if column not in labels.columns:
            close = difflib.get_close_matches(column, labels.columns, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise DraftRefused(f"column {column} is not in the file{hint}")
    for column in (roles.population, *roles.breakdowns):
        if column and not labels.value_labels.get(column):
            raise DraftRefused(f"{column} has no value labels to draft its codes from")


def draft(labels: FileLabels, roles: Roles, known: Known) -> Draft:
    """The drafted code lists and mapping of a file's labels."""
    check_roles(labels, roles)
    result = Draft(weight=roles.weight)
    if roles.respondent_id:
        result.columns[roles.respondent_id] = "respondent_id"
    if roles.population:
        result.columns[roles.population] = "population_id"
        result.codes["population_id"] = population_codes(
            file_codes(roles.population, labels.value_labels[roles.population]), known, result
        )
    for column in roles.breakdowns:
        draft_breakdown(column, file_codes(column, labels.value_labels[column]), known, result)
    named = set(roles.named())
    scale_ids: dict[tuple, str] = {}
    for column in labels.columns:
        if column in named or not labels.value_labels.get(column):
            continue
        codes = file_codes(column, labels.value_labels[column])
        if any(isinstance(code, str) for code in codes):
            result.notes.append(f"{column} has text codes: not an item (answers are numbers)")
            continue
        scale_id = draft_scale(column, codes, labels, known, scale_ids, result)
        draft_item(column, labels.variable_labels.get(column) or column, scale_id, known, result)
    result.notes += review_notes(result)
    return result


def review_notes(result: Draft) -> list[str]:
    """What the steward must do before the draft validates: English labels, sensitivity."""
    notes = []
    untranslated = sum(1 for row in result.items if not row[2])
    untranslated += sum(1 for row in result.scales + result.breakdowns if not row[3])
    if untranslated:
        notes.append(f"empty label_en in {untranslated} drafted row(s): translate their label_nl")
    new_items = [row[0] for row in result.items if not row[2]]
    if new_items:
        notes.append(
            f"{len(new_items)} new item(s) drafted as sensitive false: set true for each item "
            "that asks something sensitive (disclosure rule D7)"
        )
    return notes


def population_codes(codes: dict, known: Known, result: Draft) -> dict:
    """{code: population_id}: the project's population of that label, else one made from it."""
    mapped = {}
    for code, label in sorted(codes.items()):
        mapped[code] = (
            known.populations.get(normal(label)) or slug(label) or slug(f"populatie {code}")
        )
    new = [f"{code}: {mapped[code]}" for code, label in sorted(codes.items())
           if normal(label) not in known.populations]  # fmt: skip
    if new:
        result.notes.append(
            f"{len(new)} population codes have no population of their label in populations.csv "
            f"({', '.join(new)}): add them there or map each code to one that is"
        )
    return mapped


def draft_breakdown(column: str, codes: dict, known: Known, result: Draft) -> None:
    """A breakdown's rows of breakdowns.csv and its `codes:`; a code labelled "onbekend" maps
    to the built-in onbekend."""
    breakdown_id = item_id(column)
    result.columns[column] = breakdown_id
    mapped: dict = {}
    for code, label in sorted(codes.items()):
        row = known.values.get((breakdown_id, normal(label)))
        if row is not None:
            value, label_en = row["value"], row["label_en"]
        elif normal(label) == UNKNOWN:
            mapped[code] = UNKNOWN
            continue
        else:
            value, label_en = slug(label) or slug(f"code {code}"), ""
            if value in BUILT_IN or value in mapped.values():
                value = slug(f"{value} {code}")
        mapped[code] = value
        result.breakdowns.append([breakdown_id, value, label, label_en])
    result.codes[breakdown_id] = mapped


def draft_scale(
    column: str,
    codes: dict[int, str],
    labels: FileLabels,
    known: Known,
    scale_ids: dict[tuple, str],
    result: Draft,
) -> str:
    """The scale of an item's label set: the project's scale with that set, one drafted for an
    earlier item, or a new one named after its lowest and highest labels (the codes SPSS
    declares user-missing left out of the name)."""
    key = label_set(codes)
    if key in scale_ids:
        return scale_ids[key]
    if key in known.scales:
        scale_id, english = known.scales[key]
    else:
        missing = labels.user_missing.get(column, set())
        named = [code for code in sorted(codes) if code not in missing] or sorted(codes)
        base = slug(f"{codes[named[0]]} {codes[named[-1]]}") or "schaal"
        taken = set(scale_ids.values()) | {scale for scale, _ in known.scales.values()}
        scale_id, number = base, 2
        while scale_id in taken:
            scale_id, number = f"{base}_{number}"[:MAX_ID], number + 1
        english = {}
    scale_ids[key] = scale_id
    result.scales += [[scale_id, c, codes[c], english.get(c, "")] for c in sorted(codes)]
    return scale_id


def draft_item(column: str, label: str, scale_id: str, known: Known, result: Draft) -> None:
    """An item's row of items.csv: the project's English label and sensitivity when it has the
    item with this label, else an empty label_en and sensitive false (to review)."""
    item = item_id(column)
    row = known.items.get(item)
    same = row is not None and normal(row["label_nl"]) == normal(label)
    result.columns[column] = item
    result.items.append(
        [
            item,
            label,
            row["label_en"] if same else "",
            scale_id,
            row["sensitive"] if same else "false",
        ]
    )


def csv_text(header: list[str], rows: Iterable[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def microdata_yaml(result: Draft, file: Path) -> str:
    """The `microdata:` section to review and copy into the edition's edition.yaml."""
    lines = [
        f"# Drafted by werkdata draft-codelists from {file.name}: review it, then copy the",
        '# section into the edition\'s edition.yaml (README, "Respondent data").',
        "microdata:",
        f"  path: microdata/{file.name}",
        "  columns:",
        *[f"    {json.dumps(c)}: {name}" for c, name in result.columns.items()],
        "  codes:",
    ]
    for name, codes in result.codes.items():
        pairs = ", ".join(
            f"{json.dumps(code)}: {json.dumps(value)}" for code, value in codes.items()
        )
        lines.append(f"    {name}: {{{pairs}}}")
    if result.weight:
        lines.append(f"  weight: {json.dumps(result.weight)}")
    lines.append("  synthetic: false")
    return "\n".join(lines) + "\n"


def write_draft(file: Path, out: Path, roles: Roles, codelists: Path | None) -> Draft:
    """Draft the code lists of `file` into the folder `out` (created). Refused, writing
    nothing, when any of the DRAFTED files is there already."""
    existing = [out / name for name in DRAFTED if (out / name).exists()]
    if existing:
        raise DraftRefused(
            f"{existing[0]} exists: draft-codelists writes over no file; move it away or "
            "choose another --out"
        )
    result = draft(read_labels(file), roles, Known.read(codelists))
    texts = {
        "items.csv": csv_text(["item_id", "label_nl", "label_en", "scale_id", "sensitive"],
                              result.items),
        "scales.csv": csv_text(["scale_id", "code", "label_nl", "label_en"], result.scales),
        "breakdowns.csv": csv_text(["breakdown_id", "value", "label_nl", "label_en"],
                                   result.breakdowns),
        "microdata.yaml": microdata_yaml(result, file),
    }  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (out / name).write_text(text, encoding="utf-8")
    return result
