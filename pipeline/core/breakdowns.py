"""The two values every breakdown of the estimates has besides its listed ones: `totaal`, the
whole population (as breakdown_id and breakdown_value), and `onbekend`, a respondent whose value
is unknown (an empty value counts as it). Defined here once: the checks, the estimation, the
disclosure control and the landing page all use them (tests/test_facts_once.py)."""

from __future__ import annotations

TOTAL = "totaal"
UNKNOWN = "onbekend"
