"""``kira lsp``: a language server (LSP over stdio) for story folders, built on pygls.

Any editor with an LSP client (VS Code, Neovim, Helix...) gets, as the
writer types: the loader's errors and the linter's warnings together,
go to the scene a ``to:`` names, completion of scene, chapter, codex and
variable names, hover for a target's title and place, and quick fixes
for "did you mean" hints. The logic lives in
:mod:`game.authoring.workspace`; this module only speaks the protocol.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path
from typing import Any

from game import __version__
from game.authoring.workspace import (
    StoryWorkspace,
    Symbol,
    did_you_mean,
    find_root,
    fix_range,
    token_end,
)
from game.cli.common import default_story_dir
from game.errors import Diagnostic

SOURCE = "kira"
PAUSE = 0.3  # seconds without a change before the text is checked


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--story", type=Path, default=None,
                        help="the story folder packs belong to (default: found from each file's story.yaml)")
    parser.add_argument("--pack", type=Path, action="append", default=[], metavar="DIR",
                        help="a scene pack folder to check with the story (may be given more than once)")


def run(args: argparse.Namespace) -> int:
    try:
        import pygls  # noqa: F401
    except ImportError:
        print("kira lsp needs pygls: pip install -e '.[writers]'", file=sys.stderr)
        return 2
    server = build_server(args.story, args.pack)
    server.start_io()
    return 0


def build_server(story: Path | None, packs: list[Path]) -> Any:
    """The pygls server; ``story`` and ``packs`` may also come from the client's initializationOptions."""
    from lsprotocol import types
    from pygls.lsp.server import LanguageServer

    server = LanguageServer("kira", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
    state = _State(story, packs)

    def to_range(lines: list[str], line: int, start: int, end: int) -> Any:
        """A range on one line, from columns in characters to the client's units (UTF-16 by default)."""
        codec = server.workspace.position_codec
        return types.Range(start=codec.position_to_client_units(lines, types.Position(line=line, character=start)),
                           end=codec.position_to_client_units(lines, types.Position(line=line, character=end)))

    def lsp_diagnostic(d: Diagnostic, lines: list[str]) -> Any:
        line = max(0, d.pos.line - 1)
        text = lines[line] if line < len(lines) else ""
        start = max(0, d.pos.col - 1)
        severity = types.DiagnosticSeverity.Error if d.severity == "error" else types.DiagnosticSeverity.Warning
        message = d.message + (f"\nhint: {d.hint}" if d.hint else "")
        fix = did_you_mean(d)
        return types.Diagnostic(range=to_range(lines, line, start, token_end(text, d.pos.col)), message=message,
                                severity=severity, code=d.code, source=SOURCE,
                                data={"fix": list(fix)} if fix else None)

    def publish(ls: LanguageServer, uri: str) -> None:
        path = _path(uri)
        workspace = state.workspace_for(path)
        if workspace is None:
            return
        overlay = {_path(u): doc.source for u, doc in ls.workspace.text_documents.items()
                   if workspace.owns(_path(u))}
        result = workspace.check(overlay)
        for file, found in result.by_file.items():
            file_uri = Path(file).as_uri()
            lines = _lines(overlay.get(Path(file)), Path(file))
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=file_uri, diagnostics=[lsp_diagnostic(d, lines) for d in found]))
        for stale in state.published.get(workspace.root, set()) - set(result.by_file):
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=Path(stale).as_uri(),
                                                                                diagnostics=[]))
        state.published[workspace.root] = set(result.by_file)

    @server.feature(types.INITIALIZE)
    def initialize(ls: LanguageServer, params: types.InitializeParams) -> None:
        state.configure(params.initialization_options)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: LanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        publish(ls, params.text_document.uri)

    typing: dict[str, int] = {}  # uri -> number of the latest change

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: LanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        """Check once the writer pauses: a check of a story with packs takes most of a second."""
        uri = params.text_document.uri
        ticket = typing[uri] = typing.get(uri, 0) + 1
        await asyncio.sleep(PAUSE)
        if typing.get(uri) == ticket:
            publish(ls, uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: LanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        publish(ls, params.text_document.uri)

    def symbol_at(ls: LanguageServer, uri: str, position: Any) -> Symbol | None:
        workspace = state.workspace_for(_path(uri))
        if workspace is None:
            return None
        if not workspace.symbols:
            workspace.index({})
        doc = ls.workspace.get_text_document(uri)
        word = doc.word_at_position(position)
        line = doc.lines[position.line] if position.line < len(doc.lines) else ""
        return workspace.lookup(word, line[:position.character]) if word else None

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: LanguageServer, params: types.DefinitionParams) -> Any:
        symbol = symbol_at(ls, params.text_document.uri, params.position)
        if symbol is None:
            return None
        path = Path(os.path.abspath(symbol.pos.path))
        line = max(0, symbol.pos.line - 1)
        lines = _lines(None, path)
        start = max(0, symbol.pos.col - 1)
        return types.Location(uri=path.as_uri(), range=to_range(lines, line, start, start + len(symbol.id)))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: LanguageServer, params: types.HoverParams) -> Any:
        symbol = symbol_at(ls, params.text_document.uri, params.position)
        if symbol is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=symbol.describe()))

    @server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[":", " ", "{"]))
    def completion(ls: LanguageServer, params: types.CompletionParams) -> Any:
        workspace = state.workspace_for(_path(params.text_document.uri))
        if workspace is None:
            return None
        if not workspace.symbols:
            workspace.index({})
        doc = ls.workspace.get_text_document(params.text_document.uri)
        line = doc.lines[params.position.line] if params.position.line < len(doc.lines) else ""
        before = line[:doc.position_codec.position_from_client_units(doc.lines, params.position).character]
        kinds = {"scene": types.CompletionItemKind.Module, "ending": types.CompletionItemKind.Event,
                 "chapter": types.CompletionItemKind.Folder, "codex": types.CompletionItemKind.Reference,
                 "variable": types.CompletionItemKind.Variable}
        items = [types.CompletionItem(label=s.id, kind=kinds[s.kind], detail=s.title or s.detail or s.kind,
                                      documentation=str(s.pos))
                 for s in workspace.completions(before)]
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(ls: LanguageServer, params: types.CodeActionParams) -> Any:
        doc = ls.workspace.get_text_document(params.text_document.uri)
        actions = []
        for diagnostic in params.context.diagnostics:
            data = diagnostic.data if isinstance(diagnostic.data, dict) else {}
            if diagnostic.source != SOURCE or not data.get("fix"):
                continue
            wrong, right = data["fix"]
            line_no = diagnostic.range.start.line
            line = doc.lines[line_no].rstrip("\n") if line_no < len(doc.lines) else ""
            start_col = doc.position_codec.position_from_client_units(doc.lines, diagnostic.range.start).character
            where = fix_range(line, start_col + 1, wrong)
            if where is None:
                continue
            edit = types.TextEdit(range=to_range(list(doc.lines), line_no, *where), new_text=right)
            actions.append(types.CodeAction(title=f"Change '{wrong}' to '{right}'",
                                            kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic],
                                            is_preferred=True,
                                            edit=types.WorkspaceEdit(changes={params.text_document.uri: [edit]})))
        return actions

    return server


