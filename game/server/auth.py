"""Security for a school network: the cookie secret, CSRF tokens, join throttling keys, response headers.

The session cookie is signed (Starlette's SessionMiddleware, itsdangerous) with a secret made
once and kept in the database, so every worker and machine of one server signs alike and a
restart does not sign every student out. The cookie holds ids and a CSRF token only: no name.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import MutableMapping
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from game.server.store import Meta

CSRF_FIELD = "csrf"
SECRET_KEY = "cookie-secret"

# Pages load nothing from elsewhere (schools block outside hosts): scripts, styles and pictures
# come from this server only, no inline script can run, and no other site may frame the pages.
HEADERS = [
    (b"content-security-policy", b"default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
                                 b"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


def server_secret(db: Session) -> str:
    """The cookie signing secret, made on first use (two workers starting at once agree on one)."""
    row = db.get(Meta, SECRET_KEY)
    if row is None:
        db.add(Meta(key=SECRET_KEY, value=secrets.token_urlsafe(48)))
        try:
            db.commit()
        except IntegrityError:
            db.rollback()
        row = db.get(Meta, SECRET_KEY)
    assert row is not None
    return row.value


def csrf_token(session: MutableMapping[str, Any]) -> str:
    """This browser session's token for forms (made on first need)."""
    token = session.get(CSRF_FIELD)
    if not isinstance(token, str) or len(token) < 16:
        token = secrets.token_urlsafe(24)
        session[CSRF_FIELD] = token
    return token


def check_csrf(session: MutableMapping[str, Any], sent: str) -> bool:
    token = session.get(CSRF_FIELD)
    return isinstance(token, str) and bool(sent) and hmac.compare_digest(token, sent)


def client_key(secret: str, address: str) -> str:
    """A keyed hash of the client's address: enough to count its wrong codes, useless to anyone reading the table."""
    return hmac.new(secret.encode(), address.encode(), "sha256").hexdigest()


class SecurityHeaders:
    """Adds :data:`HEADERS` to every HTTP response (a plain ASGI middleware, cheap on every request)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                own = any(k.lower() == b"content-security-policy" for k, _ in headers)  # a page with its own, stricter
                message["headers"] = headers + (HEADERS[1:] if own else HEADERS)
            await send(message)

        await self.app(scope, receive, sending)
