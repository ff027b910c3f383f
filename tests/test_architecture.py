"""The layers import one way only: checked by reading every import of every module, relative ones too.

    errors, atomic          nothing of the game
    runtime                 errors
    loader                  runtime (the model it builds)
    classroom               runtime, loader
    session                 runtime, loader, classroom
    authoring               runtime, loader
    ui                      runtime, loader, classroom, session
    server                  runtime, loader, classroom, session, ui.art (the pictures)
    cli                     everything: it only wires commands to the rest

The package's ``__init__`` (the public API) may name anything; it imports lazily.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

GAME = Path(__file__).parent.parent / "game"
BASE = {"errors", "atomic", "__main__"}
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "atomic": set(),
    "runtime": {"errors"},
    "loader": {"errors", "atomic", "runtime"},
    "classroom": {"errors", "atomic", "runtime", "loader"},
    "session": {"errors", "atomic", "runtime", "loader", "classroom"},
    "authoring": {"errors", "atomic", "runtime", "loader"},
    "ui": {"errors", "atomic", "runtime", "loader", "classroom", "session"},
    "server": {"errors", "atomic", "runtime", "loader", "classroom", "session", "ui.art"},
    "cli": {"errors", "atomic", "runtime", "loader", "classroom", "session", "authoring", "ui", "server"},
    "__main__": {"cli"},
}
# Outside libraries and the one place (a layer, or a module) each may be imported from.
OUTSIDE = {
    "transitions": {"runtime/machine.py"},
    "yaml": {"loader/source.py"},
    "pygame": {"ui"},
    "rich": {"ui", "cli"},
    "starlette": {"server"},
    "sqlalchemy": {"server"},
    "alembic": {"server"},
    "uvicorn": {"server", "cli"},
    "pyttsx3": {"ui/voice.py"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(GAME.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """Every module ``path`` imports, relative imports resolved, with its line."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            yield node.lineno, module
            for alias in node.names:  # "from game.ui import art" imports the module game.ui.art
                yield node.lineno, f"{module}.{alias.name}"


def layer(module: str) -> str:
    """``game.ui.art.draw`` -> ``ui``; ``game.errors`` -> ``errors``."""
    return module.split(".")[1] if module.count(".") else ""


def modules() -> Iterator[Path]:
    for path in sorted(GAME.rglob("*.py")):
        if path != GAME / "__init__.py":
            yield path


def allowed(source: str, target: str) -> bool:
    own, other = layer(source), layer(target)
    if other in ("", "__version__", own):
        return True
    rules = ALLOWED[own]
    return other in rules or any(target == f"game.{r}" or target.startswith(f"game.{r}.") for r in rules if "." in r)


