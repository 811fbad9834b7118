"""Who the signed-in person is, and what their role lets them do.

A session is a random value in an HttpOnly cookie (Secure behind HTTPS, SameSite=Lax so that a
link from an e-mail to a case still arrives signed in); the store keeps only its hash. Forms
keep their CSRF tokens, so the cookie alone cannot make a change from another site.
"""

from __future__ import annotations

from typing import Final

from fastapi import Request

from linkvet.store import Role, Store, UserRecord
from linkvet.web.errors import ApiError, SignInNeeded

SESSION_COOKIE: Final = "lv_session"
# Who may do what: each role includes the ones before it.
RANKS: Final = {Role.REPORTER: 0, Role.ANALYST: 1, Role.ADMIN: 2}


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def signed_in(request: Request) -> UserRecord | None:
    """The signed-in account, looked up once per request."""
    if not hasattr(request.state, "user"):
        request.state.user = store_of(request).session_user(request.cookies.get(SESSION_COOKIE))
    user: UserRecord | None = request.state.user
    return user


def require_role(request: Request, role: Role) -> UserRecord:
    """The signed-in account if it has at least `role`; else sign in (none) or 403 (too low)."""
    user = signed_in(request)
    if user is None:
        raise SignInNeeded(request.url.path)
    if RANKS[user.role] < RANKS[role]:
        raise ApiError(403, f"this page is for {role.value}s of the security team")
    return user
