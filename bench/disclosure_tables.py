"""Realistic tables for timing disclosure control: 18 population nodes (a root, 3 sectors, 14
leaves) x 3 breakdowns of 4 values (12 cells, plus totaal) x 150 indicators of 75 items = 35,100
cells. Each item has two answer classes (yes, no) and two indicators (one counting each), so its
indicators share n; every tenth item is sensitive (D7), with a yes share of 2-20%. `onbekend`
holds ~3% of a leaf, so it is small nearly everywhere. STRESS draws leaves of 15-2,000
respondents (many cells under 10), TYPICAL of 40-4,000.
bench/disclosure_bench.py times disclosure control on them."""

from __future__ import annotations

import random

from tests.disclose.tables import build_classes

STRESS = (15, 40, 120, 400, 2000)
TYPICAL = (40, 120, 400, 1200, 4000)


def _split(total: int, shares: list[float]) -> list[int]:
    """`total` in parts proportional to `shares`, the rounding left in the first part."""
    cuts = [int(total * s / sum(shares)) for s in shares]
    cuts[0] += total - sum(cuts)
    return cuts


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
    items = [f"q{k}" for k in range(75)]
    sensitive = frozenset(items[::10])
    indicators = {f"i{2 * k + c}": (item, (c,)) for k, item in enumerate(items) for c in (0, 1)}
    leaf = {}
    for lf in leaves:
        size = rng.choice(sizes)
        for item in items:
            total = int(size * rng.uniform(0.85, 1.0))
            share = rng.uniform(0.02, 0.2) if item in sensitive else rng.uniform(0.05, 0.95)
            yes = int(total * share)
            for b, values in breakdowns.items():
                shares = [rng.uniform(0.05, 1) for _ in values[:-1]] + [0.03]
                split = zip(_split(yes, shares), _split(total - yes, shares), strict=True)
                leaf.update({(lf, b, v, item): c for v, c in zip(values, split, strict=True)})
    return build_classes(parents, breakdowns, leaf, indicators, sensitive)
