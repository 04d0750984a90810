"""The Jinja2 environment of every template in pipeline/render: templates are package data,
`.html` templates escape every value (autoescape), Markdown templates escape only what Markdown
needs (the `cell` filter), and a name missing from the context is an error, never empty text."""

from __future__ import annotations

from functools import cache

import jinja2


@cache
def environment(package: str) -> jinja2.Environment:
    """The environment that reads the templates of `package`'s templates/ folder."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",)),
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["cell"] = markdown_cell
    return env


def markdown_cell(text: object) -> str:
    """Text for one Markdown table cell: a `|` would end the cell."""
    return str(text).replace("|", "\\|")
