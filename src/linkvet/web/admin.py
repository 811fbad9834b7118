"""The admin pages: accounts and roles, API tokens, retention, and the audit log — each for the
admin's own organisation only."""

from __future__ import annotations

import re
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from linkvet.store import MIN_PASSWORD_CHARS, TOKEN_SCOPES, Role
from linkvet.web.accounts import require_role, store_of
from linkvet.web.errors import ApiError
from linkvet.web.rendering import read_form, render

router = APIRouter(include_in_schema=False)
AUDIT_PAGE: Final = 100
DAYS: Final = re.compile(r"[0-9]{1,5}", re.ASCII)


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _admin_page(request: Request, **extra: Any) -> Response:
    user = require_role(request, Role.ADMIN)
    store = store_of(request)
    response = render(
        request, "admin.html", users=store.users(user.organisation),
        tokens=store.list_tokens(user.organisation), scopes=TOKEN_SCOPES,
        organisation=store.organisation(user.organisation), roles=[r.value for r in Role],
        min_password=MIN_PASSWORD_CHARS, **extra,
    )  # fmt: skip
    response.headers["cache-control"] = "no-store"
    return response


@router.get("/admin")
def admin(request: Request) -> Response:
    return _admin_page(request)


@router.post("/admin/users")
async def create_user(request: Request) -> Response:
    user = require_role(request, Role.ADMIN)
    form = await read_form(request)
    await run_in_threadpool(
        store_of(request).create_user,
        _field(form, "email"),
        _field(form, "password"),
        role=_field(form, "role"),
        display_name=_field(form, "display_name"),
        organisation=user.organisation,
        actor=user.actor,
    )
    return RedirectResponse("/admin#users", status_code=303)


@router.post("/admin/users/{user_id}")
async def change_user(request: Request, user_id: int) -> Response:
    user = require_role(request, Role.ADMIN)
    form = await read_form(request)
    state = _field(form, "state")
    if state not in {"", "enabled", "disabled"}:
        raise ApiError(422, "the account's state is enabled or disabled")
    await run_in_threadpool(
        lambda: store_of(request).change_user(
            user_id, organisation=user.organisation, actor=user.actor,
            role=_field(form, "role") or None,
            disabled=None if not state else state == "disabled",
            password=_field(form, "password") or None,
        )
    )  # fmt: skip
    return RedirectResponse("/admin#users", status_code=303)


@router.post("/admin/retention")
async def retention(request: Request) -> Response:
    user = require_role(request, Role.ADMIN)
    form = await read_form(request)
    given = _field(form, "days").strip()
    if given and not DAYS.fullmatch(given):
        raise ApiError(422, "retention is a whole number of days, or empty to keep cases")
    store_of(request).set_retention(
        user.organisation, int(given) if given else None, actor=user.actor
    )
    return RedirectResponse("/admin#retention", status_code=303)


@router.post("/admin/tokens")
async def create_token(request: Request) -> Response:
    user = require_role(request, Role.ADMIN)
    form = await read_form(request)
    scopes = [scope for scope in form.getlist("scope") if isinstance(scope, str)]
    store = store_of(request)
    token, record = store.create_token(_field(form, "name"), scopes, organisation=user.organisation)
    store.audit(user.organisation, actor=user.actor, action="token.create",
                target=f"token {record.id}", detail=f"{record.name}: {' '.join(record.scopes)}")  # fmt: skip
    # Shown once, on this answer only: it is not kept anywhere.
    return _admin_page(request, new_token=token, new_token_record=record)


@router.post("/admin/tokens/{token_id}/revoke")
async def revoke_token(request: Request, token_id: int) -> Response:
    user = require_role(request, Role.ADMIN)
    await read_form(request)
    store = store_of(request)
    record = store.revoke_token(token_id, organisation=user.organisation)
    store.audit(user.organisation, actor=user.actor, action="token.revoke",
                target=f"token {record.id}", detail=record.name)  # fmt: skip
    return RedirectResponse("/admin#tokens", status_code=303)


@router.get("/admin/audit")
def audit(request: Request, page: int = 1) -> Response:
    user = require_role(request, Role.ADMIN)
    page = max(1, min(page, 10_000))
    entries = store_of(request).audit_log(
        user.organisation, limit=AUDIT_PAGE + 1, offset=(page - 1) * AUDIT_PAGE
    )
    response = render(
        request, "audit.html", entries=entries[:AUDIT_PAGE], page_number=page,
        more=len(entries) > AUDIT_PAGE,
    )  # fmt: skip
    response.headers["cache-control"] = "no-store"
    return response
