"""Time suppression and audit on a realistic table: 18 population nodes (a root, 3 sectors, 14
leaves) x 3 breakdowns of 4 values (12 cells, plus totaal) x 150 indicators, 75 items.
Run: .venv/bin/python -m tests.disclose.timing"""

from __future__ import annotations

import random
import time

from pipeline.disclose import DisclosureConfig, audit, suppress
from tests.disclose.tables import build


def realistic(seed: int = 1):
    rng = random.Random(seed)
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
        size = rng.choice((15, 40, 120, 400, 2000))
        for ind in items:
            total = int(size * rng.uniform(0.85, 1.0))
            for b, values in breakdowns.items():
                shares = [rng.uniform(0.05, 1) for _ in values[:-1]] + [0.03]
                cuts = [int(total * s / sum(shares)) for s in shares]
                cuts[0] += total - sum(cuts)
                leaf.update({(lf, b, v, ind): c for v, c in zip(values, cuts, strict=True)})
    return build(parents, breakdowns, leaf, items)


def main() -> None:
    table = realistic()
    config = DisclosureConfig()
    start = time.perf_counter()
    pattern = suppress(table, config)
    mid = time.perf_counter()
    result = audit(table, pattern, config.threshold)
    end = time.perf_counter()
    primary = sum(1 for s in pattern.values() if s == "A")
    print(
        f"cells {len(table.n)}, suppressed {len(pattern)} (primary {primary}), "
        f"suppress {mid - start:.2f} s, audit {end - mid:.2f} s "
        f"({result.cells_audited} cells, {2 * result.cells_audited} LPs), passed {result.passed}"
    )


if __name__ == "__main__":
    main()
