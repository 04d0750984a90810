"""The one pass for designs with PSUs, summed in numpy: the same partial sums as the SQL pass
(partials.sql), from the same columns, which DuckDB reads (respondents.sql) in record batches.

Why not DuckDB's aggregation: at the finest grouping (leaf x stratum x PSU x every breakdown's
value: ~17,000 groups at 100,000 respondents, ~29,000 at 1,000,000) its hash table holds three
aggregate states per indicator per group, 450 for 150 indicators, and each respondent updates
all of them: with ~6 respondents per group at 100,000 that costs more than the respondents
themselves. Here each indicator is two `np.bincount` calls over the batch, on the key
group * 3 + class (0 not answered, 1 answered, 2 counted); the measured difference is in
docs/performance.md. THREADS threads share the items of each batch, each thread writing only its
own indicators' rows of the sums.

The sums are of integers (counts, and weights at the edition's scale held in doubles below
2^53), so they are exact and equal the SQL pass's bit for bit whatever the batches. Without psu the
variance needs the squared weights summed exactly beyond 2^53 (DuckDB's HUGEINT), which doubles
cannot hold: that design keeps the SQL pass.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.estimate.design import Indicator

# ~20 MB of 150 answer columns at a time; larger batches held more memory (docs/performance.md)
BATCH_ROWS = 131_072
# The most respondents a finest group may hold: its counts are 32-bit integers.
COUNT_LIMIT = 2**31 - 1
# Indicators per product in grouping_sets: the groups' sums of that many indicators, transposed,
# take ~2-4 MB, where all of them at once took 20-35 MB of fresh memory per sum.
CHUNK = 16
# Threads summing items side by side (numpy's bincount and take release the GIL): on this
# machine's two cores the estimate step of a publish took 0.86x the time of one thread at
# 1,000,000 respondents and 0.97x at 100,000 (one batch), not 0.5x (docs/performance.md)
THREADS = min(
    len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 4
)
# The key columns of respondents.sql, finest first in the order of partials.KEYS.
BASE = ("__population", "__stratum", "__psu")


class Groups:
    """The finest groups met so far, over record batches: each group's key (a code per key
    column) and its running sums, indicators x groups. The arrays have room for `capacity`
    groups (a quarter more when full); the sums of groups not yet met stay 0."""

    def __init__(self, columns: Sequence[str], indicators: int) -> None:
        self.columns = list(columns)
        self.codes: list[dict] = [{} for _ in self.columns]  # value -> code, per column
        # the columns' codes (int64s as bytes: no tuples for the garbage collector to walk)
        # -> group id, in order of id
        self.ids: dict[bytes, int] = {}
        self.indicators = indicators
        self.capacity = 0
        # counts in 32 bits (finest_groups checks they fit), weights in exact doubles: fresh
        # memory costs 0.1-4 ms a MB to touch here (bench/fresh_memory.py), so less is faster
        self.sums = {
            name: np.zeros((indicators, 0), dtype=np.int32 if name in ("n", "ny") else None)
            for name in ("n", "ny", "sw", "swy")
        }
        self.respondents = np.zeros(0, dtype=np.int64)
        self.weight = np.zeros(0)
        self.fpc_min = np.zeros(0)
        self.fpc_max = np.zeros(0)

    @property
    def count(self) -> int:
        return len(self.ids)

    def values(self, column: int) -> list:
        """The values of one key column, by code."""
        return list(self.codes[column])

    def of_rows(self, batch: pa.RecordBatch) -> np.ndarray:
        """The group id of each row of the batch (groups met for the first time added)."""
        codes, combined = [], np.zeros(batch.num_rows, dtype=np.int64)
        for column, known in zip(self.columns, self.codes, strict=True):
            encoded = pc.dictionary_encode(batch.column(column), null_encoding="encode")
            dictionary = encoded.dictionary.to_pylist()
            lookup = np.array([known.setdefault(v, len(known)) for v in dictionary], np.int64)
            code = lookup[encoded.indices.to_numpy()]
            codes.append(code)
            if combined.max(initial=0) >= 2**62 // len(known):  # keep the product in int64
                combined = np.unique(combined, return_inverse=True)[1].reshape(-1)
            combined = combined * len(known) + code
        _, first, position = np.unique(combined, return_index=True, return_inverse=True)
        keys = np.column_stack([code[first] for code in codes]).astype(np.int64)
        keys = keys.view(f"V{keys.shape[1] * 8}").ravel().tolist()
        ids = self.ids
        for key in keys:
            ids.setdefault(key, len(ids))
        self.grow(len(ids))
        found = np.fromiter((ids[key] for key in keys), dtype=np.int64, count=len(keys))
        return found[position.reshape(-1)]

    def grow(self, size: int) -> None:
        """Room for at least `size` groups (new room: sums 0, fpc range NaN)."""
        if size <= self.capacity:
            return
        more = max(size, self.capacity + self.capacity // 4) - self.capacity
        self.capacity += more
        for name, values in self.sums.items():
            # zeros from the system, untouched until summed into (a concatenation would touch
            # every page twice)
            larger = np.zeros((self.indicators, self.capacity), dtype=values.dtype)
            larger[:, : values.shape[1]] = values
            self.sums[name] = larger
        self.respondents = np.concatenate([self.respondents, np.zeros(more, dtype=np.int64)])
        self.weight = np.concatenate([self.weight, np.zeros(more)])
        self.fpc_min = np.concatenate([self.fpc_min, np.full(more, np.nan)])
        self.fpc_max = np.concatenate([self.fpc_max, np.full(more, np.nan)])


def column_values(column: pa.Array) -> tuple[np.ndarray, np.ndarray | None]:
    """An answer column as numpy values and whether each is given (None: all are). Integers
    are read from Arrow's buffers without a copy; a value under a null is arbitrary."""
    if pa.types.is_integer(column.type):
        dtype = np.dtype(column.type.to_pandas_dtype())
        validity, data = column.buffers()[:2]
        start, end = column.offset, column.offset + len(column)
        values = np.frombuffer(data, dtype=dtype, count=end)[start:]
        if column.null_count == 0:
            return values, None
        bits = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), bitorder="little")
        return values, bits[start:end].view(bool)
    values = column.fill_null(0).to_numpy(zero_copy_only=False)
    if column.null_count == 0:
        return values, None
    return values, column.is_valid().to_numpy(zero_copy_only=False)


