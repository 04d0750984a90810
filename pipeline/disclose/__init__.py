"""Disclosure control for estimates: primary suppression (D1, D2, D7, and D11 for a small
change since an earlier release of the edition), secondary suppression over the table's additive
structure (D3), the output marks (D5), and an independent audit of respondents and answer classes
by linear and mixed-integer programming (D8) that takes the cells earlier releases published
unchanged as known (differencing.py); `protect` runs them all and widens the pattern until the
audit passes. Pure functions over counts; they never see weights (D4). docs/disclosure.md.

The stage imports only pipeline.core (plus numpy and highspy for the audit).
"""

from pipeline.disclose.audit import AuditResult, audit
from pipeline.disclose.classes import ItemClasses, cell_classes, item_classes
from pipeline.disclose.config import DisclosureConfig
from pipeline.disclose.differencing import differenced, with_earlier
from pipeline.disclose.marks import mark_rows
from pipeline.disclose.model import Earlier, Key, Table
from pipeline.disclose.protect import DisclosureError, Protected, protect
from pipeline.disclose.suppress import RULES, suppress

__all__ = [
    "RULES",
    "AuditResult",
    "DisclosureConfig",
    "DisclosureError",
    "Earlier",
    "ItemClasses",
    "Key",
    "Protected",
    "Table",
    "audit",
    "cell_classes",
    "differenced",
    "item_classes",
    "mark_rows",
    "protect",
    "suppress",
    "with_earlier",
]
