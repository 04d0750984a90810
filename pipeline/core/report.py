"""The validation report: every problem as a record (file, row, column, value, rule, message),
with a hint that says how to fix it where one is known."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Problem:
    """One broken rule at one place. `row` is the spreadsheet row (the header is row 1).

    `hint` says how to fix it, when the validator knows (the closest code, the declaration to
    add); it takes no part in comparing problems.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    rule: str
    message: str
    hint: str | None = field(default=None, compare=False)

    def record(self) -> dict:
        """The problem as JSON data: every field, `hint` only when there is one.

        `severity` is always "error" (nothing else exists); readers of `werkdata validate
        --json` have relied on the key, so it stays.
        """
        data = asdict(self)
        if data["hint"] is None:
            del data["hint"]
        return {**data, "severity": "error"}


def problem_order(problem: Problem) -> tuple:
    """The order of a report: by file, row, column and rule (no row or column first)."""
    return (
        problem.file,
        problem.row or 0,
        problem.column or "",
        problem.rule,
        problem.value or "",
        problem.message,
    )


def printable(text: str) -> str:
    """`text` with any lone surrogate (a YAML key may hold one) written as an escape, so the
    report can always be written as UTF-8."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass
class Report:
    """Every problem found, in a stable order, plus what was checked; `respondent_files` are
    the respondent files (or folders of them) among `checked`."""

    problems: list[Problem] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    respondent_files: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """Every problem: each one makes the inputs invalid."""
        return list(self.problems)

    @property
    def valid(self) -> bool:
        return not self.problems

    def extend(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=problem_order)

    def to_dict(self) -> dict:
        return {
            "valid": self.valid,
            "error_count": len(self.problems),
            "checked": sorted(self.checked),
            "problems": [p.record() for p in self.sorted()],
        }

    def published_dict(self) -> dict:
        """The report as a release publishes it (validation.json): `to_dict` with no respondent
        file among the files checked, as a file's name can tell who delivered it."""
        record = self.to_dict()
        hidden = set(self.respondent_files)
        record["checked"] = [name for name in record["checked"] if name not in hidden]
        return record

    def to_json(self) -> str:
        return printable(json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n")

    def to_text(self) -> str:
        """Readable text for people, grouped by file; a hint goes on its own line below."""
        if self.valid:
            return f"valid: {len(self.checked)} file(s) checked, no problems\n"
        by_file: dict[str, list[Problem]] = defaultdict(list)
        for problem in self.sorted():
            by_file[problem.file].append(problem)
        lines = [f"invalid: {len(self.problems)} problem(s) in {len(by_file)} file(s)"]
        for file, problems in by_file.items():
            lines.append(f"\n{file}")
            for p in problems:
                lines.append(f"  {place(p)}: [{p.rule}] {p.message}")
                if p.hint:
                    lines.append(f"    hint: {p.hint}")
        return printable("\n".join(lines) + "\n")


def place(problem: Problem) -> str:
    """Where a problem is, in words: 'row 3, column value, value '168'', or 'file'."""
    parts = (
        f"row {problem.row}" if problem.row else "",
        f"column {problem.column}" if problem.column else "",
        f"value {problem.value!r}" if problem.value is not None else "",
    )
    return ", ".join(part for part in parts if part) or "file"