class _State:
    """Which story each file belongs to, and which files have diagnostics on show."""

    def __init__(self, story: Path | None, packs: list[Path]):
        self.story = story
        self.packs = [Path(os.path.abspath(p)) for p in packs]
        self.workspaces: dict[Path, StoryWorkspace] = {}
        self.published: dict[Path, set[str]] = {}

    def configure(self, options: Any) -> None:
        if isinstance(options, dict):
            if options.get("story"):
                self.story = Path(options["story"])
            self.packs += [Path(os.path.abspath(p)) for p in options.get("packs", []) if isinstance(p, str)]

    def workspace_for(self, path: Path) -> StoryWorkspace | None:
        in_pack = any(path.is_relative_to(pack) for pack in self.packs)
        if in_pack:  # a pack's own story.yaml does not make it a story: it belongs to the story it extends
            root: Path | None = Path(os.path.abspath(self.story or default_story_dir()))
        else:
            root = find_root(path)
        if root is None:
            return None
        if root not in self.workspaces:
            self.workspaces[root] = StoryWorkspace(root, self.packs)
        return self.workspaces[root]


def _path(uri: str) -> Path:
    from pygls.uris import to_fs_path

    return Path(os.path.abspath(to_fs_path(uri) or uri))


def _lines(text: str | None, path: Path) -> list[str]:
    if text is None:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            text = ""
    return text.splitlines()
