"""Organisations, accounts, sign-in sessions and the audit log.

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106's second recommendation).
Sign-in is slowed down where guessing shows: after `FAILURES_PER_ACCOUNT` failures for one
e-mail address, or `FAILURES_PER_ADDRESS` from one network address, within `FAILURE_WINDOW`,
further attempts are refused until the window has passed, whatever the password. An unknown
address costs as much time as a known one, so that timing does not tell which accounts exist.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from linkvet.store._base import (
    DEFAULT_ORGANISATION,
    StoreBase,
    now,
    organisation_id,
    write_audit,
)
from linkvet.store._checks import checked_line, is_slug
from linkvet.store._errors import NotFound, StoreError
from linkvet.store._records import AuditRecord, OrganisationRecord, UserRecord
from linkvet.store._tables import (
    EMAIL_CHARS,
    NAME_CHARS,
    AuditEntry,
    LoginFailure,
    Organisation,
    Role,
    User,
    UserSession,
)
from linkvet.store._tokens import secret_hash

MIN_PASSWORD_CHARS: Final = 12
MAX_PASSWORD_CHARS: Final = 1_024
SESSION_HOURS: Final = 12
FAILURE_WINDOW: Final = dt.timedelta(minutes=15)
FAILURES_PER_ACCOUNT: Final = 5
FAILURES_PER_ADDRESS: Final = 50
MAX_RETENTION_DAYS: Final = 36_500
MAX_AUDIT_LIST: Final = 1_000
HASHER: Final = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the e-mail is unknown, so that both cases take the same time.
    Made on first use: hashing takes a while, and most commands never sign anyone in."""
    return HASHER.hash(secrets.token_urlsafe(16))


class LoginThrottled(StoreError):
    """Too many failed sign-ins lately: refused whatever the password."""


