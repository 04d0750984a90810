"""The respondent checks split into one part per file (what a Dask worker runs) and merged in
the flow: checks across files (repeated ids, a stratum's PSUs) see every file through small
derived data, the merge equals the check of the same rows in one file, and what a part takes
and returns holds no respondent of a clean file."""

from __future__ import annotations

import hmac
import pickle

import duckdb
import pyarrow as pa

from pipeline.checks.microdata.merge import merge_microdata
from pipeline.checks.microdata.part import check_file
from pipeline.checks.microdata.plan import plan_microdata
from pipeline.ingest.microdata import MicrodataSpec
from tests.checks.respondent_files import (
    BREAKDOWNS,
    ITEMS,
    LEAVES,
    SHOWN,
    base,
    changed,
    run,
    write,
)


def split(folder, columns: dict[str, pa.Array], sizes: list[int]):
    """The rows of `columns` written as consecutive files part-0, part-1, ... of `sizes` rows."""
    table = pa.table(columns)
    start = 0
    for index, size in enumerate(sizes):
        write(folder / f"part-{index}.parquet", table.slice(start, size).to_pydict())
        start += size
    return folder


def planned(folder):
    microdata = MicrodataSpec(
        path=folder, synthetic=True, weight="weight", strata="stratum", psu="psu"
    )
    with duckdb.connect() as con:
        return plan_microdata(con, microdata, SHOWN, LEAVES, ITEMS, BREAKDOWNS)


def test_a_stratum_whose_psus_lie_in_different_files_is_not_a_single_psu(tmp_path):
    # stratum s1 has PSU 1 in part-0 and PSU 2 in part-1; each file alone has one PSU of s1
    data = changed(stratum=["s1", "s2", "s2", "s1", "s2", "s2"], psu=[1, 3, 4, 2, 3, 4])
    folder = split(tmp_path / "parts", data, [3, 3])
    assert run(folder).valid
    assert run(folder / "part-0.parquet").counts == {"microdata-single-psu-stratum": 1}


def test_weights_too_small_beside_the_editions_total_are_counted_per_file(tmp_path):
    """One weight of 1.5e12 in part-0: beside it the others (1 to 3.25) would keep fewer than 6
    significant digits in exact sums. Each file is named with how many of its weights, the
    column and a hint about the unit, never a weight; alone, part-1's weights are fine."""
    data = changed(weight=[1.5e12, 2.0, 1.0, 3.25, 1.0, 2.5])
    folder = split(tmp_path / "parts", data, [3, 3])
    check = run(folder)
    assert check.counts == {"microdata-weight-range": 5}
    found = [(p.file, p.column, p.message) for p in check.public_problems()]
    assert [(file, column) for file, column, _ in found] == [
        (f"{SHOWN}/part-0.parquet", "weight"),
        (f"{SHOWN}/part-1.parquet", "weight"),
    ]
    assert found[0][2].startswith("2 weight(s) are too small") and "unit" in found[0][2]
    assert found[1][2].startswith("3 weight(s) are too small")
    assert not any(text in str(found) for text in ("1.5e", "1500000000000", "3.25"))
    assert run(folder / "part-1.parquet").valid


def test_an_id_in_two_files_is_a_duplicate_named_by_the_file_of_its_first_row(tmp_path):
    data = changed(respondent_id=["r1", "r2", "r3", "r4", "r3", "r6"])
    check = run(split(tmp_path / "parts", data, [3, 3]))
    assert check.counts == {"microdata-duplicate-respondent": 1}
    assert [(p.file, p.value) for p in check.local] == [(f"{SHOWN}/part-0.parquet", "r3")]


def hashed(*results) -> list[bytes]:
    """The id hashes of `results` as 16-byte strings (high half first), in order."""
    return [
        high.to_bytes(8, "big") + low.to_bytes(8, "big")
        for result in results
        for high, low in result.id_hashes.tolist()
    ]


