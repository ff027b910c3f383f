"""A story folder -> :class:`~game.runtime.model.Story`: the front door that loaders and tools call.

A story whose files have not changed since its last load comes back from the
cache (game/loader/cache.py); only otherwise is the folder read and checked
(game/loader/reader.py, imported then, so a start from the cache skips it).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from game.errors import Diagnostic, StoryError
from game.loader.cache import cached_load
from game.loader.files import (  # noqa: F401  (the story folder's layout is part of this module's interface)
    PLAN_SUFFIXES,
    STORY_FILE,
    cache_files,
    scan_story_files,
    story_files,
)
from game.runtime.model import Story


def load_story(root: str | Path, packs: Sequence[str | Path] = ()) -> Story:
    """Load a story folder (plus optional scene packs); raise :class:`StoryError` listing every problem."""
    story, problems = check_story(root, packs)
    errors = [d for d in problems if d.severity == "error"]
    if errors or story is None:
        raise StoryError(errors or problems)
    return story


def check_story(root: str | Path, packs: Sequence[str | Path] = (), use_cache: bool = True,
                overlay: Mapping[Path, str] | None = None) -> tuple[Story | None, list[Diagnostic]]:
    """Load a story and return it with every diagnostic; the story is None when errors stop it.

    Big stories come from :mod:`game.story_cache` when their files have not
    changed since they were last loaded; ``use_cache=False`` always parses.
    ``overlay`` gives the text of files as an editor holds them, unsaved
    (keys are absolute paths); such a load never uses the cache.
    """
    root, pack_dirs = Path(root), [Path(p) for p in packs]

    def parse() -> tuple[Story | None, list[Diagnostic]]:
        from game.loader.reader import StoryReader  # the YAML reading stack: a story from the cache needs none

        return StoryReader(root, pack_dirs, overlay).run()

    with _collector_paused():
        files = None if not use_cache or overlay else cache_files(root, pack_dirs)
        if files is None:
            return parse()  # the loader reports a missing folder or a search stopped early; nothing to cache
        return cached_load(root, pack_dirs, files, parse)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a story loads.

    Loading allocates millions of small objects that form no cycles; the
    collector would scan them again and again, which was two thirds of the
    time spent loading a 10,000-scene story (docs/BENCHMARKS.md). Before
    it resumes, the objects made so far are moved out of its sight
    (``gc.freeze``): otherwise its first pass would still scan them all.
    They are freed as usual when nothing refers to them any more.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()


def partial_story(root: str | Path, packs: Sequence[str | Path] = (),
                  overlay: Mapping[Path, str] | None = None) -> Story | None:
    """What can be built of a story that has errors, so the linter can look at it at once: choices and
    routes to unknown scenes are left out. Never for play. None when not even the start scene was built."""
    from game.loader.reader import StoryReader  # the YAML reading stack: see check_story

    loader = StoryReader(Path(root), [Path(p) for p in packs], overlay)
    with _collector_paused():
        loader.run()
    return loader.partial
