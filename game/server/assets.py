"""The style sheet and the script, served under addresses that change with their content.

A page names ``/static/kira.css?v=<hash of the file>``; a browser keeps a file asked for under its
current hash for a year without asking again, so a Chromebook on school Wi-Fi fetches each one once
per release instead of revalidating it on every page. Any other request (no hash, or an old one)
is answered with ``no-cache``, so the browser checks the file's ETag before using a copy.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from urllib.parse import parse_qs

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

FOREVER = "public, max-age=31536000, immutable"


class Assets(StaticFiles):
    """Starlette's static files, with content-hashed addresses (:meth:`url`) and cache headers to match."""

    def __init__(self, folder: Path) -> None:
        super().__init__(directory=folder)
        self.versions = {path.name: hashlib.sha256(path.read_bytes()).hexdigest()[:12]
                         for path in sorted(folder.iterdir()) if path.is_file()}

    def url(self, name: str) -> str:
        """The address a page gives for ``name``: changes whenever the file does."""
        return f"/static/{name}?v={self.versions[name]}"

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        asked = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("v", [""])[0]
        current = self.versions.get(Path(path).name)
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = FOREVER if current and asked == current else "no-cache"
        return response
