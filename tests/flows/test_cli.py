"""The `werkdata` command as a user runs it, from a project folder or elsewhere: output and
every exit code (0 success, 1 invalid input, 2 usage, 3 lock held, 4 integrity; 70 for a bug is
in tests/flows/test_failures.py), and never a traceback."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipeline.core.paths import Project
from tests.helpers import lock_held_elsewhere, run_werkdata

BIN = Path(sys.executable).parent
# The interpreter the installed `werkdata` script runs with (its shebang), as it prints it.
WERKDATA_PYTHON = (BIN / "werkdata").read_text().splitlines()[0].removeprefix("#!")
TRY_LINES = [
    "try:",
    f'  {BIN}/werkdata query "SELECT edition, population_id, value, status FROM findings '
    "WHERE indicator_id = 'tevreden_organisatie' ORDER BY edition\"",
]
VALID = "valid: 14 file(s) checked, no problems\n"
CHECKED = [
    "raw/2019/edition.yaml",
    "raw/2019/findings.csv",
    "raw/2022/edition.yaml",
    "raw/2022/findings.csv",
    "raw/2024/conclusions.csv",
    "raw/2024/edition.yaml",
    "raw/2024/findings.csv",
    "raw/codelists/breakdowns.csv",
    "raw/codelists/conf_statuses.csv",
    "raw/codelists/indicators.csv",
    "raw/codelists/populations.csv",
    "raw/codelists/sources.csv",
    "raw/codelists/statuses.csv",
    "raw/codelists/themes.csv",
]


def werkdata(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    result = run_werkdata(*args, cwd=cwd)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


def outcome(result: subprocess.CompletedProcess) -> tuple[int, str, str]:
    return result.returncode, result.stdout, result.stderr


@pytest.mark.slow
def test_exit_0_validate_publish_versions_verify_query(project: Project, tmp_path: Path):
    cwd = project.root

    assert outcome(werkdata("validate", cwd=cwd)) == (0, VALID, "")

    assert outcome(werkdata("publish", "--local", cwd=cwd)) == (
        0,
        "\n".join(
            [
                "published werkonderzoek 1.0.0: First release / eerste versie.",
                "package: published/werkonderzoek/1.0.0/datapackage.json",
                *TRY_LINES,
                f'  {WERKDATA_PYTHON} -c "import duckdb; duckdb.sql(\\"FROM '
                "'published/werkonderzoek/latest/data/findings.parquet' LIMIT 5\\\").show()\"",
                "",
            ]
        ),
        "",
    )

    code, out, err = outcome(werkdata("versions", cwd=cwd))
    assert (code, err) == (0, "")
    assert re.fullmatch(
        r"1\.0\.0      \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ  editions 2019,2022,2024  "
        r"first release  \(latest\)\n",
        out,
    )

    assert outcome(werkdata("verify", cwd=cwd)) == (
        0,
        "verified: 1 version(s) intact (1.0.0)\n",
        "",
    )
    # --root points at the project from anywhere
    assert outcome(werkdata("--root", str(cwd), "verify", cwd=tmp_path)) == (
        0,
        "verified: 1 version(s) intact (1.0.0)\n",
        "",
    )

    assert outcome(werkdata("query", "SELECT count(*) FROM findings", cwd=cwd)) == (
        0,
        "count_star()\n28\n",
        "",
    )
    assert outcome(
        werkdata(
            "query",
            "--json",
            "SELECT edition, count(value) AS n FROM findings GROUP BY 1 ORDER BY 1",
            cwd=cwd,
        )
    ) == (
        0,
        '{"edition": 2019, "n": 1}\n{"edition": 2022, "n": 11}\n{"edition": 2024, "n": 8}\n',
        "",
    )

    # a second publish of the same inputs is "unchanged", still exit 0
    code, out, err = outcome(werkdata("publish", "--local", cwd=cwd))
    assert (code, out.splitlines()[:2], err) == (
        0,
        ["unchanged (latest is 1.0.0)", "package: published/werkonderzoek/1.0.0/datapackage.json"],
        "",
    )


@pytest.mark.slow
def test_exit_1_invalid_input_publishes_nothing(project: Project):
    cwd = project.root
    path = project.raw / "2024" / "findings.csv"
    text = path.read_text(encoding="utf-8")
    old = "openbaar_bestuur,tevreden_organisatie,68,A,"
    assert text.count(old) == 1
    path.write_text(text.replace(old, "openbaar_bestuur,tevreden_organisatie,168,A,"), "utf-8")
    expected_text = (
        "invalid: 1 problem(s) in 1 file(s)\n"
        "\n"
        "raw/2024/findings.csv\n"
        "  row 2, column value, value '168': [constraint-error] "
        'constraint "maximum" is "100"\n'
    )

    assert outcome(werkdata("validate", "--json", "out.json", cwd=cwd)) == (1, "", expected_text)
    assert json.loads((cwd / "out.json").read_text(encoding="utf-8")) == {
        "valid": False,
        "error_count": 1,
        "checked": CHECKED,
        "problems": [
            {
                "file": "raw/2024/findings.csv",
                "row": 2,
                "column": "value",
                "value": "168",
                "rule": "constraint-error",
                "message": 'constraint "maximum" is "100"',
                "severity": "error",
            }
        ],
    }

    assert outcome(werkdata("publish", "--local", cwd=cwd)) == (1, "", expected_text)
    assert sorted(p.name for p in project.published.rglob("*")) == []


@pytest.mark.slow
def test_exit_1_configuration_and_build_faults_publish_nothing(project: Project):
    """A publisher's configuration fault (ConfigurationInvalid) and a build the portal would
    refuse (BuildFailed) end like invalid input: exit 1, one line naming the fault."""
    cwd = project.root
    config = project.config_file
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('"https://', '"http://', 1), encoding="utf-8")
    code, out, err = outcome(werkdata("publish", "--local", cwd=cwd))
    assert (code, out) == (1, "")
    assert err.startswith("werkdata publish: DCAT: base_url http://") and "not https" in err
    config.write_text(text, encoding="utf-8")

    allowed = project.schemas / "dcat" / "allowed-values.json"
    document = json.loads(allowed.read_text(encoding="utf-8"))
    licences = document["roles"]["license"]["values"]
    document["roles"]["license"]["values"] = [v for v in licences if "zero/1.0" not in v["uri"]]
    allowed.write_text(json.dumps(document), encoding="utf-8")
    code, out, err = outcome(werkdata("publish", "--local", cwd=cwd))
    assert (code, out) == (1, "")
    assert err.startswith("werkdata publish: DCAT: ") and "not an allowed license value" in err
    assert sorted(p.name for p in project.published.rglob("*") if p.is_dir()) == ["werkonderzoek"]


def test_validate_json_on_good_data(project: Project):
    assert outcome(werkdata("validate", "--json", "report.json", cwd=project.root)) == (
        0,
        VALID,
        "",
    )
    assert json.loads((project.root / "report.json").read_text(encoding="utf-8")) == {
        "valid": True,
        "error_count": 0,
        "checked": CHECKED,
        "problems": [],
    }


def test_exit_2_usage_errors(project: Project):
    cwd = project.root
    for args, message in [
        (["bogus"], "werkdata: error: argument command: invalid choice: 'bogus'"),
        (["publish", "--nope"], "werkdata: error: unrecognized arguments: --nope"),
        (
            ["publish", "--bump", "huge"],
            "werkdata publish: error: argument --bump: invalid choice: 'huge'",
        ),
        ([], "werkdata: error: the following arguments are required: command"),
        (
            ["publish", "--dask-address", "tcp://127.0.0.1:8786"],
            "werkdata: error: --dask-address needs --task-runner dask",
        ),
        (
            ["publish", "--local", "--task-runner", "dask"],
            "werkdata: error: --task-runner dask runs through Prefect: it cannot be combined "
            "with --local",
        ),
        (
            ["publish", "--local", "--record-run"],
            "werkdata: error: --record-run records a Prefect flow run: it cannot be combined "
            "with --local",
        ),
        (
            ["publish", "--task-runner", "spark"],
            "werkdata publish: error: argument --task-runner: invalid choice: 'spark'",
        ),
    ]:
        code, out, err = outcome(werkdata(*args, cwd=cwd))
        assert (code, out, err.startswith("usage: werkdata")) == (2, "", True)
        assert err.splitlines()[-1].startswith(message), err


def test_exit_2_bad_sql(release: Project, tmp_path: Path):
    cwd = tmp_path / "project"
    shutil.copytree(release.root, cwd, symlinks=True)
    code, out, err = outcome(werkdata("query", "SELECT nope FROM findings", cwd=cwd))
    assert (code, out) == (2, "")
    assert err.startswith("werkdata query: Binder Error: ")
    assert '"nope"' in err


def test_a_reader_that_stops_early_ends_the_output_quietly(release: Project):
    """`werkdata query ... | head -1`: once the reader closes the pipe, werkdata stops writing and
    exits 141 (what a shell reports for SIGPIPE), with no message and no bug report."""
    sql = "SELECT range AS n FROM range(200000)"  # far more than a pipe's buffer holds
    with subprocess.Popen(
        [str(BIN / "werkdata"), "query", sql],
        cwd=release.root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        first = proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read().decode()
        code = proc.wait(timeout=120)
    assert first == b"n\n"
    assert (code, err) == (141, "")


def test_a_broken_pipe_that_is_not_the_output_is_a_bug(tmp_path: Path, monkeypatch, capsys):
    """Only the reader of standard output going away is exit 141: a pipe broken elsewhere (a
    worker's, a server's) must not pass as a cut output."""
    from flows import cli

    def broken(args):
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setitem(cli.COMMANDS, "versions", broken)
    (tmp_path / "published").mkdir()  # a project to run `versions` in, and keep the report in
    assert cli.main(["--root", str(tmp_path), "versions"]) == cli.BUG
    assert "internal error, a bug in werkdata (BrokenPipeError" in capsys.readouterr().err


@pytest.mark.parametrize("xdg", [True, False], ids=["XDG_STATE_HOME", "home"])
def test_a_bug_with_no_project_found_is_reported_in_the_user_state_folder(
    xdg, tmp_path: Path, monkeypatch, capsys
):
    """A bug before a project was found: the traceback goes to $XDG_STATE_HOME/werkdata/, else
    ~/.local/state/werkdata/, 0600 in folders made 0700; the terminal shows its path only."""
    from flows import cli

    def broken(args):
        raise RuntimeError("respondent werkdata-respondent-000042")

    monkeypatch.setattr(cli, "require_folders", broken)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    if xdg:
        monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
        folder = tmp_path / "state" / "werkdata"
    else:
        monkeypatch.delenv("XDG_STATE_HOME", raising=False)
        folder = tmp_path / "home" / ".local" / "state" / "werkdata"
    nowhere = tmp_path / "not-a-project"
    nowhere.mkdir()

    assert cli.main(["--root", str(nowhere), "versions"]) == cli.BUG

    err = capsys.readouterr().err
    (path,) = folder.glob("bug-*.txt")
    assert err == (
        "werkdata versions: internal error, a bug in werkdata (RuntimeError); "
        f"the full traceback is in {path}\n"
    )
    assert "werkdata-respondent-000042" in path.read_text(encoding="utf-8")
    made = [f for f in [folder, *folder.parents] if f.is_relative_to(tmp_path) and f != tmp_path]
    assert {f.name: mode(f) for f in made} == {f.name: 0o700 for f in made}  # all made here
    assert mode(path) == 0o600
    assert list(nowhere.iterdir()) == []  # nothing written where no project was found


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_exit_3_lock_held_by_another_process(project: Project):
    root = project.dataset_dir()
    with lock_held_elsewhere(root) as holder:
        code, out, err = outcome(werkdata("publish", "--local", cwd=project.root))
    prefix = "werkdata publish: another run is publishing: "
    assert (code, out, err.startswith(prefix), err.endswith("\n")) == (3, "", True, True)
    info = json.loads(err.removeprefix(prefix))
    assert (sorted(info), info["pid"]) == (["host", "pid", "since"], holder.pid)
    assert sorted(p.name for p in root.iterdir() if p.name != ".publish.lock") == []


def test_exit_4_flipped_byte(release: Project, tmp_path: Path):
    cwd = tmp_path / "project"
    shutil.copytree(release.root, cwd, symlinks=True)
    path = cwd / "published" / "werkonderzoek" / "1.0.0" / "data" / "findings.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))

    assert outcome(werkdata("verify", cwd=cwd)) == (
        4,
        "",
        "werkdata verify: integrity check failed\n"
        "  1.0.0/data/findings.parquet: sha256 differs from SHA256SUMS\n"
        "  1.0.0/data/findings.parquet: sha256 differs from datapackage.json\n",
    )


def test_exit_4_damaged_validation_report_of_the_latest_release(release: Project, tmp_path: Path):
    cwd = tmp_path / "project"
    shutil.copytree(release.root, cwd, symlinks=True)
    (cwd / "published" / "werkonderzoek" / "1.0.0" / "validation.json").write_text("[1, 2]")

    code, out, err = outcome(werkdata("publish", "--local", cwd=cwd))
    assert (code, out) == (4, "")
    assert err.startswith("werkdata publish: integrity check failed\n")
    assert "  1.0.0/validation.json: not the validation report a release writes\n" in err


def test_exit_4_deleted_file(release: Project, tmp_path: Path):
    cwd = tmp_path / "project"
    shutil.copytree(release.root, cwd, symlinks=True)
    (cwd / "published" / "werkonderzoek" / "1.0.0" / "data" / "themes.csv").unlink()

    assert outcome(werkdata("verify", cwd=cwd)) == (
        4,
        "",
        "werkdata verify: integrity check failed\n  1.0.0/data/themes.csv: missing\n",
    )


def test_nothing_published_yet(project: Project):
    cwd = project.root
    assert outcome(werkdata("query", "SELECT count(*) FROM findings", cwd=cwd)) == (
        2,
        "",
        "werkdata query: nothing published yet under werkonderzoek/ "
        "(run `werkdata publish` first)\n",
    )
    assert outcome(werkdata("versions", cwd=cwd)) == (0, "no versions published yet\n", "")
    assert outcome(werkdata("verify", cwd=cwd)) == (0, "verified: 0 version(s) intact (none)\n", "")


def test_duckdb_on_latest_findings_parquet(release: Project):
    path = release.dataset_dir() / "latest" / "data" / "findings.parquet"
    con = duckdb.connect()
    try:
        con.execute(f"CREATE VIEW findings AS SELECT * FROM read_parquet('{path}')")

        def value(edition: int, population: str, indicator: str) -> list[tuple]:
            return con.execute(
                "SELECT value FROM findings WHERE edition = ? AND population_id = ? "
                "AND indicator_id = ?",
                [edition, population, indicator],
            ).fetchall()

        assert value(2024, "openbaar_bestuur", "tevreden_organisatie") == [(68.0,)]
        assert value(2022, "openbaar_bestuur", "tevreden_baan") == [(87.0,)]
        assert con.execute(
            "SELECT edition, count(*) FROM findings WHERE status = 'M' AND value IS NULL "
            "GROUP BY edition"
        ).fetchall() == [(2024, 8)]
        assert con.execute(
            "SELECT count(*) FROM findings WHERE (status = 'M') <> (value IS NULL)"
        ).fetchall() == [(0,)]
    finally:
        con.close()


def test_outside_a_project_every_command_says_where_it_looked(tmp_path: Path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    inputs = f"{elsewhere}/schemas/raw-inputs.json and {elsewhere}/raw"
    for args, looked in [
        (["validate"], inputs),
        (["publish", "--local"], inputs),
        (["publish"], inputs),
        (["serve"], inputs),
        (["verify"], f"{elsewhere}/published"),
        (["versions"], f"{elsewhere}/published"),
        (["query", "SELECT 1"], f"{elsewhere}/published"),
        (["shell"], f"{elsewhere}/published"),
    ]:
        assert outcome(werkdata(*args, cwd=elsewhere)) == (
            2,
            "",
            f"werkdata {args[0]}: not a werkdata project: looked for {looked} and found "
            f"nothing. Run it in the project folder, or point to it: werkdata --root DIR "
            f"{args[0]}\n",
        )
    assert list(elsewhere.iterdir()) == []


@pytest.mark.slow
def test_hints_after_publish_work_from_the_folder_it_ran_in(project: Project):
    cwd = project.root.parent
    code, out, err = outcome(werkdata("--root", "project", "publish", "--local", cwd=cwd))
    assert (code, err) == (0, "")
    hints = out.split("try:\n", 1)[1].splitlines()
    assert hints[0].startswith(f"  {BIN}/werkdata --root project query ")
    for hint in hints:
        ran = subprocess.run(
            shlex.split(hint), cwd=cwd, capture_output=True, text=True, timeout=60, check=False
        )
        assert (ran.returncode, ran.stderr) == (0, ""), hint
        assert "population_id" in ran.stdout, hint


def test_help_lists_every_exit_code():
    result = subprocess.run(
        [str(BIN / "werkdata"), "--help"], capture_output=True, text=True, timeout=60, check=True
    )
    codes = re.findall(r"^  (\d+) ", result.stdout.split("exit codes:", 1)[1], re.MULTILINE)
    assert codes == ["0", "1", "2", "3", "4", "70", "141"]


def test_the_suggested_query_names_the_dataset_files_example(project: Project):
    from flows.cli import try_query

    assert "indicator_id = 'tevreden_organisatie'" in try_query(project)
    path = project.schemas / "dataset.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta["example"]["indicator_id"] = "o'brien"
    path.write_text(json.dumps(meta), encoding="utf-8")
    assert "WHERE indicator_id = 'o''brien' ORDER BY edition" in try_query(project)
