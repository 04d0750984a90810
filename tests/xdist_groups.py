"""A pytest plugin that keeps `--dist loadgroup` (make check, make test) honest: the tests of
one `xdist_group` run in one worker, one after another.

pytest-xdist sends a group to one worker by the `@<group>` suffix of each test's id. xdist 3.8
writes that suffix into the item's `_nodeid`, which pytest 9.2 no longer reads, so the groups
were silently ignored (https://github.com/pytest-dev/pytest-xdist/issues/1386); this writes it
into the id pytest 9.2 keeps. An xdist that fixes it adds the suffix itself, and then this leaves
the id alone. tests/test_xdist_groups.py runs a small suite on two workers to prove it holds.
"""

from __future__ import annotations

import pytest


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under `--dist loadgroup` (make check, make test), end each grouped test's id with
    `@<group>`, which is how pytest-xdist's scheduler sends a group to one worker.

    pytest-xdist 3.8 writes that suffix into the item's `_nodeid`, which pytest 9.2 no longer
    reads, so the groups are silently ignored
    (https://github.com/pytest-dev/pytest-xdist/issues/1386); this writes it into the id pytest
    9.2 keeps. An xdist that fixes it adds the suffix itself, and then this leaves the id alone.
    """
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        nodeid = item.nodeid
        if nodeid.rfind("@") > nodeid.rfind("]"):  # grouped already
            continue
        groups = sorted(
            {str(m.args[0] if m.args else m.kwargs.get("name", "default"))
             for m in item.iter_markers("xdist_group")}
        )  # fmt: skip
        if groups:
            item._id = type(item._id).parse(f"{nodeid}@{'_'.join(groups)}")
