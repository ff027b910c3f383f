"""The core must not know its front ends: checked by reading every module's imports."""

import ast
from pathlib import Path

GAME = Path(__file__).parent.parent / "game"
FRONT_END_LIBS = {"pygame", "rich"}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def core_modules():
    for path in GAME.rglob("*.py"):
        rel = path.relative_to(GAME)
        if rel.parts[0] in ("ui", "cli", "authoring", "server"):  # front ends and tools
            continue
        yield path


def test_core_imports_neither_pygame_nor_rich():
    offenders = {str(p.relative_to(GAME)): imports_of(p) & FRONT_END_LIBS for p in core_modules()}
    assert not {k: v for k, v in offenders.items() if v}


def test_only_the_loader_layer_imports_yaml_and_only_the_machine_imports_transitions():
    for path in GAME.rglob("*.py"):
        names = imports_of(path)
        rel = str(path.relative_to(GAME))
        if "transitions" in names:
            assert rel == "runtime/machine.py", rel
        if "yaml" in names:
            assert rel in ("loader/source.py", "classroom/assignment.py"), rel