def classes(values: np.ndarray, given: np.ndarray | None, indicator: Indicator) -> np.ndarray:
    """Per respondent: 0 not answered (no answer, or an excluded code), 1 answered, 2 counted.
    Answers of 8 or 16 bits are looked up in a table of every value of their type (a gather
    instead of a comparison per code)."""
    if values.dtype.kind in "iu" and values.dtype.itemsize <= 2:
        unsigned = f"u{values.dtype.itemsize}"
        domain = np.arange(256**values.dtype.itemsize, dtype=unsigned).view(values.dtype)
        found = np.take(class_of(domain, indicator), values.view(unsigned))
    else:
        found = class_of(values, indicator)
    if given is not None:
        np.multiply(found, given, out=found)
    return found


def class_of(values: np.ndarray, indicator: Indicator) -> np.ndarray:
    """The class (0, 1 or 2) of each value, as int8."""
    counted = np.isin(values, indicator.count_codes)
    excluded = np.isin(values, indicator.exclude_codes)
    return np.where(counted, 2, np.where(excluded, 0, 1)).astype(np.int8)


def add_batch(
    groups: Groups,
    batch: pa.RecordBatch,
    by_item: dict[str, list[tuple[int, Indicator]]],
    pool: ThreadPoolExecutor | None = None,
) -> None:
    """Add one batch's respondents to the running sums of their finest groups; with a pool, its
    threads sum disjoint sets of items (each indicator's rows of the sums are its own)."""
    group = groups.of_rows(batch)
    room = groups.capacity
    weight = batch.column("__w").to_numpy(zero_copy_only=False)
    if not np.isfinite(weight).all():
        raise ValueError("a weight is missing or not a finite number")
    groups.respondents += np.bincount(group, minlength=room)
    groups.weight += np.bincount(group, weights=weight, minlength=room)
    fpc = batch.column("__fpc")
    if fpc.null_count < len(fpc):
        values = fpc.to_numpy(zero_copy_only=False)  # nulls as NaN, which fmin/fmax skip
        np.fmin.at(groups.fpc_min, group, values)
        np.fmax.at(groups.fpc_max, group, values)
    base = group * 3
    n, ny, sw, swy = (groups.sums[name] for name in ("n", "ny", "sw", "swy"))

    def add_items(items: list[tuple[str, list[tuple[int, Indicator]]]]) -> None:
        for item, indicators in items:
            values, given = column_values(batch.column(item))
            for index, indicator in indicators:
                key = base + classes(values, given, indicator)
                count = np.bincount(key, minlength=3 * room).reshape(room, 3)
                weighted = np.bincount(key, weights=weight, minlength=3 * room).reshape(room, 3)
                n[index] += count[:, 1]
                n[index] += count[:, 2]
                ny[index] += count[:, 2]
                sw[index] += weighted[:, 1]
                sw[index] += weighted[:, 2]
                swy[index] += weighted[:, 2]

    work = list(by_item.items())
    if pool is None:
        add_items(work)
        return
    shares = [work[k::THREADS] for k in range(THREADS)]
    for done in [pool.submit(add_items, share) for share in shares]:
        done.result()  # raises what the thread raised