class AccountsPart(StoreBase):
    # --- organisations ---------------------------------------------------------------------

    def create_organisation(self, slug: str, name: str) -> OrganisationRecord:
        if not is_slug(slug):
            raise StoreError(
                f"an organisation's short name must be lower-case letters, digits, - and _ "
                f"(at most 64), not {slug!r:.80}"
            )
        row = Organisation(
            slug=slug, name=checked_line(name, "the organisation's name", limit=NAME_CHARS),
            created_at=now(),
        )  # fmt: skip
        try:
            with self._session(writes=True) as session:
                session.add(row)
        except StoreError as error:
            if isinstance(error.__cause__, IntegrityError):
                raise StoreError(f"there is already an organisation {slug!r}") from None
            raise
        return OrganisationRecord.from_row(row)

    def organisation(self, slug: str) -> OrganisationRecord | None:
        if not is_slug(slug):
            return None
        with self._session() as session:
            row = session.scalar(select(Organisation).where(Organisation.slug == slug))
            return None if row is None else OrganisationRecord.from_row(row)

    def organisations(self) -> list[OrganisationRecord]:
        with self._session() as session:
            rows = session.scalars(select(Organisation).order_by(Organisation.slug))
            return [OrganisationRecord.from_row(row) for row in rows]

    def set_retention(self, organisation: str, days: int | None, *, actor: str) -> None:
        """Keep cases `days` days after they were reported (None: until deleted)."""
        if days is not None and not (isinstance(days, int) and 1 <= days <= MAX_RETENTION_DAYS):
            raise StoreError(f"retention must be 1 to {MAX_RETENTION_DAYS:,} days, or none")
        with self._session(writes=True) as session:
            row = session.get_one(Organisation, organisation_id(session, organisation))
            row.retention_days = days
            kept = "until deleted" if days is None else f"{days} days"
            write_audit(session, row.id, actor, "retention.set", organisation, f"cases kept {kept}")

    # --- accounts ---------------------------------------------------------------------------

    def create_user(
        self,
        email: str,
        password: str,
        *,
        role: Role | str,
        display_name: str,
        organisation: str = DEFAULT_ORGANISATION,
        actor: str,
    ) -> UserRecord:
        address = _checked_email(email)
        name = checked_line(display_name, "the display name", limit=NAME_CHARS)
        row = User(
            email=address,
            display_name=name,
            role=_checked_role(role),
            password_hash=HASHER.hash(_checked_password(password)),
            created_at=now(),
        )
        try:
            with self._session(writes=True) as session:
                row.organisation_id = organisation_id(session, organisation)
                session.add(row)
                session.flush()
                write_audit(session, row.organisation_id, actor, "user.create", f"user {row.id}",
                       f"{address} as {row.role.value}")  # fmt: skip
        except StoreError as error:
            if isinstance(error.__cause__, IntegrityError):
                raise StoreError(f"there is already an account for {address}") from None
            raise
        return UserRecord.from_row(row, organisation)

    def users(self, organisation: str = DEFAULT_ORGANISATION) -> list[UserRecord]:
        with self._session() as session:
            rows = session.scalars(
                select(User)
                .where(User.organisation_id == organisation_id(session, organisation))
                .order_by(User.email)
            )
            return [UserRecord.from_row(row, organisation) for row in rows]

    def change_user(
        self,
        user_id: int,
        *,
        organisation: str,
        actor: str,
        role: Role | str | None = None,
        disabled: bool | None = None,
        password: str | None = None,
    ) -> UserRecord:
        """Change an account's role, disable or enable it, or set its password. Disabling it or
        changing its password ends its sessions. The last active admin stays an admin."""
        with self._session(writes=True) as session:
            owner = organisation_id(session, organisation)
            # Changes take turns: two admins demoting each other at once leave one admin.
            self._lock_organisation(session, owner)
            row = session.scalar(
                select(User).where(User.id == user_id, User.organisation_id == owner)
            ) if isinstance(user_id, int) else None  # fmt: skip
            if row is None:
                raise NotFound(f"no account {user_id!r} in organisation {organisation!r}")
            was_admin = row.role == Role.ADMIN and row.disabled_at is None
            changes = []
            if role is not None and _checked_role(role) != row.role:
                row.role = _checked_role(role)
                changes.append(f"role {row.role.value}")
            if disabled is not None and disabled != (row.disabled_at is not None):
                row.disabled_at = now() if disabled else None
                changes.append("disabled" if disabled else "enabled")
            if password is not None:
                row.password_hash = HASHER.hash(_checked_password(password))
                changes.append("password changed")
            if row.disabled_at is not None or password is not None:
                session.execute(delete(UserSession).where(UserSession.user_id == row.id))
            session.flush()
            if was_admin and _active_admins(session, owner) == 0:
                raise StoreError("the organisation must keep at least one active admin")
            if changes:
                write_audit(session, owner, actor, "user.change", f"user {row.id}",
                       f"{row.email}: {', '.join(changes)}")  # fmt: skip
        return UserRecord.from_row(row, organisation)

    # --- signing in ---------------------------------------------------------------------------

    def authenticate(self, email: str, password: str, *, address: str) -> UserRecord | None:
        """The account if the password is right and it is enabled; None otherwise. Raises
        `LoginThrottled` after too many recent failures (see the module's docstring)."""
        if not isinstance(email, str) or not isinstance(password, str):
            return None
        email = email.strip().lower()[:EMAIL_CHARS]
        key = hashlib.sha256(email.encode()).hexdigest()
        address = str(address)[:64]
        moment = now()
        # The attempt is counted before the password is verified, and committed: attempts
        # made in parallel all see each other, so none slips past the limit.
        with self._session(writes=True) as session:
            session.add(LoginFailure(email_key=key, address=address, at=moment))
            # Old attempts count for nothing; dropping them keeps the table small.
            session.execute(delete(LoginFailure).where(LoginFailure.at <= moment - FAILURE_WINDOW))
        with self._session() as session:
            since = moment - FAILURE_WINDOW
            by_account = session.scalar(
                select(func.count()).where(LoginFailure.email_key == key, LoginFailure.at > since)
            )
            by_address = session.scalar(
                select(func.count()).where(LoginFailure.address == address, LoginFailure.at > since)
            )
            found = session.execute(
                select(User, Organisation.slug).join(Organisation).where(User.email == email)
            ).one_or_none()
        # This attempt is among those counted: the limit's worth of failures may come before it.
        if (by_account or 0) > FAILURES_PER_ACCOUNT or (by_address or 0) > FAILURES_PER_ADDRESS:
            raise LoginThrottled(
                "too many failed sign-ins: wait 15 minutes and try again, or ask an admin"
            )
        row, organisation = found if found is not None else (None, "")
        stored = row.password_hash if row is not None else _dummy_hash()
        matches = _password_matches(stored, password[:MAX_PASSWORD_CHARS])
        if matches and row is not None and row.disabled_at is None:
            with self._session(writes=True) as session:
                session.execute(delete(LoginFailure).where(LoginFailure.email_key == key))
                write_audit(session, row.organisation_id, UserRecord.from_row(row, organisation).actor,
                       "login", f"user {row.id}", f"from {address}")  # fmt: skip
            return UserRecord.from_row(row, organisation)
        if row is not None:
            with self._session(writes=True) as session:
                write_audit(session, row.organisation_id, "(unknown)", "login.failed",
                       f"user {row.id}", f"from {address}")  # fmt: skip
        return None

    def start_session(self, user: UserRecord) -> str:
        """A new session for a signed-in account: the cookie's value, shown once."""
        token = secrets.token_urlsafe(32)
        moment = now()
        with self._session(writes=True) as session:
            session.add(
                UserSession(
                    token_hash=secret_hash(token), user_id=user.id, created_at=moment,
                    expires_at=moment + dt.timedelta(hours=SESSION_HOURS),
                )
            )  # fmt: skip
            session.execute(delete(UserSession).where(UserSession.expires_at <= moment))
        return token

    def session_user(self, token: str | None) -> UserRecord | None:
        """The account of a live session; None for an unknown, expired or disabled one."""
        if not token or not token.isascii() or len(token) > 100:
            return None
        with self._session() as session:
            found = session.execute(
                select(User, Organisation.slug)
                .join(UserSession, UserSession.user_id == User.id)
                .join(Organisation)
                .where(UserSession.token_hash == secret_hash(token), UserSession.expires_at > now())
            ).one_or_none()
        if found is None or found[0].disabled_at is not None:
            return None
        return UserRecord.from_row(found[0], found[1])

    def end_all_sessions(self) -> None:
        """Sign everyone out (after a restore, say)."""
        with self._session(writes=True) as session:
            session.execute(delete(UserSession))

    def end_session(self, token: str | None) -> None:
        if not token or not token.isascii() or len(token) > 100:
            return
        with self._session(writes=True) as session:
            session.execute(delete(UserSession).where(UserSession.token_hash == secret_hash(token)))

    # --- the audit log -------------------------------------------------------------------------

    def audit(
        self, organisation: str, *, actor: str, action: str, target: str, detail: str = ""
    ) -> None:
        """Record that `actor` did `action` to `target` (a view, an export)."""
        with self._session(writes=True) as session:
            write_audit(
                session, organisation_id(session, organisation), actor, action, target, detail
            )

    def audit_log(
        self, organisation: str, *, limit: int = 100, offset: int = 0
    ) -> list[AuditRecord]:
        """The organisation's audit log, newest first."""
        if not 1 <= limit <= MAX_AUDIT_LIST or offset < 0:
            raise StoreError(f"limit must be 1 to {MAX_AUDIT_LIST:,} and offset at least 0")
        with self._session() as session:
            rows = session.scalars(
                select(AuditEntry)
                .where(AuditEntry.organisation_id == organisation_id(session, organisation))
                .order_by(AuditEntry.id.desc())
                .limit(limit)
                .offset(offset)
            )
            return [AuditRecord.from_row(row) for row in rows]


def _active_admins(session: Session, owner: int) -> int:
    return (
        session.scalar(
            select(func.count()).where(
                User.organisation_id == owner, User.role == Role.ADMIN, User.disabled_at.is_(None)
            )
        )
        or 0
    )


def _password_matches(stored: str, password: str) -> bool:
    try:
        return HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def _checked_email(email: str) -> str:
    address = checked_line(email, "the e-mail address", limit=EMAIL_CHARS).lower()
    local, at, domain = address.rpartition("@")
    if not at or not local or "." not in domain or " " in address:
        raise StoreError(f"{address!r:.80} is not an e-mail address")
    return address


def _checked_role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise StoreError(
            f"unknown role {role!r:.40}: expected one of {', '.join(r.value for r in Role)}"
        ) from None


def _checked_password(password: str) -> str:
    if (
        not isinstance(password, str)
        or not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS
    ):
        raise StoreError(
            f"a password needs {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS:,} characters"
        )
    return password