def test_every_layer_imports_only_the_layers_below_it():
    wrong = []
    for path in modules():
        source = module_name(path)
        for line, target in imports(path):
            if target.startswith("game.") and not allowed(source, target):
                wrong.append(f"{path.relative_to(GAME)}:{line}: {layer(source)} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_each_outside_library_is_imported_in_one_place():
    wrong = []
    for path in modules():
        rel = str(path.relative_to(GAME))
        for line, target in imports(path):
            homes = OUTSIDE.get(target.split(".")[0])
            if homes is not None and not any(rel == home or rel.startswith(home + "/") for home in homes):
                wrong.append(f"{rel}:{line}: imports {target}")
    assert not wrong, "\n".join(wrong)


# Imports inside functions, each declared with its reason. Everything else is imported at the top of its
# module, so that import order is plain and a cycle shows at once.
LAZY = {
    "pygame": "the window's library: the terminal and the tools never load it",
    "rich": "the terminal's library: the window never loads it",
    "matplotlib": "the report's charts, 0.5 s to import",
    "jinja2": "HTML pages only",
    "markupsafe": "HTML pages only",
    "transitions": "the state machine, built on the first playthrough, not at start-up",
    "platformdirs": "only when no folder is given in the environment",
    "difflib": "did-you-mean hints, only when a name is wrong",
    "warnings": "silencing one library's start-up warning",
    "logging": "a warning when the window's pictures fail; the first frame does not wait for it",
    "pyttsx3": "the speech engine, loaded only while reading aloud is on",
    "game.ui.voice": "starts the speech engine, only when reading aloud is turned on",
    "pygls": "the writers' extra: only kira lsp needs it",
    "lsprotocol": "the writers' extra (installed with pygls): only kira lsp needs it",
    "watchfiles": "the writers' extra: only kira validate --watch needs it",
    "game.ui.window": "pulls in pygame",
    "game.ui.terminal": "pulls in rich",
    "game.cli.assignment_play": "pulls in rich",
    "game.classroom.documents": "pulls in jinja2",
    "game.classroom.report": "pulls in matplotlib",
    "game.authoring.graph.page": "pulls in jinja2",
    "game.loader.source": "YAML parsing: a story read from the cache needs none",
    "game.loader.reader": "reading and checking a story folder: a story read from the cache needs none",
    "game.loader.watch": "a writer's reload (F5 in the window): players never need it",
    "game.ui.art": "the pictures: the first frame is drawn before any art module is imported",
    "game.ui.window.screens": "the window's screens beyond the title: each is imported when first shown",
    "hashlib": "a save folder's fingerprint, only for stories kept outside the shipped folder",
    "datetime": "a save's time: the title's first frame imports it only when there is a save to list",
    "game.runtime.model": "the story model: the window's first frame is drawn from the front matter before it",
    "game.runtime.playthrough": "the engine: restoring a save needs it, listing saves on the title does not",
    "game.loader.story": "loading the story: the window's first frame is drawn before it",
    "game.ui.window.flow": "the window's view of a session (the engine): attached after the first frame",
    "game.cli.play_terminal": "the terminal's start: the window never imports the engine before its first frame",
}

def function_level_imports(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import):
                yield from ((node.lineno, alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                yield node.lineno, ("." * node.level) + (node.module or "")


def test_imports_inside_functions_are_only_the_declared_lazy_ones():
    wrong = []
    for path in modules():
        for line, target in function_level_imports(path):
            if not any(target == name or target.startswith(name + ".") for name in LAZY):
                wrong.append(f"{path.relative_to(GAME)}:{line}: imports {target} inside a function")
    assert not wrong, "\n".join(wrong)


def top_level_imports(path: Path) -> set[str]:
    """The game modules ``path`` imports when it is itself imported (not inside functions or TYPE_CHECKING)."""
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("game"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("game"))
    return found


def test_no_module_imports_itself_round_a_cycle():
    names = {module_name(path): path for path in GAME.rglob("*.py")}
    graph = {name: {t for t in top_level_imports(path) if t in names and t != name} for name, path in names.items()}
    state: dict[str, int] = {}
    cycles: list[str] = []

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                cycles.append(" -> ".join(trail[trail.index(target):] + [name, target]) if target in trail
                              else f"{name} -> {target}")
            elif target not in state:
                visit(target, [*trail, name])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])
    assert not cycles, "\n".join(cycles)


def test_the_checker_sees_relative_imports(tmp_path):
    """The rules above would be toothless if a relative import slipped past the reader."""
    sample = GAME / "runtime" / "_architecture_probe.py"
    sample.write_text("from ..ui import terminal\nfrom . import model\n")
    try:
        found = {target for _, target in imports(sample)}
        assert "game.ui.terminal" in found and "game.runtime.model" in found
        assert not allowed("game.runtime._architecture_probe", "game.ui.terminal")
    finally:
        sample.unlink()


def test_the_public_api_names_what_it_exports():
    import game

    assert set(game.__all__) == {"__version__", *game._WHERE}
    for name in game.__all__:
        assert getattr(game, name) is not None, name
