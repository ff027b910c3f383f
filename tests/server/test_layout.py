"""The server's modules call the game engine only through game/server/play.py."""

from pathlib import Path

SERVER = Path(__file__).parent.parent.parent / "game" / "server"
ENGINE = ("game.runtime", "game.session", "game.classroom", "game.loader")


def full_imports(path: Path) -> set[str]:
    import ast

    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_only_play_py_imports_the_engine():
    offenders = {}
    for path in SERVER.rglob("*.py"):
        if path.name == "play.py":
            continue
        engine = {name for name in full_imports(path) if name.startswith(ENGINE)}
        if engine:
            offenders[str(path.relative_to(SERVER))] = engine
    assert offenders == {}
    assert any(name.startswith("game.session") for name in full_imports(SERVER / "play.py"))
