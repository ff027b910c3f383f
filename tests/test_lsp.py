"""``kira lsp`` driven over stdio with real LSP JSON-RPC messages, on a story with a broken pack."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import STORY_YAML
from lsp_client import LspClient

SCENES = """\
scenes:
  - id: a
    title: The Yard
    text: A yard.
    choices:
      - {label: Onward, to: b}
  - id: b
    title: The Gate
    text: A gate.
    choices:
      - {label: Out, to: end}
endings:
  - {id: end, title: E, epilogue: e, state_took: s, could_not_take: c, novel: n, reflection: [q, r]}
"""

PACK = """\
extend:
  - scene: b
    choices:
      - label: Climb to the roof
        to: roof_top
scenes:
  - id: rooftop
    title: The Roof
    text: Tin and sky.
    choices:
      - label: Down again
        to: end
        effects:
          add: {n: 1}
"""


@pytest.fixture
def server(tmp_path: Path):
    root = tmp_path / "story"
    root.mkdir()
    (root / "story.yaml").write_text(STORY_YAML)
    (root / "scenes.yaml").write_text(SCENES)
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "roof.yaml").write_text(PACK)
    client = LspClient("--story", str(root), "--pack", str(pack), cwd=tmp_path)
    result = client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
    caps = result["capabilities"]
    assert caps["definitionProvider"] and caps["hoverProvider"] and "completionProvider" in caps
    client.notify("initialized", {})
    yield client, root, pack
    client.close()


def open_file(client: LspClient, path: Path, text: str | None = None) -> list[dict]:
    uri = path.as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "yaml", "version": 1, "text": path.read_text() if text is None else text}})
    return client.diagnostics(uri)


def change(client: LspClient, path: Path, text: str, version: int = 2) -> list[dict]:
    client.notify("textDocument/didChange", {"textDocument": {"uri": path.as_uri(), "version": version},
                                             "contentChanges": [{"text": text}]})
    return client.diagnostics(path.as_uri())


def test_a_broken_pack_gets_located_diagnostics_and_a_quick_fix(server):
    client, _, pack = server
    found = open_file(client, pack / "roof.yaml")
    errors = [d for d in found if d["severity"] == 1]
    assert [d["code"] for d in errors] == ["missing-scene"]
    error = errors[0]
    assert error["range"]["start"] == {"line": 4, "character": 12} and error["range"]["end"]["character"] == 20
    assert "roof_top" in error["message"] and "did you mean 'rooftop'" in error["message"]
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": (pack / "roof.yaml").as_uri()}, "range": error["range"],
        "context": {"diagnostics": [error]}})
    assert len(actions) == 1 and actions[0]["kind"] == "quickfix"
    edit = actions[0]["edit"]["changes"][(pack / "roof.yaml").as_uri()][0]
    assert edit == {"range": {"start": {"line": 4, "character": 12}, "end": {"line": 4, "character": 20}},
                    "newText": "rooftop"}


def test_unsaved_text_is_checked_as_it_is_typed(server):
    client, _, pack = server
    path = pack / "roof.yaml"
    open_file(client, path)
    fixed = PACK.replace("roof_top", "rooftop")
    assert [d for d in change(client, path, fixed) if d["severity"] == 1] == []
    assert "roof_top" in path.read_text()  # nothing was saved: the server checked the editor's text
    # a typo in a variable name, typed but not saved, is found where it is
    typo = fixed.replace("add: {n: 1}", "add: {nn: 1}")
    found = change(client, path, typo, 3)
    assert [(d["code"], d["range"]["start"]["line"]) for d in found if d["severity"] == 1] == [
        ("unknown-variable", 13)]
    # a syntax error in the pack is one error, on its line
    broken = fixed.replace("    title: The Roof", "    title The Roof\n    x: [")
    found = change(client, path, broken, 4)
    assert len(found) == 1 and found[0]["code"] == "yaml"


def test_go_to_definition_hover_and_completion_of_scenes_and_variables(server):
    client, root, pack = server
    path = pack / "roof.yaml"
    fixed = PACK.replace("roof_top", "rooftop")
    open_file(client, path, fixed)
    uri = path.as_uri()
    where = client.request("textDocument/definition", {"textDocument": {"uri": uri},
                                                        "position": {"line": 4, "character": 15}})
    assert where["uri"] == uri and where["range"]["start"] == {"line": 6, "character": 8}
    where = client.request("textDocument/definition", {"textDocument": {"uri": uri},
                                                        "position": {"line": 1, "character": 12}})
    assert where["uri"] == (root / "scenes.yaml").as_uri() and where["range"]["start"]["line"] == 6
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                  "position": {"line": 11, "character": 13}})
    assert "E" in hover["contents"]["value"] and "scenes.yaml:13" in hover["contents"]["value"]
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                  "position": {"line": 4, "character": 14}})
    assert "**The Roof**" in hover["contents"]["value"] and "roof.yaml:7" in hover["contents"]["value"]
    typing = fixed.replace("        to: end\n", "        to: \n")
    change(client, path, typing)
    items = client.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                       "position": {"line": 11, "character": 12}})["items"]
    assert {"a", "b", "end", "rooftop"} <= {i["label"] for i in items}
    assert next(i for i in items if i["label"] == "b")["detail"] == "The Gate"
    typing = fixed.replace("add: {n: 1}", "add: {")
    change(client, path, typing, 3)
    items = client.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                       "position": {"line": 13, "character": 16}})["items"]
    assert {i["label"] for i in items} == {"n", "flag", "word"}


def test_lint_warnings_of_every_file_of_the_story_are_published(server):
    client, root, pack = server
    (root / "scenes.yaml").write_text(SCENES.replace("endings:", "  - id: lost\n    title: Lost\n    text: Nobody."
                                                      "\n    choices:\n      - {label: Back, to: a}\nendings:"))
    client.notify("textDocument/didOpen", {"textDocument": {
        "uri": (pack / "roof.yaml").as_uri(), "languageId": "yaml", "version": 1,
        "text": PACK.replace("roof_top", "rooftop")}})
    found = client.diagnostics((root / "scenes.yaml").as_uri())
    assert [(d["code"], d["severity"], d["range"]["start"]["line"]) for d in found] == [("unreachable-scene", 2, 11)]


def test_fast_typing_is_checked_once_the_writer_pauses(server):
    client, _, pack = server
    path = pack / "roof.yaml"
    open_file(client, path)
    uri = path.as_uri()
    text = PACK
    for version, letter in enumerate("abcde", start=2):  # five keystrokes, faster than the pause
        text = text.replace("roof_top", f"roof_top{letter}") if version == 2 else text.replace(
            f"roof_top{'abcde'[version - 3]}", f"roof_top{letter}")
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                 "contentChanges": [{"text": text}]})
    found = client.diagnostics(uri)
    assert any("'roof_tope'" in d["message"] for d in found)  # the first check after the pause sees the last text


def test_hover_and_definition_of_a_variable(server):
    client, root, pack = server
    path = pack / "roof.yaml"
    open_file(client, path, PACK.replace("roof_top", "rooftop"))
    uri = path.as_uri()
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                  "position": {"line": 13, "character": 17}})
    text = hover["contents"]["value"]
    assert "variable `n`" in text and "default 5" in text and "from 0 to 10" in text and "a number" in text
    where = client.request("textDocument/definition", {"textDocument": {"uri": uri},
                                                        "position": {"line": 13, "character": 17}})
    assert where["uri"] == (root / "story.yaml").as_uri() and where["range"]["start"]["line"] == 6
