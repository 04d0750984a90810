"""The package layout keeps its rules: no import circle among our modules (imports inside
functions and under `if TYPE_CHECKING:` count too), and no module over 600 lines: a module
holds one concept, and one that outgrows the cap splits by concept, never by count. The stage
contracts themselves (imports only downward) are import-linter's, in `make lint`."""

from __future__ import annotations

from pathlib import Path

import grimp

from tests.helpers import REPO

MAX_LINES = 600


def import_graph() -> dict[str, set[str]]:
    """{module: the modules of ours it imports}, every import statement counted."""
    graph = grimp.build_graph("pipeline", "flows", cache_dir=None)
    return {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module, or a module importing itself
    (Tarjan's algorithm, iteratively)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1 or node in edges.get(node, ()):
                    found.append(sorted(group))
    return found


def test_the_circle_finder_finds_circles():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"a"}}) == [["a"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_no_import_circle_among_our_modules():
    edges = import_graph()
    assert "pipeline.checks.validate" in edges["pipeline.orchestrate.plan"]  # inside a function
    assert circles(edges) == []


def test_no_module_over_600_lines():
    long = {
        path.relative_to(REPO).as_posix(): n
        for folder in ("pipeline", "flows")
        for path in sorted((REPO / folder).rglob("*.py"))
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_every_stage_is_a_package_with_a_docstring():
    stages = sorted(p.parent.name for p in Path(REPO / "pipeline").glob("*/__init__.py"))
    assert set(stages) >= {"core", "ingest", "checks", "build", "release", "render", "orchestrate"}
    for stage in stages:
        text = (REPO / "pipeline" / stage / "__init__.py").read_text(encoding="utf-8")
        assert text.startswith('"""') and len(text) > 40, stage
