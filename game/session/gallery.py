"""What a player has reached across all playthroughs: endings and codex entries.

The endings gallery shows reached endings and keeps the others locked;
the codex on the title screen shows every entry ever unlocked. The record
lives beside the story's saves (``gallery.json``), so ``$KIRA_SAVE_DIR``
moves it too. A damaged file counts as an empty record and is replaced on
the next write.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from game.atomic import write_atomic
from game.loader.files import read_small_json
from game.session.saves import default_save_root


class Gallery:
    """The endings reached and codex entries seen for one story."""

    def __init__(self, story_id: str, root: Path | None = None):
        self.path = (root or default_save_root()) / story_id / "gallery.json"
        self.endings: dict[str, dict[str, Any]] = {}
        self.codex: list[str] = []
        self._read()

    def _read(self) -> None:
        try:
            data = read_small_json(self.path)
        except (OSError, ValueError):
            return
        if not isinstance(data, dict):
            return
        endings = data.get("endings")
        if isinstance(endings, dict):
            self.endings = {str(k): v for k, v in endings.items() if isinstance(v, dict)}
        codex = data.get("codex")
        if isinstance(codex, list):
            self.codex = [str(entry) for entry in codex]

    def reached(self, ending_id: str) -> bool:
        return ending_id in self.endings

    def record_ending(self, ending_id: str) -> None:
        """Count one more arrival at an ending (the first one is dated)."""
        now = datetime.now().astimezone().isoformat(timespec="seconds")
        entry = self.endings.setdefault(ending_id, {"first": now, "count": 0})
        entry["count"] = int(entry.get("count", 0)) + 1
        entry["last"] = now
        self._write()

    def record_codex(self, entry_ids: list[str]) -> bool:
        """Remember codex entries unlocked; True (and written) when any was new."""
        new = [entry for entry in entry_ids if entry not in self.codex]
        if new:
            self.codex.extend(new)
            self._write()
        return bool(new)

    def _write(self) -> None:
        write_atomic(self.path, json.dumps({"endings": self.endings, "codex": self.codex}, indent=1))
