"""`werkdata synth`: writes a project and says where; refusals are usage errors (exit 2)."""

from __future__ import annotations

import pytest

from flows.cli import main
from tests.helpers import run_werkdata
from tests.synth.readers import REPO, spec


def test_synth_writes_a_project_and_says_where(tmp_path, capsys):
    out = tmp_path / "demo"
    code = main(["--root", str(REPO), "synth", "--respondents", "600", "--seed", "2",
                 "--out", str(out), "--partitions", "2", "--items", "5"])  # fmt: skip
    said = capsys.readouterr()
    assert (code, said.err) == (0, "")
    assert f"synthetic project: {out}" in said.out and "600 respondents x 5 items" in said.out
    assert [f.name for f in spec(out).files()] == ["part-000.parquet", "part-001.parquet"]


def test_synth_refusals_are_usage_errors_without_a_traceback(tmp_path, capsys):
    code = main(["--root", str(REPO), "synth", "--respondents", "50", "--seed", "2",
                 "--out", str(tmp_path / "x")])  # fmt: skip
    said = capsys.readouterr()
    assert code == 2 and "--respondents must be at least 300" in said.err
    assert "Traceback" not in said.err and not (tmp_path / "x").exists()
    code = main(["--root", str(REPO), "synth", "--respondents", "600", "--seed", "2",
                 "--out", str(REPO)])  # fmt: skip
    assert code == 2 and "is the project synth reads" in capsys.readouterr().err


def test_synth_needs_a_project_to_calibrate_from(tmp_path, capsys):
    code = main(["--root", str(tmp_path), "synth", "--respondents", "600", "--seed", "2",
                 "--out", str(tmp_path / "x")])  # fmt: skip
    assert code == 2 and "not a werkdata project" in capsys.readouterr().err


@pytest.mark.slow
def test_make_demo_writes_and_publishes_a_synthetic_project(tmp_path):
    """`make demo` as documented, small: the project is generated and published, and its page,
    README and DCAT say synthetic. 10 items, not 150: the target is tested, not the scale (the
    disclosure audit of 1,000 respondents' 150 items took ~20 s of CPU)."""
    import subprocess

    demo = tmp_path / "demo"
    small = ["DEMO_RESPONDENTS=1000", "DEMO_ITEMS=10"]
    result = subprocess.run(
        ["make", "--no-print-directory", "demo", f"DEMO={demo}", *small],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    items = (demo / "raw" / "codelists" / "items.csv").read_text(encoding="utf-8").splitlines()
    assert len(items) == 1 + 10  # the header and DEMO_ITEMS
    latest = (demo / "published" / "werkonderzoek" / "latest").resolve()
    assert (latest / "data" / "estimates.parquet").is_file()
    for name in ("index.html", "README.md", "dcat.ttl"):
        assert "SYNTHETISCH" in (latest / name).read_text(encoding="utf-8"), name
    # the query it suggests is on the estimates (the demo has no findings) and gives figures
    (hint,) = [line for line in result.stdout.splitlines() if " query " in line]
    query = hint.split(' query "', 1)[1].rstrip('"')
    assert "FROM estimates" in query
    answer = run_werkdata("--root", str(demo), "query", query, cwd=tmp_path)
    assert answer.returncode == 0 and "openbaar_bestuur" in answer.stdout, answer.stderr


def test_the_smallest_size_synth_accepts_publishes(tmp_path, capsys):
    """300 respondents, the least synth accepts, make a project that publishes (at a few hundred
    a leaf's count went negative and synth crashed)."""
    out = tmp_path / "smallest"
    code = main(["--root", str(REPO), "synth", "--respondents", "300", "--seed", "1",
                 "--out", str(out), "--items", "5"])  # fmt: skip
    assert (code, capsys.readouterr().err) == (0, "")
    assert main(["--root", str(out), "publish", "--local"]) == 0
    assert "published werkonderzoek 1.0.0" in capsys.readouterr().out
