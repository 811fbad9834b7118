"""The free text of a profile and of an approach, each piece with the field path it came from.

Text detectors read only what these functions give them, so that every detector reads the same
fields, in the same order, under the same size limits.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from linkvet.model import Message, Profile

# LinkedIn allows 8,000 characters in a message and 2,600 in an About section. Longer text is
# read only up to these limits, so that a crafted 1 MB message costs a bounded time; detectors
# report what they did not read.
MAX_CHARS_PER_TEXT: Final = 100_000
MAX_CHARS_PER_PROFILE: Final = 1_000_000


@dataclass(frozen=True, slots=True)
class TextField:
    path: str
    text: str
    truncated: bool = False
    sent_at: dt.datetime | None = None


def approach_texts(profile: Profile) -> list[TextField]:
    """The invitation note, then each incoming message, in the order given."""
    messages: list[tuple[str, Message]] = []
    if profile.invitation is not None:
        messages.append(("invitation.text", profile.invitation))
    for index, message in enumerate(profile.messages or []):
        if message.direction == "incoming":
            messages.append((f"messages[{index}].text", message))
    return _bounded((path, message.text, message.sent_at) for path, message in messages)


def profile_texts(profile: Profile) -> list[TextField]:
    """Headline, about, and the titles, organisations and descriptions of the experience."""

    def pieces() -> Iterator[tuple[str, str | None, None]]:
        yield "headline", profile.headline, None
        yield "about", profile.about, None
        for index, entry in enumerate(profile.experience or []):
            yield f"experience[{index}].title", entry.title, None
            yield f"experience[{index}].organisation", entry.organisation, None
            yield f"experience[{index}].description", entry.description, None

    return _bounded(pieces())


_FIELD_NAMES: Final = {
    "about": "About",
    "headline": "headline",
    "invitation.text": "invitation note",
}
_INDEXED = re.compile(r"(messages|experience)\[(\d+)\]\.(\w+)")


def describe_field(path: str) -> str:
    """A field path as people would name it: "messages[1].text" is "message 2"."""
    if path in _FIELD_NAMES:
        return _FIELD_NAMES[path]
    indexed = _INDEXED.fullmatch(path)
    if indexed is None:
        return path
    kind, number, part = indexed.group(1), int(indexed.group(2)) + 1, indexed.group(3)
    if kind == "messages":
        return f"message {number}"
    return f"{part} of role {number}"


def _bounded(pieces: Iterator[tuple[str, str | None, dt.datetime | None]]) -> list[TextField]:
    fields = []
    budget = MAX_CHARS_PER_PROFILE
    for path, text, sent_at in pieces:
        if not text or not text.strip():
            continue
        # Past the budget a text is not read at all, but still listed, so that it is reported.
        limit = min(MAX_CHARS_PER_TEXT, budget)
        fields.append(TextField(path, text[:limit], len(text) > limit, sent_at))
        budget -= min(len(text), limit)
    return fields
