"""The whole of disclosure control for one table: suppress, audit, and suppress more around every
cell the audit fails, to a fixpoint: repeat until the audit passes (docs/disclosure.md).

The loop is the safety net of the secondary rule: each round adds at least one cell, so it ends;
when a failing cell has nothing left to suppress around it, it raises `DisclosureError` naming
the cells. Only indicators whose pattern changed are audited again (the equations never link two
indicators), so the record combines the last audit of each indicator: the audit of the final
pattern.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from pipeline.disclose.audit import AuditResult, audit
from pipeline.disclose.config import DisclosureConfig
from pipeline.disclose.model import Key, Table
from pipeline.disclose.suppress import (
    PRIMARY,
    SECONDARY,
    item_consistent,
    primary,
    secondary,
    widen,
)


class DisclosureError(ValueError):
    """The pattern cannot be made to pass the audit; the message names the cells."""


@dataclass(frozen=True)
class Protected:
    """The marks (cell -> "A" primary or "D" secondary) and the audit record for validation.json."""

    pattern: dict[Key, str]
    record: dict[str, Any]


def _describe(keys: list[Key]) -> str:
    shown = ", ".join("/".join(k) for k in keys[:10])
    return shown + (f" and {len(keys) - 10} more" if len(keys) > 10 else "")


def protect(table: Table, config: DisclosureConfig, max_rounds: int = 100) -> Protected:
    """Suppress (D1, D2, D7, D3), audit (D8) and widen the pattern until the audit passes."""
    start = time.perf_counter()
    first = item_consistent(table, primary(table, config))
    hidden = secondary(table, config, first)
    first_failures = None
    rounds = 0
    todo = set(table.items)
    parts: dict[str, AuditResult] = {}
    audit_seconds = 0.0
    while True:
        result = audit(table, hidden, config.threshold, indicators=todo)
        audit_seconds += result.seconds
        parts.update(result.parts)
        failing = result.failing_keys()
        if first_failures is None:
            first_failures = len(failing)
        if not failing:
            break
        more = widen(table, hidden, failing)
        if not more or rounds >= max_rounds:
            raise DisclosureError(
                f"disclosure control cannot protect {len(failing)} cells after {rounds} rounds "
                f"(threshold {config.threshold}): {_describe(failing)}"
            )
        rounds += 1
        grown = secondary(table, config, hidden | more)
        todo = {key[3] for key in grown - hidden}
        hidden = grown
    final = AuditResult.combine(config.threshold, parts)  # the last audit of every indicator
    pattern = {key: PRIMARY if key in first else SECONDARY for key in sorted(hidden)}
    record = final.to_json()
    record.update(
        {
            "cells": len(table.n),
            "suppressed_primary": sum(1 for s in pattern.values() if s == PRIMARY),
            "suppressed_secondary": sum(1 for s in pattern.values() if s == SECONDARY),
            "first_audit_failures": first_failures,
            "rounds": rounds,
            "audit_seconds": round(audit_seconds, 3),
            "seconds": round(time.perf_counter() - start, 3),
        }
    )
    return Protected(pattern=pattern, record=record)
