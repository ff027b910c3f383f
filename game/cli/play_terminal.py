"""``kira play`` in the terminal: the engine, the saves and the player, imported only for this front end."""

from __future__ import annotations

import argparse
import json

from game.atomic import write_atomic
from game.cli.common import default_story_dir
from game.runtime.model import Story
from game.session.gallery import Gallery
from game.session.runner import Session
from game.session.saves import SaveStore


def run_terminal(story: Story, args: argparse.Namespace) -> int:
    """Free play in the terminal: saves, the gallery and hot reload when interactive; none of them when scripted."""
    from game.ui.terminal import TerminalPlayer

    interactive = args.choices is None
    store = SaveStore(story) if interactive else None
    gallery = Gallery(store.folder.name, store.folder.parent) if store is not None else None
    session = Session.new(story, seed=args.seed, store=store, gallery=gallery)
    watch = None
    if interactive:
        from game.loader.watch import StoryWatch  # noticing a writer's edits: the window never needs it

        watch = StoryWatch(args.story or default_story_dir(), args.pack)
    player = TerminalPlayer(story, session=session, script=args.choices, watch=watch,
                            plain_lines=True if getattr(args, "plain", False) else None)
    player.run()
    if args.record:
        write_atomic(args.record, json.dumps(session.record(), ensure_ascii=False, indent=1), shared=True)
    return 2 if player.script_failed else 0
