"""bench/import_overlap.py, the figure docs/performance.md quotes for importing scipy during
the read: a small real run prints a median for both orders and their ratio."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.helpers import REPO


@pytest.mark.slow
def test_both_orders_are_timed(synthetic_project):
    script = [
        sys.executable,
        str(REPO / "bench" / "import_overlap.py"),
        str(synthetic_project),
        "1",
    ]
    done = subprocess.run(script, capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    assert lines[0].startswith("numpy pass, read to roll-up, at "), lines[0]
    for order, line in zip(("import first", "imported meanwhile"), lines[1:3], strict=True):
        assert re.fullmatch(rf"  {order}\s+\d+\.\d{{3}}\s+runs \d+\.\d{{3}}", line), line
    assert re.fullmatch(r"  meanwhile / first\s+\d+\.\d\d", lines[3]), lines[3]
