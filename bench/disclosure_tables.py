"""Realistic tables for timing disclosure control: 18 population nodes (a root, 3 sectors, 14
leaves) x 3 breakdowns of 4 values (12 cells, plus totaal) x 150 indicators of 75 items = 35,100
cells. `onbekend` holds ~3% of a leaf, so it is small nearly everywhere. STRESS draws leaves of
15-2,000 respondents (many cells under 10), TYPICAL of 40-4,000.
bench/disclosure_bench.py times disclosure control on them."""

from __future__ import annotations

import random

from tests.disclose.tables import build

STRESS = (15, 40, 120, 400, 2000)
TYPICAL = (40, 120, 400, 1200, 4000)


def realistic(seed: int = 1, sizes: tuple[int, ...] = STRESS):
    """The table; `sizes` are the leaf sizes drawn from (STRESS: many small cells)."""
    rng = random.Random(seed)  # noqa: S311 (reproducible tables, not secrets)
    parents: dict[str, str | None] = {"all": None}
    leaves = []
    for s, count in enumerate((5, 5, 4)):
        parents[f"s{s}"] = "all"
        for i in range(count):
            parents[f"s{s}l{i}"] = f"s{s}"
            leaves.append(f"s{s}l{i}")
    breakdowns = {b: ("v0", "v1", "v2", "onbekend") for b in ("age", "sex", "tenure")}
    items = {f"i{k}": f"q{k // 2}" for k in range(150)}
    leaf = {}
    for lf in leaves:
        size = rng.choice(sizes)
        for ind in items:
            total = int(size * rng.uniform(0.85, 1.0))
            for b, values in breakdowns.items():
                shares = [rng.uniform(0.05, 1) for _ in values[:-1]] + [0.03]
                cuts = [int(total * s / sum(shares)) for s in shares]
                cuts[0] += total - sum(cuts)
                leaf.update({(lf, b, v, ind): c for v, c in zip(values, cuts, strict=True)})
    return build(parents, breakdowns, leaf, items)
