"""The whole of disclosure control for one table: suppress, audit, and suppress more around every
cell the audit fails, to a fixpoint: repeat until the audit passes (docs/disclosure.md).

The loop is the safety net of the secondary rule: each round adds at least one cell, so it ends;
when a failing cell has nothing left to suppress around it, it raises `DisclosureError` naming
the cells. Only items whose pattern changed are audited again (the equations never link two
items), so the record combines the last audit of each item: the audit of the final pattern.
The pattern maps each suppressed cell to the rule that suppressed it (D1, D2, D7, D11 primary, D3
secondary, D8 added for the audit): the steward's local report, never published. The record
says how many cells are suppressed, not why.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from pipeline.disclose.audit import AuditResult, audit
from pipeline.disclose.config import DisclosureConfig
from pipeline.disclose.model import Key, Table
from pipeline.disclose.suppress import D3, D8, primary, secondary, widen


class DisclosureError(ValueError):
    """The pattern cannot be made to pass the audit; the message names the cells."""


@dataclass(frozen=True)
class Protected:
    """The pattern (cell -> the rule that suppressed it: "D1", "D2", "D7", "D11", "D3" or
    "D8") and the audit record for validation.json (counts only: no split by rule)."""

    pattern: dict[Key, str]
    record: dict[str, Any]


def _describe(keys: list[Key]) -> str:
    shown = ", ".join("/".join(k) for k in keys[:10])
    return shown + (f" and {len(keys) - 10} more" if len(keys) > 10 else "")


def protect(table: Table, config: DisclosureConfig, max_rounds: int = 100) -> Protected:
    """Suppress (D1, D2, D7, D11, D3), audit (D8) and widen the pattern until the audit passes."""
    start = time.perf_counter()
    rules = primary(table, config)
    hidden = secondary(table, config, set(rules))
    rules.update(dict.fromkeys(hidden - set(rules), D3))
    rounds = 0
    todo = set(table.items.values())
    parts: dict[str, AuditResult] = {}
    audit_seconds = 0.0
    while True:
        result = audit(table, hidden, config.threshold, config.sensitive_threshold, items=todo)
        audit_seconds += result.seconds
        parts.update(result.parts)
        failing = result.failing_keys()
        if not failing:
            break
        more = widen(table, hidden, failing)
        if not more or rounds >= max_rounds:
            raise DisclosureError(
                f"disclosure control cannot protect {len(failing)} cells after {rounds} rounds "
                f"(threshold {config.threshold}, sensitive threshold "
                f"{config.sensitive_threshold}): {_describe(failing)}"
            )
        rounds += 1
        rules.update(dict.fromkeys(more - hidden, D8))
        grown = secondary(table, config, hidden | more)
        rules.update(dict.fromkeys(grown - set(rules), D3))
        todo = {table.items[key[3]] for key in grown - hidden}
        hidden = grown
    final = AuditResult.combine(config.threshold, config.sensitive_threshold, parts)
    record = final.to_json()
    record.update(
        {
            "cells": len(table.n),
            "audit_seconds": round(audit_seconds, 3),
            "seconds": round(time.perf_counter() - start, 3),
        }
    )
    return Protected(pattern={key: rules[key] for key in sorted(hidden)}, record=record)
