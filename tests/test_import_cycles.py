"""No import circles in diy/ and study/: every module can be read, and imported, after the
modules it uses. Imports inside functions count too: a lazy import hides a circle from Python,
not from a reader."""
import ast

from repository import REPO

PACKAGES = ("diy", "study")


def module_names():
    """``{dotted name: path}`` of every module of :data:`PACKAGES` (a package by its __init__)."""
    names = {}
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            parts = path.relative_to(REPO).with_suffix("").parts
            names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def imports(path, known):
    """The modules of `known` that the module at `path` imports anywhere in its body."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # ``from study import figures`` imports the module study.figures; ``from study.x
            # import name`` the module study.x.
            submodules = {f"{node.module}.{alias.name}" for alias in node.names}
            found |= (submodules & set(known)) or {node.module}
    return found & set(known)


def cycles(graph):
    """The strongly connected components of more than one module (Tarjan): ``[sorted names, ...]``
    of `graph`, ``{module: modules it imports}``."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while not component or component[-1] != node:
                component.append(stack.pop())
                on_stack.discard(component[-1])
            if len(component) > 1:
                components.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return components


def test_the_cycle_finder_finds_a_circle_and_only_it():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"f"}, "f": set()}
    assert cycles(graph) == [["a", "b", "c"]]


def test_the_import_graph_reads_lazy_imports_and_from_imports_of_modules():
    known = module_names()
    assert "study.analyses" in known and "diy.optim" in known
    # study.results imports study.provenance inside a function; the workflow's jobs import
    # study.extensions, which imports the registries.
    assert "study.provenance" in imports(known["study.results"], known)
    assert {"study.analyses", "study.registry"} <= imports(known["study.extensions"], known)


def test_diy_and_study_have_no_import_cycles():
    known = module_names()
    graph = {name: imports(path, known) - {name} for name, path in known.items()}
    assert cycles(graph) == []
