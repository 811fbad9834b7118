"""What every response gets and every request is held to: security headers, a cap on the body
size (counted as it arrives, not trusted from Content-Length), and CSRF tokens for the forms.

Both middlewares are plain ASGI, not Starlette's BaseHTTPMiddleware, which costs a task and a
queue per request on the assess endpoint's hot path.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Final

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_COOKIE: Final = "lv_csrf"
CSRF_FIELD: Final = "csrf_token"
SECURITY_HEADERS: Final = [
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(Exception):
    """Raised inside the app when a request body passes the cap."""


class BodySizeLimit:
    """Refuses a body over `limit` bytes with 413 and the error envelope, before it is read in
    full: by its Content-Length, or by counting the chunks as they arrive."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, send)
            return
        received = 0
        too_large = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    too_large = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            # The app may turn the interrupted body into an answer of its own (FastAPI says
            # "error parsing the body", 400): the client gets our 413 instead.
            nonlocal started
            if too_large:
                if not started:
                    started = True
                    await self._refuse(scope, send)
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        megabytes = self.limit // (1024 * 1024)
        message = f"the upload is larger than the {megabytes} MB limit"
        if scope.get("path", "").startswith("/api/"):
            body = json.dumps({"error": {"code": "too_large", "message": message}}).encode()
            kind = b"application/json"
        else:
            body = (
                "<!doctype html><title>Too large</title><h1>Too large</h1>"
                f"<p>{message}. <a href='/check'>Back to the check</a></p>"
            ).encode()
            kind = b"text/html; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})


def new_csrf_cookie() -> str:
    return secrets.token_urlsafe(32)


def csrf_token(secret: bytes, cookie: str) -> str:
    """The form token for a browser's CSRF cookie: its HMAC, so a page on another site, which
    can neither read the cookie nor the key, cannot make one."""
    return hmac.new(secret, cookie.encode(), hashlib.sha256).hexdigest()


def csrf_valid(secret: bytes, cookie: str | None, token: str | None) -> bool:
    if not cookie or not token or len(token) > 128:
        return False
    return hmac.compare_digest(csrf_token(secret, cookie), token)
