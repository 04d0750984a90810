"""The `werkdata draft-codelists` command: its options and its run (pipeline/ingest/
draft_codelists.py does the work). Kept apart from flows/cli.py, which only registers it."""

from __future__ import annotations

import argparse
from pathlib import Path

COMMAND = "draft-codelists"


def add_parser(sub) -> None:
    """The command's options, on the CLI's subparsers."""
    d = sub.add_parser(
        COMMAND,
        help="draft items.csv, scales.csv, breakdowns.csv and the microdata: mapping from an "
        "SPSS or Stata file's labels",
    )
    d.add_argument("file", help="the respondent file (.sav, .zsav or .dta)")
    d.add_argument("--out", default="draft-codelists", help="folder to write (./draft-codelists)")
    d.add_argument("--population", metavar="COL", help="the column of the leaf population")
    d.add_argument("--id", metavar="COL", help="the column of the respondent id")
    d.add_argument("--weight", metavar="COL", help="the column of the weight")
    d.add_argument(
        "--breakdowns", metavar="A,B", default="", help="the breakdown columns, comma-separated"
    )


def run(args: argparse.Namespace, codelists: Path) -> int:
    """Write the draft; print what was written and what to review. `codelists` is the
    project's raw/codelists/, reused where it has the file's labels (absent: nothing reused)."""
    from pipeline.ingest.draft_codelists import DRAFTED, Roles, write_draft

    roles = Roles(
        population=args.population,
        respondent_id=args.id,
        weight=args.weight,
        breakdowns=tuple(column for column in args.breakdowns.split(",") if column),
    )
    out = Path(args.out)
    result = write_draft(Path(args.file), out, roles, codelists if codelists.is_dir() else None)
    print(
        f"drafted {len(result.items)} items, {len({row[0] for row in result.scales})} scales and "
        f"{len(result.codes) - bool(args.population)} breakdowns: "
        + ", ".join(str(out / name) for name in DRAFTED)
    )
    for note in result.notes:
        print(f"  review: {note}")
    return 0
