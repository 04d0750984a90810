"""scipy, imported on a thread while DuckDB reads the respondents.

The estimation needs scipy.sparse (its roll-ups) and scipy.special (the intervals' quantiles).
Importing them costs ~0.1 s in a fresh process, most of it numpy.f2py, which scipy's array-API
layer loads through `from numpy import *`; all of it is Python holding the GIL, while DuckDB
reading a Parquet file holds none. So the passes read inside `imported_meanwhile()`, which
imports scipy on a thread and joins it at the end of the block: one thread at a time imports
scipy, and the read's time pays for the import (bench/import_overlap.py measures both orders).

The modules that use scipy import it inside their functions, so that importing the estimation
does not pay for it first.
"""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

MODULES = ("scipy.sparse", "scipy.special")


def import_scipy() -> None:
    """Import MODULES. A failure is left to the import that needs the module, which raises it
    where it is used (a thread's exception would only be printed)."""
    for name in MODULES:
        try:
            importlib.import_module(name)
        except ImportError:
            return


@contextmanager
def imported_meanwhile() -> Iterator[None]:
    """Import MODULES on a thread while the block runs; joined when the block ends, raised or
    not. Nothing to do when they are imported already."""
    if all(name in sys.modules for name in MODULES):
        yield
        return
    thread = threading.Thread(target=import_scipy, name="import scipy", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()
