"""A real kira serve killed with SIGKILL keeps every choice it had acknowledged; Ctrl-C stops it cleanly."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from httpx2 import Client

from tests.server.conftest import drop_database, fresh_database
from tests.server.helpers import choose, field, token
from tests.server.live_server import LiveServer


def join(client: Client, code: str, name: str):  # type: ignore[no-untyped-def]
    page = client.get("/")
    return client.post("/join", data={"csrf": field(page.text, "csrf"), "code": code, "name": name})


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_killed_server_keeps_every_acknowledged_choice(tmp_path: Path, backend: str) -> None:
    db = fresh_database(tmp_path, backend) if backend == "postgresql" else None
    server = LiveServer(tmp_path / "data", db=db, workers=2).start()
    try:
        with Client(base_url=server.url, follow_redirects=True) as client:
            join(client, server.code, "Olga")
            for _ in range(3):
                assert choose(client).status_code == 200  # acknowledged: the server answered
            before = client.get("/play").text.split("<h1>")[1].split("</h1>")[0]
        server.stop(signal.SIGKILL)
        server.start()
        with Client(base_url=server.url, follow_redirects=True) as client:
            page = join(client, server.code, "Olga")
            assert "3 choices made so far." in page.text
            assert page.text.split("<h1>")[1].split("</h1>")[0] == before
            assert token(client, page.text)
    finally:
        assert server.stop(signal.SIGINT) == 0  # Ctrl-C: a clean stop
        if db:
            drop_database(db)
    output = "".join(server.output)
    assert "Olga" not in output and "/join" not in output  # no names, no requests in the server's output
