"""The sign-in and sign-out pages (the session itself: `accounts.py`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from linkvet.store import LoginThrottled
from linkvet.web.accounts import SESSION_COOKIE, signed_in, store_of
from linkvet.web.errors import ApiError, safe_next
from linkvet.web.rendering import read_form, render, set_csrf_cookie
from linkvet.web.security import CSRF_COOKIE, new_csrf_cookie

router = APIRouter(include_in_schema=False)


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", next=safe_next(next))


@router.post("/login")
async def login(request: Request) -> Response:
    form = await read_form(request)
    email, password, next_path = (form.get(name) for name in ("email", "password", "next"))
    address = request.client.host if request.client else "unknown"
    try:
        user = await run_in_threadpool(
            store_of(request).authenticate,
            email if isinstance(email, str) else "",
            password if isinstance(password, str) else "",
            address=address,
        )
    except LoginThrottled as error:
        raise ApiError(429, str(error)) from None
    if user is None:
        return render(
            request, "login.html", status=401, next=safe_next(str(next_path or "/")),
            email=email if isinstance(email, str) else "",
            error="That e-mail address and password do not match an active account.",
        )  # fmt: skip
    store = store_of(request)
    store.end_session(request.cookies.get(SESSION_COOKIE))  # whoever was signed in here before
    token = await run_in_threadpool(store.start_session, user)
    response = RedirectResponse(safe_next(str(next_path or "/")), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="lax",
        secure=request.app.state.settings.https, path="/",
    )  # fmt: skip
    # A new CSRF cookie with the new session: one planted before signing in is worth nothing.
    set_csrf_cookie(request, response, new_csrf_cookie())
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    await read_form(request)
    store = store_of(request)
    user = signed_in(request)
    if user is not None:
        store.audit(user.organisation, actor=user.actor, action="logout", target=f"user {user.id}")
    store.end_session(request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response
