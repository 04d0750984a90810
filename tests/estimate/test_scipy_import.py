"""scipy is imported on a thread while the pass reads (pipeline/estimate/scipy_import.py):
importing the estimation does not import scipy, the block leaves it imported, raised or not,
and a failing import is left to the code that needs the module."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pipeline.estimate import scipy_import
from tests.helpers import REPO


def fresh(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


def test_importing_the_estimation_leaves_scipy_to_the_pass():
    code = (
        "import sys\n"
        "import pipeline.estimate, pipeline.orchestrate.estimation, pipeline.orchestrate.plan\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'scipy'))"
    )
    assert fresh(code) == "[]"


def test_the_block_leaves_scipy_imported_even_when_it_raises():
    code = (
        "import sys\n"
        "from pipeline.estimate.scipy_import import imported_meanwhile\n"
        "names = ('scipy.sparse', 'scipy.special')\n"
        "before = [name in sys.modules for name in names]\n"
        "try:\n"
        "    with imported_meanwhile():\n"
        "        raise KeyError('in the block')\n"
        "except KeyError as error:\n"
        "    raised = error.args[0]\n"
        "print(before, [name in sys.modules for name in names], raised)"
    )
    assert fresh(code) == "[False, False] [True, True] in the block"


def test_a_failing_import_is_left_to_its_user(monkeypatch, capfd):
    monkeypatch.setattr(scipy_import, "MODULES", ("werkdata_no_such_module",))
    with scipy_import.imported_meanwhile():
        pass
    assert capfd.readouterr().err == ""  # no thread's traceback printed
    with pytest.raises(ModuleNotFoundError):
        __import__("werkdata_no_such_module")
