"""The trial behind docs/design.md's "Disclosure control" section: pytauargus on a frequency
table of the shape werkdata publishes (15 leaf populations under 4 sectors x one breakdown of 4
values, 20,000 generated respondents, a rule of 10), timed, its pattern and its own audit printed.

pytauargus is not a dependency of werkdata (it was evaluated, not chosen); run this in a
throwaway environment:
    python3 -m venv /tmp/sdc && /tmp/sdc/bin/pip install pytauargus pandas
    /tmp/sdc/bin/python bench/disclosure_engines.py [respondents]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from pytauargus import protect

LEAVES = [f"L{i:02d}" for i in range(15)]
SECTORS = 4


def respondents(n: int, seed: int = 1) -> pd.DataFrame:
    """n respondents with skewed leaf sizes and one breakdown whose last value is rare."""
    rng = np.random.default_rng(seed)
    sizes = rng.dirichlet(np.ones(len(LEAVES)) * 0.7)
    return pd.DataFrame(
        {
            "pop": rng.choice(LEAVES, size=n, p=sizes),
            "age": rng.choice(["a", "b", "c", "d"], size=n, p=[0.3, 0.4, 0.28, 0.02]),
            "one": 1.0,
        }
    )


def hierarchy(folder: Path) -> Path:
    """The .hrc file: sector S<k> holds every leaf L<i> with i mod 4 == k."""
    lines = []
    for sector in range(SECTORS):
        lines.append(f"S{sector}")
        lines += [f"@{leaf}" for i, leaf in enumerate(LEAVES) if i % SECTORS == sector]
    path = folder / "pop.hrc"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main(n: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="tauargus-"))
    frame = respondents(n)
    started = time.perf_counter()
    result = protect(
        frame,
        ["pop", "age"],
        response="one",
        safety_rules="FREQ(10,0)",
        suppress="OPT(1)",
        hrc={"pop": str(hierarchy(work))},
        hierleadstring="@",
        workdir=str(work),
    )
    seconds = time.perf_counter() - started
    table = result.tables[0].dataframe()
    print(f"{n} respondents, {len(table)} cells, protect() {seconds:.2f} s")
    print(table[["pop", "age", "freq", "status"]].to_string())
    print("its own audit (value, min, max, unsafe) of every suppressed cell:")
    for row in result.engine.audit(0):
        if row["status"] in ("u", "m"):
            print(row["value"], row["min"], row["max"], row["unsafe"])


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
