"""Synthetic respondents as one wide Arrow table, vectorised with numpy: correlated answers
(a latent factor per respondent), 3% item non-response, "weet niet", skewed weights, strata and
PSUs. The same seed gives the same table.

Calibration (docs/estimation.md): an item with a target gets its answer thresholds at WEIGHTED
quantiles of its latent scores among those who answered, so that the weighted share of its
counted codes equals the target up to the weight of one respondent."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from statistics import NormalDist

import numpy as np
import pyarrow as pa

from pipeline.synth.items import Item
from pipeline.synth.shape import BREAKDOWNS, DONT_KNOW, LEAVES, SynthRefused

MIN_PER_LEAF = 20  # every stratum keeps at least two PSUs with respondents
NON_RESPONSE = 0.03  # item left unanswered (null)
DONT_KNOW_RATE = 0.02  # answered "weet niet" (9)
LOADING = 0.55  # weight of the respondent's latent factor in each answer
NOISE = 0.8  # weight of the item's own noise
EMPLOYEES = 600_000  # the population the weights add up to (about)


def leaf_counts(respondents: int) -> np.ndarray:
    """Respondents per leaf: proportional to the leaf's share, at least MIN_PER_LEAF, adding up
    to `respondents` (at least MIN_PER_LEAF per leaf, as generate() requires).

    The rounding difference goes to the largest leaf. Where the minimum lifted small leaves
    more than the largest can give without dropping below it (a few hundred respondents), the
    rest is taken from the next largest, and so on.
    """
    shares = np.array([leaf.share for leaf in LEAVES])
    counts = np.maximum(np.floor(respondents * shares / shares.sum()), MIN_PER_LEAF).astype(int)
    missing = respondents - counts.sum()
    if missing >= 0:
        counts[np.argmax(counts)] += missing
        return counts
    excess = -missing
    for leaf in np.argsort(-counts, kind="stable"):  # largest first; ties in the leaves' order
        given = min(excess, counts[leaf] - MIN_PER_LEAF)
        counts[leaf] -= given
        excess -= given
    return counts


def design(rng: np.random.Generator, respondents: int) -> dict[str, np.ndarray]:
    """Leaf, PSU and weight per respondent, rows in a random order."""
    counts = leaf_counts(respondents)
    leaf = np.repeat(np.arange(len(LEAVES)), counts)
    psus = np.array([item.psus for item in LEAVES])
    psu = rng.integers(0, psus[leaf])
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    psu[starts], psu[starts + 1] = 0, 1  # two PSUs with respondents in every stratum
    # Sampling rates differ per leaf and respondents within a leaf get a log-normal
    # non-response adjustment: weights are skewed, as a real survey's are.
    shares = np.array([item.share for item in LEAVES])
    population = EMPLOYEES * shares / shares.sum() * rng.lognormal(0.0, 0.4, len(LEAVES))
    weight = (population / counts)[leaf] * rng.lognormal(-0.18, 0.6, respondents)
    order = rng.permutation(respondents)
    return {"leaf": leaf[order], "psu": psu[order], "weight": weight[order]}


def category(rng: np.random.Generator, probabilities: Sequence[float], size: int) -> np.ndarray:
    """Indices drawn with the given probabilities (normalised)."""
    cumulative = np.cumsum(probabilities) / sum(probabilities)
    return np.minimum(np.searchsorted(cumulative, rng.random(size)), len(probabilities) - 1)


def breakdown_column(rng: np.random.Generator, spec, size: int) -> pa.Array:
    """A breakdown as strings, null where the respondent did not answer it."""
    index = category(rng, [value[3] for value in spec.values], size)
    missing = rng.random(size) < spec.missing
    dictionary = pa.array([value[0] for value in spec.values], pa.string())
    indices = pa.array(index.astype(np.int8), mask=missing)
    return pa.DictionaryArray.from_arrays(indices, dictionary).cast(pa.string())


def weighted_cuts(scores: np.ndarray, weights: np.ndarray, cumulative: np.ndarray) -> np.ndarray:
    """Thresholds at which the weighted share of scores below each is `cumulative`."""
    order = np.argsort(scores, kind="stable")
    mass = np.cumsum(weights[order])
    positions = np.searchsorted(mass, cumulative * mass[-1])
    return scores[order][np.minimum(positions, len(order) - 1)]


def marginal(rng: np.random.Generator, item: Item) -> np.ndarray:
    """Probabilities of codes 1-5: a random plausible spread, rescaled so that the counted codes
    hold exactly the target share when the item has one."""
    centre = rng.uniform(1.8, 4.2)
    spread = np.exp(-0.5 * ((np.arange(1, 6) - centre) / rng.uniform(0.9, 1.6)) ** 2) + 0.02
    probabilities = spread / spread.sum()
    if item.target is not None:
        counted = np.isin(np.arange(1, 6), item.count_codes)
        share = item.target / 100
        probabilities = np.where(
            counted,
            probabilities * share / probabilities[counted].sum(),
            probabilities * (1 - share) / probabilities[~counted].sum(),
        )
    return probabilities


def int8_array(codes: np.ndarray, missing: np.ndarray) -> pa.Array:
    """codes as an Arrow int8 array, null where `missing`, built from buffers (pa.array with a
    mask costs a hundred times more at a million rows)."""
    validity = pa.py_buffer(np.packbits(~missing, bitorder="little"))
    return pa.Array.from_buffers(
        pa.int8(), len(codes), [validity, pa.py_buffer(codes)], null_count=int(missing.sum())
    )


def respondent_table(
    respondents: int,
    seed: int,
    items: Sequence[Item],
    on_item: Callable[[int], None] | None = None,
) -> pa.Table:
    """The wide respondent table of the contract (CONTRACT.md): ids, leaf population, stratum,
    psu, weight, one string column per breakdown and one int8 column per item."""
    if respondents < MIN_PER_LEAF * len(LEAVES):
        raise SynthRefused(f"--respondents must be at least {MIN_PER_LEAF * len(LEAVES)}")
    rng = np.random.default_rng(seed)
    units = design(rng, respondents)
    leaf, weight = units["leaf"], units["weight"]
    ids = pa.array([item.population_id for item in LEAVES], pa.string())
    leaf_ids = pa.DictionaryArray.from_arrays(pa.array(leaf.astype(np.int8)), ids)
    columns = {
        "respondent_id": pa.array(np.arange(1, respondents + 1, dtype=np.int64)),
        "population_id": leaf_ids.cast(pa.string()),
        "stratum": leaf_ids.cast(pa.string()),
        "psu": pa.array((leaf * 1000 + units["psu"] + 1).astype(np.int32)),
        "weight": pa.array(weight),
    }
    for spec in BREAKDOWNS:
        columns[spec.breakdown_id] = breakdown_column(rng, spec, respondents)
    # The latent factor: a respondent's general mood, plus a climate per leaf.
    climate = rng.normal(0.0, 0.25, len(LEAVES)).astype(np.float32)
    base = LOADING * rng.standard_normal(respondents, dtype=np.float32) + climate[leaf]
    spread = math.sqrt(float(np.var(base)) + NOISE**2)
    for number, item in enumerate(items, start=1):
        scores = base + NOISE * rng.standard_normal(respondents, dtype=np.float32)
        dont_know = rng.random(respondents, dtype=np.float32) < DONT_KNOW_RATE
        unanswered = rng.random(respondents, dtype=np.float32) < NON_RESPONSE
        cumulative = np.cumsum(marginal(rng, item))[:-1]
        if item.target is None:
            cuts = np.array([NormalDist(0.0, spread).inv_cdf(q) for q in cumulative])
        else:
            answered = ~dont_know & ~unanswered
            cuts = weighted_cuts(scores[answered], weight[answered], cumulative)
        codes = np.ones(respondents, dtype=np.int8)
        for cut in cuts.astype(scores.dtype):  # code = 1 + cuts passed (faster than searchsorted)
            codes += scores >= cut
        codes[dont_know] = DONT_KNOW
        columns[item.item_id] = int8_array(codes, unanswered)
        if on_item is not None:
            on_item(number)
    return pa.table(columns)
