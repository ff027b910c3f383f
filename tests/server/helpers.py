"""Playing through the test client as a browser would: read the page's form, post it."""

from __future__ import annotations

import re

from httpx2 import Client, Response


def field(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert match, f"no {name} field on the page"
    return match.group(1)


def token(client: Client, page: str | None = None) -> str:
    return field(page if page is not None else client.get("/settings").text, "csrf")


def join(client: Client, code: str, name: str) -> Response:
    page = client.get("/").text
    if "/join" not in page:  # already playing: leave first
        client.post("/leave", data={"csrf": token(client)})
        page = client.get("/").text
    return client.post("/join", data={"csrf": token(client, page), "code": code, "name": name})


def choose(client: Client, number: int = 0, page: str | None = None) -> Response:
    page = page if page is not None else client.get("/play").text
    return client.post("/choose", data={"csrf": token(client, page), "at": field(page, "at"), "choice": str(number)})


def play_until(client: Client, stop, limit: int = 400) -> Response:  # type: ignore[no-untyped-def]
    """Choose the first choice, pass chapter maps, until ``stop(response)`` is true."""
    response = client.get("/play")
    for _ in range(limit):
        if stop(response):
            return response
        page = response.text
        if 'action="/continue"' in page:
            response = client.post("/continue", data={"csrf": token(client, page), "chapter": field(page, "chapter")})
        elif 'name="at"' in page:
            response = choose(client, 0, page)
        else:
            raise AssertionError(f"stuck at {response.url}: {page[:500]}")
    raise AssertionError("did not stop")
