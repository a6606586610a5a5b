"""The shape of the code: the core depends on nothing above it, no import goes in a circle,
no module passes 400 lines, and no two functions of the core share a name.

The import graph is read with the standard library's `ast` from the project's own files, every
`import` counted, also those inside functions (they run too, only later).
"""

import ast
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("commons", "methods", "territories", "bench")
CORE = "commons"
APPS = ("methods", "territories", "bench")
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                modules[module_name(path)] = path
    return modules


def imported_names(name: str, path: Path, tree: ast.AST):
    """Every module name an `import` of the file names, relative imports resolved."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            # `from package import module` imports that module, `from module import name` the
            # module: the name is resolved to the longest module it starts with.
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    graph = {}
    for name, path in modules.items():
        targets = set()
        for imported in imported_names(name, path, ast.parse(path.read_text(encoding="utf-8"))):
            while imported and imported not in modules:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a list of modules, or None (depth-first search)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return path[path.index(target) :] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        state[node] = 2
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_module_imports_in_a_circle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "cycle d'imports : " + " -> ".join(cycle)


def test_the_core_imports_no_app():
    offending = [
        f"{name} -> {target}"
        for name, targets in import_graph().items()
        if name.split(".")[0] == CORE
        for target in targets
        if target.split(".")[0] in APPS
    ]
    assert offending == []


def test_the_graph_walk_finds_a_circle_and_a_core_import():
    """The two tests above can fail: a planted cycle and a planted app import are found."""
    graph = {"commons.a": {"commons.b"}, "commons.b": {"methods.c"}, "methods.c": {"commons.a"}}
    assert find_cycle(graph) == ["commons.a", "commons.b", "methods.c", "commons.a"]
    tree = ast.parse("def f():\n    from methods.models import MethodPage\n")
    assert "methods.models.MethodPage" in set(imported_names("commons.x", ROOT / "commons" / "x.py", tree))


@pytest.mark.parametrize("name", sorted(project_modules()))
def test_no_module_passes_400_lines(name):
    lines = project_modules()[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name}: {lines} lignes"


def test_no_two_functions_or_classes_of_the_core_share_a_name():
    names = Counter()
    for name, path in project_modules().items():
        if name.split(".")[0] != CORE or ".settings" in name or ".management." in name:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names.update(
            node.name
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        )
    assert [name for name, count in names.items() if count > 1] == []
