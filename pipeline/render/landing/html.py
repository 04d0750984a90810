"""Small HTML helpers of the landing page: escaping, Dutch text with English beside it, numbers
and sizes in Dutch notation, a little markdown, and reading a release's rows and files."""

from __future__ import annotations

import hashlib
import re
from html import escape

from pipeline.render.protocol import Release

PAGE = "index.html"


UNKNOWN = "onbekend / not known"


def e(value: object) -> str:
    """Text or attribute value, escaped (quotes too)."""
    return escape("" if value is None else str(value), quote=True)


def en(text: str, tag: str = "span", block: bool = False) -> str:
    """English beside the Dutch: marked as English for screen readers, set in a quieter tone
    (on a line of its own when `block`)."""
    cls = "en block" if block else "en"
    return f'<{tag} lang="en" class="{cls}">{e(text)}</{tag}>'


def en_block(text: str) -> str:
    return en(text, block=True)


def both(text: str, block: bool = True) -> str:
    """A schema text 'Nederlands / English' as Dutch plus marked English (else as it is)."""
    if text.count(" / ") == 1:
        nl, english = text.split(" / ")
        return f"{e(nl)} {en(english, block=block)}"
    return e(text)


def number(value: float, decimals: int = 1) -> str:
    """A number the Dutch way: 37.903 and 14,3."""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.{decimals}f}"
    return text.translate(str.maketrans(",.", ".,"))


def percent(value: float) -> str:
    return f"{number(value)}%"


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


def rows(release: Release, table: str) -> list[dict]:
    t = release.tables.get(table)
    return t.to_pylist() if t is not None else []


def file_info(release: Release, files: dict[str, dict], rel: str) -> dict | None:
    """Size and sha256 of a file of the release: from `files`, else from the folder itself
    (datapackage.json and the other metadata are written before the generators run)."""
    if rel in files:
        return files[rel]
    path = release.folder / rel
    if not path.is_file():
        return None
    data = path.read_bytes()
    return {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def known(value: object, fmt=str) -> str:
    return e(fmt(value)) if value not in (None, "") else f'<span class="unknown">{UNKNOWN}</span>'


def inline_markdown(text: str) -> str:
    text = e(text)
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    return re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", text)


def markdown(text: str) -> str:
    """The changelog's simple markdown (headings, lists, paragraphs) as HTML, all escaped."""
    out: list[str] = []
    in_list = False
    for line in text.splitlines():
        if line.startswith("- "):
            if not in_list:
                out.append("<ul>")
                in_list = True
            out.append(f"<li>{inline_markdown(line[2:])}</li>")
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        if not line.strip():
            continue
        heading = re.match(r"(#{1,4}) (.*)", line)
        if heading:
            level = min(len(heading.group(1)) + 2, 6)
            out.append(f"<h{level}>{inline_markdown(heading.group(2))}</h{level}>")
        else:
            out.append(f"<p>{inline_markdown(line)}</p>")
    if in_list:
        out.append("</ul>")
    return "".join(out)
