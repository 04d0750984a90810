"""The trace's vocabulary is complete: every phase a publish marks is one of `PHASES`, in the
order a publish reaches them, so the kill trials count every kill by its phase."""

from __future__ import annotations

import ast

from pipeline.core.trace import PHASES
from pipeline.orchestrate.plan import FINGERPRINT, PLAN
from tests.helpers import REPO


def literal_marks() -> list[str]:
    """The phase of every `trace.mark("...")` call with a literal in pipeline/."""
    found = []
    for file in sorted((REPO / "pipeline").rglob("*.py")):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "mark"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "trace"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.append(node.args[0].value)
    return found


def test_every_marked_phase_is_in_the_vocabulary():
    literals = literal_marks()
    assert {"staging", "rename", "derived", "done", "disclosure"} <= set(literals)
    assert set(literals) - set(PHASES) == set()
    assert [step.mark for step in PLAN if step.mark not in PHASES] == []


def test_the_plan_marks_its_steps_in_the_order_of_the_vocabulary():
    assert PLAN[0] is FINGERPRINT
    marks = [step.mark for step in PLAN]
    assert marks == sorted(marks, key=PHASES.index)
