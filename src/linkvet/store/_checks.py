"""What the store accepts as text from people: lengths capped, control characters refused.

Notes may span lines; names and contact details are one line. Characters that a database cannot
keep (NUL in PostgreSQL, lone surrogates anywhere) and the bidirectional overrides used to make
text read differently from what it is ("Trojan Source") are refused with the place they occur.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from linkvet.store._errors import StoreError
from linkvet.store._tables import SLUG_CHARS

NOTE_ALLOWED_CONTROLS: Final = frozenset("\t\n\r")
# Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069). Marks such as U+200E
# stay allowed: right-to-left names need them.
BIDI_CONTROLS: Final = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
# Control characters, surrogates, and (on one line) the line and paragraph separators.
REFUSED_CATEGORIES: Final = frozenset({"Cc", "Cs"})
LINE_BREAK_CATEGORIES: Final = frozenset({"Zl", "Zp"})
SLUG: Final = re.compile(rf"[a-z0-9][a-z0-9_-]{{0,{SLUG_CHARS - 1}}}", re.ASCII)
SHA256: Final = re.compile(r"[0-9a-f]{64}", re.ASCII)


def checked_note(note: str, *, limit: int) -> str:
    """The note, stripped; newlines and tabs are kept."""
    note = _text(note, "the note").strip()
    _check_length(note, "the note", limit)
    for position, char in enumerate(note, start=1):
        if char not in NOTE_ALLOWED_CONTROLS and unicodedata.category(char) in REFUSED_CATEGORIES:
            raise _refused(char, "the note", position)
    return note


def checked_line(value: str, what: str, *, limit: int) -> str:
    """A one-line value such as a name, stripped; empty after stripping is refused."""
    value = _text(value, what).strip()
    if not value:
        raise StoreError(f"{what} is empty")
    _check_length(value, what, limit)
    for position, char in enumerate(value, start=1):
        category = unicodedata.category(char)
        if (
            category in REFUSED_CATEGORIES
            or category in LINE_BREAK_CATEGORIES
            or char in BIDI_CONTROLS
        ):
            raise _refused(char, what, position)
    return value


def checked_optional_line(value: str | None, what: str, *, limit: int) -> str | None:
    """Like `checked_line`, but `None` and blank mean "not given"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return checked_line(value, what, limit=limit)


def is_slug(value: object) -> bool:
    """Whether `value` can name an organisation: lower-case letters, digits, - and _."""
    return isinstance(value, str) and SLUG.fullmatch(value) is not None


def is_sha256(value: object) -> bool:
    return isinstance(value, str) and SHA256.fullmatch(value) is not None


def display_copy(text: str | None, *, limit: int) -> str | None:
    """A copy of profile text for a column shown in lists: clipped, control characters dropped.

    The profile itself is kept whole in the report's JSON; this is only for display and search.
    """
    if text is None:
        return None
    kept = "".join(char for char in text if unicodedata.category(char) not in REFUSED_CATEGORIES)
    return kept[:limit]


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise StoreError(f"{what} must be text, not {type(value).__name__}")
    return value


def _check_length(value: str, what: str, limit: int) -> None:
    if len(value) > limit:
        raise StoreError(f"{what} is too long: {len(value):,} characters, at most {limit:,}")


def _refused(char: str, what: str, position: int) -> StoreError:
    return StoreError(
        f"{what} contains a control character (U+{ord(char):04X}) at position {position}"
    )