def test_equal_hashes_of_different_ids_are_cleared_by_the_exact_check(tmp_path):
    plan = planned(split(tmp_path / "parts", base(), [3, 3]))
    first, second = (check_file(part) for part in plan.parts)
    assert len(first.id_hashes) == 3 and not set(hashed(first)) & set(hashed(second))
    collided = first.id_hashes.copy()  # as if part-1's ids hashed like part-0's
    second = type(second)(second.path, second.counted, second.first, collided, second.units)
    with duckdb.connect() as con:
        assert merge_microdata(con, plan, [first, second]).valid


def test_the_merge_of_the_parts_equals_the_check_of_one_file(tmp_path):
    ids = [f"r{i:02d}" for i in range(30)]
    data = {
        "respondent_id": pa.array(ids),
        "population_id": pa.array(["elders"] * 30),
        "stratum": pa.array(["s1", "s2"] * 15),
        "psu": pa.array([1, 2, 3, 4, 5, 6] * 5, pa.int32()),
        "weight": pa.array([1.0] * 30),
        "v001": pa.array([1, 2, 7] * 10, pa.int8()),
    }
    whole = run(write(tmp_path / "one.parquet", data))
    parts = run(split(tmp_path / "parts", data, [7, 13, 10]))
    assert (
        parts.counts
        == whole.counts
        == {
            "microdata-unknown-population": 30,
            "microdata-code-outside-scale": 10,
        }
    )
    assert [(p.rule, p.value, p.message) for p in parts.local] == [
        (p.rule, p.value, p.message) for p in whole.local
    ]
    named = [p for p in parts.local if p.value and p.rule == "microdata-unknown-population"]
    files = [p.file.rsplit("/", 1)[-1] for p in named]  # by file, then row: 7 + 13 of 30
    assert files == ["part-0.parquet"] * 7 + ["part-1.parquet"] * 13


def test_a_part_and_the_result_of_a_clean_file_hold_no_respondent(tmp_path):
    ids = [f"R-SECRET-{i:04d}" for i in range(6)]
    folder = split(tmp_path / "parts", changed(respondent_id=ids), [3, 3])
    plan = planned(folder)
    results = [check_file(part) for part in plan.parts]
    sent = pickle.dumps(plan.parts) + pickle.dumps(results)
    assert b"R-SECRET" not in sent
    assert len(pickle.dumps(plan.parts[0])) < 4_000
    with duckdb.connect() as con:
        assert merge_microdata(con, plan, results).valid


def test_ids_are_hashed_by_hmac_sha256_under_a_key_made_per_validation(tmp_path):
    ids = ["r1", "r2", "r3", "r4", "r3", "r6"]  # r3 in part-0 and in part-1
    folder = split(tmp_path / "parts", changed(respondent_id=ids), [3, 3])
    runs = [planned(folder) for _ in range(2)]
    hashes = []
    for plan in runs:
        (key,) = {id(part.id_key): part.id_key for part in plan.parts}.values()  # one per run
        results = [check_file(part) for part in plan.parts]
        expected = [hmac.new(key.secret, i.encode(), "sha256").digest()[:16] for i in ids]
        assert hashed(*results) == expected
        with duckdb.connect() as con:  # the repeated id is still found from the hashes
            assert merge_microdata(con, plan, results).counts == {
                "microdata-duplicate-respondent": 1
            }
        hashes.append(set(expected))
    assert not hashes[0] & hashes[1]  # another validation, another key: no hash in common


def test_the_id_key_travels_in_the_part_and_no_repr_shows_it(tmp_path):
    folder = split(tmp_path / "parts", base(), [3, 3])
    plan, other = planned(folder), planned(folder)
    secret = plan.parts[0].id_key.secret
    assert len(secret) == 32 and secret != other.parts[0].id_key.secret
    shown = repr(plan) + str(plan.parts[0].id_key)
    assert secret.hex() not in shown and repr(secret) not in shown
    assert pickle.loads(pickle.dumps(plan.parts[0])).id_key.secret == secret  # for a worker