def indicators_by_item(indicators: Sequence[Indicator]) -> dict[str, list[tuple[int, Indicator]]]:
    """The indicators of each item with their positions: an item's column is read once."""
    by_item: dict[str, list[tuple[int, Indicator]]] = {}
    for index, indicator in enumerate(indicators):
        by_item.setdefault(indicator.item_id, []).append((index, indicator))
    return by_item


def finest_groups(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: dict,
    indicators: Sequence[Indicator],
    breakdowns: Sequence[str],
    size: int | None = None,
) -> Groups:
    """The sums of every finest group of the respondents that `sql` (respondents.sql) reads;
    `size`, the number of finest groups when known, gives the sums their room at once."""
    by_item = indicators_by_item(indicators)
    groups = Groups([*BASE, *breakdowns], len(indicators))
    if size:
        # growing the room batch by batch copied every sum into fresh memory each time: at
        # 1,000,000 respondents 150 indicators x ~29,000 groups x 24 bytes, ~100 MB (the peak
        # RSS this saves is in docs/performance.md)
        groups.grow(size)
    with ThreadPoolExecutor(THREADS) as pool:
        for batch in batches(con.sql(sql, params=params).to_arrow_reader(BATCH_ROWS)):
            add_batch(groups, batch, by_item, pool)
            if groups.respondents.max(initial=0) > COUNT_LIMIT:
                raise ValueError(
                    f"more than {COUNT_LIMIT:,} respondents in one PSU and breakdown value: the "
                    "pass counts in 32 bits (split the file)"
                )
    return groups


def batches(reader: pa.RecordBatchReader):
    """The reader's record batches joined into batches of about BATCH_ROWS rows: DuckDB yields
    one per row group or so, and each batch costs a pass over every group's sums."""
    waiting, rows = [], 0
    for batch in reader:
        waiting.append(batch)
        rows += batch.num_rows
        if rows >= BATCH_ROWS:
            yield pa.Table.from_batches(waiting).combine_chunks().to_batches()[0]
            waiting, rows = [], 0
    if rows:
        yield pa.Table.from_batches(waiting).combine_chunks().to_batches()[0]


def null_if_nan(values: np.ndarray) -> pa.Array:
    """Floats with NaN as null (SQL's min and max over no value)."""
    return pa.array(values, pa.float64(), mask=np.isnan(values))


def no_rows(groups: Groups) -> tuple[dict, dict]:
    """The key columns and sums of a pass over no respondents."""
    keys = {
        name: pa.array([], pa.string())
        for name in ("breakdown_id", "breakdown_value", "population_id", "stratum", "psu")
    }
    keys["respondents"] = pa.array([], pa.int64())
    for name in ("weight", "fpc_min", "fpc_max"):
        keys[name] = pa.array([], pa.float64())
    return keys, {name: np.zeros((0, groups.indicators)) for name in groups.sums}


