"""The validation report: every problem as a record (file, row, column, value, rule, message)."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """One broken rule at one place. `row` is the spreadsheet row (the header is row 1)."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    rule: str
    message: str
    severity: str = "error"


@dataclass
class Report:
    """Every problem found, in a stable order, plus what was checked."""

    problems: list[Problem] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def valid(self) -> bool:
        return not self.errors

    def extend(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (p.file, p.row or 0, p.column or "", p.rule))

    def to_dict(self) -> dict:
        return {
            "valid": self.valid,
            "error_count": len(self.errors),
            "checked": sorted(self.checked),
            "problems": [asdict(p) for p in self.sorted()],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_text(self) -> str:
        """Readable text for people, grouped by file."""
        if self.valid:
            return f"valid: {len(self.checked)} file(s) checked, no problems\n"
        by_file: dict[str, list[Problem]] = defaultdict(list)
        for problem in self.sorted():
            by_file[problem.file].append(problem)
        lines = [f"invalid: {len(self.errors)} problem(s) in {len(by_file)} file(s)"]
        for file, problems in by_file.items():
            lines.append(f"\n{file}")
            for p in problems:
                where = ", ".join(
                    part
                    for part in (
                        f"row {p.row}" if p.row else "",
                        f"column {p.column}" if p.column else "",
                        f"value {p.value!r}" if p.value is not None else "",
                    )
                    if part
                )
                lines.append(f"  {where or 'file'}: [{p.rule}] {p.message}")
        return "\n".join(lines) + "\n"
