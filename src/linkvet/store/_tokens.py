"""API tokens for /api/v1: made with scopes, looked up by their hash, revoked for good."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import Final

from sqlalchemy import or_, select, update

from linkvet.store._base import DEFAULT_ORGANISATION, StoreBase, now, organisation_id
from linkvet.store._checks import checked_line
from linkvet.store._errors import NotFound, StoreError
from linkvet.store._records import TokenRecord
from linkvet.store._tables import NAME_CHARS, TOKEN_PREFIX_CHARS, ApiToken, Organisation

# "cases": read and triage the organisation's cases and export them, as an analyst does.
TOKEN_SCOPES: Final = ("assess", "report", "learn", "cases")
TOKEN_START: Final = "lv_"  # noqa: S105 (a marker that every token starts with, not a secret)
# Longer than any token we make ("lv_" and 43 characters); anything longer is not looked up.
TOKEN_CHARS: Final = 100
# A token's last use is written at most this often, so that busy clients do not turn every
# request into a write.
LAST_USED_EVERY: Final = dt.timedelta(minutes=1)


class TokensPart(StoreBase):
    def create_token(
        self, name: str, scopes: Iterable[str], *, organisation: str = DEFAULT_ORGANISATION
    ) -> tuple[str, TokenRecord]:
        """A new token and its record. Show the token once: only its hash is kept."""
        name = checked_line(name, "the token's name", limit=NAME_CHARS)
        wanted = _checked_scopes(scopes)
        token = TOKEN_START + secrets.token_urlsafe(32)
        row = ApiToken(
            name=name,
            token_hash=secret_hash(token),
            prefix=token[:TOKEN_PREFIX_CHARS],
            scopes=" ".join(wanted),
            created_at=now(),
        )
        with self._session(writes=True) as session:
            row.organisation_id = organisation_id(session, organisation)
            session.add(row)
        return token, TokenRecord.from_row(row, organisation)

    def verify_token(self, token: str, scope: str) -> TokenRecord | None:
        """The token's record if it is known, not revoked and carries `scope`; else `None`."""
        if scope not in TOKEN_SCOPES:
            raise StoreError(f"unknown scope {scope!r}: expected one of {', '.join(TOKEN_SCOPES)}")
        if not (
            isinstance(token, str)
            and token.isascii()
            and token.startswith(TOKEN_START)
            and len(token) <= TOKEN_CHARS
        ):
            return None
        # Looked up by its hash, never compared as text: timing can tell an attacker at most how
        # much of a SHA-256 matched, which says nothing about any token.
        digest = secret_hash(token)
        with self._session() as session:
            found = session.execute(
                select(ApiToken, Organisation.slug)
                .join(Organisation)
                .where(ApiToken.token_hash == digest)
            ).one_or_none()
        if found is None:
            return None
        row, organisation = found
        if row.revoked_at is not None or scope not in row.scopes.split():
            return None
        moment = now()
        stale = moment - LAST_USED_EVERY
        if row.last_used_at is None or row.last_used_at <= stale:
            with self._session(writes=True) as session:
                session.execute(
                    update(ApiToken)
                    .where(
                        ApiToken.id == row.id,
                        or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= stale),
                    )
                    .values(last_used_at=moment)
                )
            row.last_used_at = moment
        return TokenRecord.from_row(row, organisation)

    def list_tokens(self, organisation: str = DEFAULT_ORGANISATION) -> list[TokenRecord]:
        """The organisation's tokens, newest first, revoked ones included."""
        with self._session() as session:
            rows = session.scalars(
                select(ApiToken)
                .where(ApiToken.organisation_id == organisation_id(session, organisation))
                .order_by(ApiToken.id.desc())
            )
            return [TokenRecord.from_row(row, organisation) for row in rows]

    def revoke_token(
        self, token_id: int, *, organisation: str = DEFAULT_ORGANISATION
    ) -> TokenRecord:
        """Revoke a token for good (revoking it again changes nothing)."""
        with self._session(writes=True) as session:
            owner = organisation_id(session, organisation)
            row = None
            if isinstance(token_id, int):
                row = session.scalar(
                    select(ApiToken).where(
                        ApiToken.id == token_id, ApiToken.organisation_id == owner
                    )
                )
            if row is None:
                raise NotFound(f"no API token {token_id!r} in organisation {organisation!r}")
            if row.revoked_at is None:
                row.revoked_at = now()
        return TokenRecord.from_row(row, organisation)


def _checked_scopes(scopes: Iterable[str]) -> tuple[str, ...]:
    if isinstance(scopes, str):
        raise StoreError("scopes must be a list of names, not one string")
    wanted = set(scopes)
    unknown = sorted(map(repr, wanted - set(TOKEN_SCOPES)))
    if unknown:
        raise StoreError(
            f"unknown scope(s) {', '.join(unknown)}: expected {', '.join(TOKEN_SCOPES)}"
        )
    if not wanted:
        raise StoreError("a token needs at least one scope")
    return tuple(scope for scope in TOKEN_SCOPES if scope in wanted)


def secret_hash(secret: str) -> str:
    """The SHA-256 by which a token or a session is looked up; the secret itself is never kept.
    (Random 256-bit secrets need no slow hash: nothing can be guessed from the digest.)"""
    return hashlib.sha256(secret.encode("ascii")).hexdigest()