def null_last_ranks(values: list) -> np.ndarray:
    """The rank of each value as ORDER BY sorts text (NULLs last)."""
    order = sorted(range(len(values)), key=lambda i: (values[i] is None, values[i] or ""))
    ranks = np.empty(len(values), dtype=np.int64)
    ranks[order] = np.arange(len(values))
    return ranks


def grouping_sets(groups: Groups, breakdowns: Sequence[str], total: str) -> tuple[dict, dict]:
    """The finest groups rolled up to each breakdown on its own and to `total` (the GROUPING
    SETS of partials.sql), sorted as its ORDER BY ALL sorts them (NULLs last): the key columns
    (partials.KEYS and UNIT_COLUMNS) and the sums, rows x indicators."""
    if not groups.count:
        return no_rows(groups)
    codes = np.frombuffer(b"".join(groups.ids), dtype=np.int64).reshape(groups.count, -1)
    radix = [max(len(known), 1) for known in groups.codes]
    values = [groups.values(column) for column in range(len(groups.columns))]
    count = groups.count
    # every text of the breakdown_id and breakdown_value columns, as codes in ORDER BY's order
    texts = list(dict.fromkeys([total, *breakdowns, *(v for known in values[3:] for v in known)]))
    texts = [texts[i] for i in np.argsort(null_last_ranks(texts))]
    text_code = {text: code for code, text in enumerate(texts)}
    # per grouping set: the row of each finest group, and each row's first finest group and
    # breakdown_id and breakdown_value codes
    targets, firsts, ids, labels, rows = [], [], [], [], 0
    for position, breakdown in enumerate([None, *breakdowns]):
        columns = [0, 1, 2] if breakdown is None else [0, 1, 2, 2 + position]
        combined = np.zeros(count, dtype=np.int64)
        for column in columns:
            combined = combined * radix[column] + codes[:, column]
        _, first, target = np.unique(combined, return_index=True, return_inverse=True)
        targets.append(target.reshape(-1) + rows)
        firsts.append(first)
        rows += len(first)
        ids.append(np.full(len(first), text_code[breakdown or total]))
        if breakdown is None:
            labels.append(np.full(len(first), text_code[total]))
        else:
            lookup = np.array([text_code[value] for value in values[2 + position]], np.int64)
            labels.append(lookup[codes[first, 2 + position]])
    base = codes[np.concatenate(firsts), :3]
    ids, labels = np.concatenate(ids), np.concatenate(labels)
    ranks = [null_last_ranks(values[column])[base[:, column]] for column in range(3)]
    sort = np.lexsort((*reversed(ranks), labels, ids))
    rank = np.empty(rows, dtype=np.int64)
    rank[sort] = np.arange(rows)
    from scipy import sparse  # inside: scipy_import.py

    # rows x finest groups, a 1 where the group belongs to the row: one product per sum
    member = sparse.csr_matrix(
        (
            np.ones(count * len(targets)),
            (rank[np.concatenate(targets)], np.tile(np.arange(count), len(targets))),
        ),
        shape=(rows, count),
    )
    text = np.array(texts, dtype=object)
    keys = {
        "breakdown_id": pa.array(text[ids[sort]], pa.string()),
        "breakdown_value": pa.array(text[labels[sort]], pa.string()),
    }
    for column, name in enumerate(("population_id", "stratum", "psu")):
        known = np.array(values[column], dtype=object)
        keys[name] = pa.array(known[base[sort, column]], pa.string())
    keys["respondents"] = pa.array((member @ groups.respondents[:count]).astype(np.int64))
    keys["weight"] = pa.array(member @ groups.weight[:count])
    for name, least in (("fpc_min", np.fmin), ("fpc_max", np.fmax)):
        bound = np.full(rows, np.nan)
        for target in targets:
            least.at(bound, rank[target], getattr(groups, name)[:count])
        keys[name] = null_if_nan(bound)
    sums = {}
    for name, finest in groups.sums.items():
        summed = sums[name] = np.empty((rows, groups.indicators))
        for first in range(0, groups.indicators, CHUNK):
            block = np.ascontiguousarray(finest[first : first + CHUNK, :count].T)
            summed[:, first : first + CHUNK] = member @ block
    return keys, sums
