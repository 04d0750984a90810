"""The numpy pass reads Parquet answers with pyarrow and the key columns with DuckDB: the rows
stay together (the partial sums equal the SQL pass's bit for bit over files whose row groups,
pyarrow's batches and DuckDB's batches all break at different rows), the pyarrow read is the
one taken, files it cannot read as one table go through DuckDB, and two reads that disagree on
the number of rows are an error."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.estimate import respondent_batches
from pipeline.estimate.partials import bincount_partials, sql_partials
from tests.estimate import synthetic
from tests.estimate.test_bincount_pass import BREAKDOWNS, INDICATORS, assert_same, mixed_table


def write_files(table: pa.Table, folder, sizes: list[int], row_group: int) -> list:
    """The table's rows as consecutive Parquet files of `sizes` rows, in row groups of
    `row_group` rows."""
    folder.mkdir()
    paths, start = [], 0
    for number, size in enumerate(sizes):
        path = folder / f"part-{number}.parquet"
        pq.write_table(table.slice(start, size), path, row_group_size=row_group)
        paths.append(path)
        start += size
    return paths


def passes(paths, fpc=None):
    con = duckdb.connect()
    design = synthetic.Design("weight", strata="stratum", psu="psu", fpc=fpc)
    args = (con, paths, design, INDICATORS, BREAKDOWNS, "population_id")
    return bincount_partials(*args), sql_partials(*args)


@pytest.fixture
def answers_read(monkeypatch):
    """The files whose answers the pyarrow read went through."""
    read = []
    real = respondent_batches.answers

    def spy(paths, items):
        read.append([path.name for path in paths])
        return real(paths, items)

    monkeypatch.setattr(respondent_batches, "answers", spy)
    return read


def test_the_parquet_read_gives_the_sql_pass_sums(tmp_path, monkeypatch, answers_read):
    monkeypatch.setattr(respondent_batches, "BATCH_ROWS", 7_000)
    table = mixed_table(30_000)
    # an empty file among them, and row groups that end neither at a file's end nor a batch's
    paths = write_files(table, tmp_path / "files", [11_000, 0, 12_345, 6_655], row_group=3_001)
    numpy_pass, sql_pass = passes(paths, fpc="fpc")
    assert answers_read == [[path.name for path in paths]]
    assert numpy_pass.rows > 1_000
    assert_same(numpy_pass, sql_pass)


def test_files_with_other_answer_types_are_read_through_duckdb(tmp_path, answers_read):
    table = mixed_table(4_000)
    first = write_files(table.slice(0, 2_000), tmp_path / "a", [2_000], row_group=500)
    other = table.slice(2_000).set_column(
        table.schema.get_field_index("q000"), "q000", table.slice(2_000)["q000"].cast(pa.int32())
    )
    second = write_files(other, tmp_path / "b", [2_000], row_group=500)
    numpy_pass, sql_pass = passes([*first, *second])
    assert answers_read == []
    assert_same(numpy_pass, sql_pass)


def test_a_registered_table_is_read_through_duckdb(answers_read):
    con = duckdb.connect()
    con.register("respondents", mixed_table(2_000))
    design = synthetic.Design("weight", strata="stratum", psu="psu")
    args = (con, "respondents", design, INDICATORS, BREAKDOWNS, "population_id")
    assert_same(bincount_partials(*args), sql_partials(*args))
    assert answers_read == []


def batches_of(sizes: list[int]):
    return (pa.record_batch({"key": pa.array(range(size), pa.int64())}) for size in sizes)


def answer_batches(sizes: list[int]):
    return (pa.record_batch({"q": [size] * size}) for size in sizes)


def test_keys_are_cut_to_the_answers_rows():
    joined = list(respondent_batches.side_by_side(batches_of([3, 0, 4, 2]), answer_batches([5, 4])))
    assert [batch.to_pydict() for batch in joined] == [
        {"key": [0, 1, 2, 0, 1], "q": [5] * 5},
        {"key": [2, 3, 0, 1], "q": [4] * 4},
    ]


@pytest.mark.parametrize(
    ("keys", "answers", "which"),
    [([4], [3, 2], "key columns ended"), ([4, 3], [5], "answers ended"), ([2], [], "answers")],
)
def test_reads_of_different_lengths_are_an_error(keys, answers, which):
    with pytest.raises(ValueError, match=which):
        list(respondent_batches.side_by_side(batches_of(keys), answer_batches(answers)))
