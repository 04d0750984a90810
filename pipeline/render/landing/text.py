"""Small helpers of the landing page's view records: numbers and sizes in Dutch notation, the
changelog's simple markdown as blocks of spans, and reading a release's rows and files. Nothing
here writes markup: the templates do, and they escape every value."""

from __future__ import annotations

import re

from pipeline.core.files import file_record
from pipeline.render.protocol import Release

PAGE = "index.html"


UNKNOWN = "onbekend / not known"


def number(value: float, decimals: int = 1) -> str:
    """A number the Dutch way: 37.903 and 14,3."""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.{decimals}f}"
    return text.translate(str.maketrans(",.", ".,"))


def percent(value: float) -> str:
    return f"{number(value)}%"


def fixed(value: float, decimals: int) -> str:
    """A number the Dutch way with exactly `decimals` decimals, whole ones too: 68,0 (an
    estimate is shown at the decimals it was published with)."""
    return f"{value:,.{decimals}f}".translate(str.maketrans(",.", ".,"))


def size(n: int) -> str:
    if n < 1000:
        return f"{n} B"
    if n < 1_000_000:
        return f"{number(round(n / 1000, 1))} kB"
    return f"{number(round(n / 1_000_000, 1))} MB"


def change(pp: float) -> str:
    sign = "+" if pp > 0 else ("\u2212" if pp < 0 else "±")
    return f"{sign}{number(abs(pp))} pp"


def key(row: dict) -> str:
    return f"{row['edition']}/{row['population_id']}/{row['indicator_id']}"


def estimate_key(row: dict) -> str:
    return "/".join(
        str(row[c])
        for c in ("edition", "population_id", "breakdown_id", "breakdown_value", "indicator_id")
    )


def rows(release: Release, table: str) -> list[dict]:
    t = release.tables.get(table)
    return t.to_pylist() if t is not None else []


def file_info(release: Release, files: dict[str, dict], rel: str) -> dict | None:
    """The record (bytes, sha256, ...) of a file of the release: from `files`, else measured in
    the folder by `file_record` (datapackage.json and the other metadata are written before the
    generators run); None when the release has no such file."""
    if rel in files:
        return files[rel]
    if not (release.folder / rel).is_file():
        return None
    return file_record(release.folder, rel)


def known(value: object, fmt=str) -> str | None:
    """The value as text, None when it is not known (the template says so)."""
    return fmt(value) if value not in (None, "") else None


CODE = re.compile(r"`([^`]+)`")


STRONG = re.compile(r"\*\*([^*]+)\*\*")


def code_spans(text: str) -> list[dict]:
    """Plain text and `code` spans, in order."""
    spans: list[dict] = []
    pos = 0
    for match in CODE.finditer(text):
        if match.start() > pos:
            spans.append({"style": "text", "text": text[pos : match.start()]})
        spans.append({"style": "code", "text": match.group(1)})
        pos = match.end()
    if pos < len(text):
        spans.append({"style": "text", "text": text[pos:]})
    return spans


def inline_spans(text: str) -> list[dict]:
    """A line of the changelog as spans: text, `code`, and **strong** (which may hold code).
    Asterisks inside a code span neither open nor close a strong span."""
    masked = CODE.sub(lambda m: "\ue000" * len(m.group(0)), text)
    spans: list[dict] = []
    pos = 0
    for match in STRONG.finditer(masked):
        spans += code_spans(text[pos : match.start()])
        spans.append({"style": "strong", "spans": code_spans(text[match.start(1) : match.end(1)])})
        pos = match.end()
    return spans + code_spans(text[pos:])


def markdown_blocks(text: str) -> list[dict]:
    """The changelog's simple markdown (headings, lists, paragraphs) as blocks: a heading with
    its level on the page (# is level 3), a list of items, or a paragraph, each of spans."""
    blocks: list[dict] = []
    items: list[list[dict]] | None = None
    for line in text.splitlines():
        if line.startswith("- "):
            if items is None:
                items = []
                blocks.append({"kind": "list", "lines": items})
            items.append(inline_spans(line[2:]))
            continue
        items = None
        if not line.strip():
            continue
        heading = re.match(r"(#{1,4}) (.*)", line)
        if heading:
            level = min(len(heading.group(1)) + 2, 6)
            blocks.append({"kind": "heading", "level": level, "spans": inline_spans(heading[2])})
        else:
            blocks.append({"kind": "paragraph", "spans": inline_spans(line)})
    return blocks
