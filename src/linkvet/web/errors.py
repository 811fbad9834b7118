"""One error envelope for the whole JSON API, `{"error": {"code", "message", "details"}}`, and
plain pages for the browser: never a traceback, never the input echoed back unescaped."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Final
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from linkvet.errors import InputError, field_path
from linkvet.ingest.ocr import OcrUnavailable
from linkvet.store import CaseConflict, NotFound, StoreError, StoreUnavailable
from linkvet.web.security import SECURITY_HEADERS

LOG: Final = logging.getLogger("linkvet.web")
CODES: Final = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    503: "unavailable",
    422: "invalid_input",
    429: "too_many_requests",
    500: "internal_error",
}


class ApiError(Exception):
    def __init__(self, status: int, message: str, *, details: list[Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details or []


class SignInNeeded(Exception):
    """A page that needs an account was asked for without one: the browser goes to sign in."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def safe_next(path: str | None) -> str:
    """Where to go after signing in: only a path on this site, never another site."""
    # Browsers drop tabs and newlines from a URL ("/\t/evil.example" becomes "//evil...").
    if (
        not path
        or not path.isascii()
        or not path.startswith("/")
        or path.startswith("//")
        or any(char <= " " or char == "\\" for char in path)
    ):
        return "/"
    return path[:500]


def sign_in_redirect(next_path: str) -> Response:
    return RedirectResponse(f"/login?next={quote(safe_next(next_path))}", status_code=303)


def envelope(status: int, message: str, details: list[Any] | None = None) -> JSONResponse:
    body = {
        "error": {"code": CODES.get(status, "error"), "message": message, "details": details or []}
    }
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def install_error_handlers(
    app: FastAPI, page_error: Callable[[Request, int, str], Response]
) -> None:
    """`page_error(request, status, message)` renders the browser's error page."""

    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> Response:
        if _is_api(request):
            return envelope(error.status, error.message, error.details)
        return page_error(request, error.status, error.message)

    @app.exception_handler(InputError)
    async def input_error(request: Request, error: InputError) -> Response:
        # A reader that cannot run here (no Tesseract, say) is the server's fault, not the file's.
        status = 503 if isinstance(error, OcrUnavailable) else 422
        if _is_api(request):
            return envelope(status, error.detail)
        return page_error(request, status, error.detail)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, error: StoreError) -> Response:
        # Once the app runs, the store refuses only what it was given (a control character in
        # a note, a name too long): the client's to fix. An id it does not hold (or holds for
        # another organisation) is not found; a case changed meanwhile is a conflict. A
        # database that is busy or unreachable is ours, and worth a retry.
        status = (
            404 if isinstance(error, NotFound) else 409 if isinstance(error, CaseConflict) else 422
        )
        message, headers = str(error), {}
        response: Response
        if isinstance(error, StoreUnavailable):
            LOG.warning("case store unavailable on %s: %s", request.url.path, error)
            status, headers = 503, {"Retry-After": "5"}
            message = "the case store is busy or unreachable: try again in a few seconds"
        if _is_api(request):
            response = envelope(status, message)
        else:
            response = page_error(request, status, message)
        response.headers.update(headers)
        return response

    @app.exception_handler(SignInNeeded)
    async def sign_in_needed(request: Request, error: SignInNeeded) -> Response:
        if _is_api(request):
            return envelope(401, "an API token is needed: 'Authorization: Bearer <token>'")
        return sign_in_redirect(error.next_path)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        details = [
            {"field": field_path([p for p in problem.get("loc", ()) if p != "body"]),
             "message": str(problem.get("msg", ""))}
            for problem in error.errors()[:20]
        ]  # fmt: skip
        if _is_api(request):
            return envelope(422, "the request is not valid", details)
        return page_error(request, 422, "; ".join(f"{d['field']}: {d['message']}" for d in details))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        message = str(error.detail) if error.detail else CODES.get(error.status_code, "error")
        if error.status_code == 404 and message == "Not Found":
            message = "there is nothing at this address"
        response: Response
        if _is_api(request):
            response = envelope(error.status_code, message)
        else:
            response = page_error(request, error.status_code, message)
        if error.headers:
            response.headers.update(error.headers)
        return response

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> Response:
        LOG.exception("unexpected error on %s", request.url.path)
        message = "something went wrong on our side; the error is in the server's log"
        response = envelope(500, message) if _is_api(request) else page_error(request, 500, message)
        # This answer leaves through Starlette's outermost middleware, past SecurityHeaders.
        for name, value in SECURITY_HEADERS:
            response.headers[name.decode()] = value.decode()
        return response
