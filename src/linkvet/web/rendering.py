"""Pages as HTML: Jinja2 templates (autoescaped), each with a CSRF token for its forms and the
signed-in account, if any, for the navigation."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from linkvet.store import StoreError
from linkvet.web.accounts import signed_in
from linkvet.web.errors import ApiError
from linkvet.web.security import CSRF_COOKIE, CSRF_FIELD, csrf_token, csrf_valid, new_csrf_cookie

TEMPLATES: Final = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def render(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    """A page, with a CSRF cookie set if the browser has none yet."""
    cookie = request.cookies.get(CSRF_COOKIE)
    fresh = cookie is None
    if fresh:
        cookie = new_csrf_cookie()
    context["csrf"] = csrf_token(request.app.state.secret, cookie or "")
    context["csrf_field"] = CSRF_FIELD
    context.setdefault("user", signed_in(request))
    response = TEMPLATES.TemplateResponse(request, template, context, status_code=status)
    if fresh:
        set_csrf_cookie(request, response, cookie or "")
    return response


def set_csrf_cookie(request: Request, response: Response, value: str) -> None:
    response.set_cookie(
        CSRF_COOKIE, value, httponly=True, samesite="strict",
        secure=request.app.state.settings.https, path="/",
    )  # fmt: skip


def page_error(request: Request, status: int, message: str) -> Response:
    try:
        user = signed_in(request)
    except StoreError:  # the error page must not fail on the store that failed
        user = None
    return render(
        request, "error.html", status=status, status_code=status, message=message, user=user
    )


async def read_form(request: Request) -> FormData:
    """The submitted form, after checking its CSRF token."""
    form = await request.form(max_files=3, max_fields=50, max_part_size=1024 * 1024)
    token = form.get(CSRF_FIELD)
    if not csrf_valid(
        request.app.state.secret,
        request.cookies.get(CSRF_COOKIE),
        token if isinstance(token, str) else None,
    ):
        raise ApiError(
            403,
            "this form has expired or did not come from this site: reload the page and try "
            "again (cookies must be allowed for this site)",
        )
    return form
