"""Load and lint in one go, as ``kira validate`` and ``kira lsp`` show a story: load errors and lint
warnings together.

When errors stop the load, the linter still looks at what could be built
(:func:`game.loader.story.partial_story`), so a writer fixing a typo also
sees the unused variable and the overlong paragraph at once. Findings that
a load error may have caused are held back: with a choice to an unknown
scene left out, a scene can look unreachable or stuck when it is not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from game.authoring.lint import lint
from game.errors import Diagnostic
from game.loader.story import check_story, partial_story
from game.runtime.model import Story

# Lint findings a load error can cause; held back while the story has errors.
FLOW_RULES = ("unreachable-scene", "unreachable-ending", "dead-end", "read-before-set", "condition-always-true",
              "condition-always-false", "unused-variable")


def check_and_lint(root: str | Path, packs: Sequence[str | Path] = (), overlay: Mapping[Path, str] | None = None,
                   impact: bool = False) -> tuple[Story | None, list[Diagnostic]]:
    """The story (None when it has errors) and every diagnostic, load errors and lint warnings together."""
    story, problems = check_story(root, packs, use_cache=not overlay, overlay=overlay)
    if story is not None:
        return story, problems + lint(story, packs, impact)
    if not any(d.severity == "error" for d in problems) or any(d.code == "held-back" for d in problems):
        return None, problems
    partial = partial_story(root, packs, overlay)
    if partial is None:
        return None, problems
    found = [d for d in lint(partial) if d.code not in FLOW_RULES]
    return None, problems + found
