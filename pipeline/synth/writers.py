"""The synthetic respondent table written in each format `werkdata synth --format` offers.

Parquet is the contract's own table, as it always was. SPSS (.sav), Stata (.dta) and CSV hold
the same respondents in an agency's layout (pipeline/synth/agency.py): SPSS and Stata with
variable labels (the question) and value labels (the scale, the sector, the breakdown's
values), "weet niet" (9) declared user-missing in SPSS and an ordinary labelled code in Stata
(which has no user-missing codes); weights as 8-byte doubles everywhere, printed with 17
significant digits in CSV so that they read back exactly.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from pipeline.synth.agency import CSV_DIALECT, AgencyLayout
from pipeline.synth.shape import SynthRefused

FORMATS = ("parquet", "sav", "dta", "csv")
# rows per Parquet row group: DuckDB reads a file with one thread per row group, so one group
# of a million rows would be read by one core
ROW_GROUP = 100_000
STATA_LABEL = 80  # characters of a Stata variable label; longer questions are cut, as Stata does


def agency_table(table: pa.Table, layout: AgencyLayout) -> pa.Table:
    """The contract's table in the agency's layout: coded columns as int8 codes (null stays
    null), every column under its file name, in the table's order."""
    coded = {coded.contract: coded for coded in layout.coded}
    names = layout.file_names()
    columns = []
    for name in table.column_names:
        column = table[name]
        if name in coded:
            values = pa.array(list(coded[name].codes()), pa.string())
            codes = list(coded[name].codes().values())
            index = pc.index_in(column, value_set=values)
            column = pc.take(pa.array(codes, pa.int8()), index)
        columns.append(column)
    return pa.table(columns, names=[names[name] for name in table.column_names])


def write_parquet(table: pa.Table, path: Path, layout: AgencyLayout) -> None:
    """The contract's table itself (no mapping), as synth always wrote it."""
    pq.write_table(table, path, row_group_size=ROW_GROUP)


def write_sav(table: pa.Table, path: Path, layout: AgencyLayout) -> None:
    """SPSS: numbers are doubles (nulls system-missing), "weet niet" user-missing, bytecode
    (row) compression as SPSS itself writes by default."""
    import pyreadstat

    frame = agency_table(table, layout).to_pandas()
    pyreadstat.write_sav(
        frame,
        path,
        column_labels=layout.variable_labels(),
        variable_value_labels=layout.value_labels(),
        missing_ranges=layout.user_missing(),
        row_compress=True,
    )


def write_dta(table: pa.Table, path: Path, layout: AgencyLayout) -> None:
    """Stata: codes as integers with missing values (nullable), weights as doubles, "weet
    niet" a labelled code like any other; a question longer than a Stata variable label may hold
    is cut to STATA_LABEL characters."""
    import pandas as pd
    import pyreadstat

    frame = agency_table(table, layout).to_pandas(types_mapper={pa.int8(): pd.Int8Dtype()}.get)
    pyreadstat.write_dta(
        frame,
        path,
        column_labels={k: v[:STATA_LABEL] for k, v in layout.variable_labels().items()},
        variable_value_labels=layout.value_labels(),
    )


def write_csv(table: pa.Table, path: Path, layout: AgencyLayout) -> None:
    """CSV in the declared dialect (CSV_DIALECT): no labels (CSV has none), codes as in the
    other formats, the weights with 17 significant digits and the dialect's decimal mark."""
    agency = agency_table(table, layout)
    decimal = CSV_DIALECT["decimal"]
    columns = []
    for field, column in zip(agency.schema, agency.columns, strict=True):
        if pa.types.is_floating(field.type):
            column = pa.array(
                [None if v is None else format(v, ".17g").replace(".", decimal)
                 for v in column.to_pylist()],
                pa.string(),
            )  # fmt: skip
        columns.append(column)
    text = pa.table(columns, names=agency.column_names)
    delimiter = CSV_DIALECT["delimiter"]
    options = pa_csv.WriteOptions(include_header=False, delimiter=delimiter, quoting_style="none")
    with path.open("wb") as handle:
        # the header unquoted, as a spreadsheet exports it (pyarrow quotes every name)
        handle.write((delimiter.join(text.column_names) + "\n").encode(CSV_DIALECT["encoding"]))
        for start in range(0, text.num_rows, ROW_GROUP):  # in slices: bounded memory
            sink = pa.BufferOutputStream()
            pa_csv.write_csv(text.slice(start, ROW_GROUP), sink, options)
            data = sink.getvalue().to_pybytes().decode("utf-8")
            handle.write(data.encode(CSV_DIALECT["encoding"]))


WRITERS = {"parquet": write_parquet, "sav": write_sav, "dta": write_dta, "csv": write_csv}


def write_respondents(table: pa.Table, path: Path, file_format: str, layout: AgencyLayout) -> None:
    """Write the respondents to `path` in `file_format` (one of FORMATS)."""
    if file_format not in WRITERS:
        raise SynthRefused(f"--format must be one of {', '.join(FORMATS)}, not {file_format}")
    WRITERS[file_format](table, path, layout)
