"""Counts as profiles show them: 500+, "1,234", "12.5K", "3M"."""

from __future__ import annotations

import re
from typing import Final

MAX_COUNT_TEXT: Final = 32
# No network has more members than this; larger numbers are mistakes.
MAX_COUNT: Final = 10_000_000_000

_COUNT = re.compile(r"(\d{1,3}(?:[ ,.\u202f\u00a0]\d{3})+|\d+(?:[.,]\d+)?)\s*([km]?)\s*(\+?)")
_SUFFIX: Final = {"": 1, "k": 1_000, "m": 1_000_000}


class CountError(ValueError):
    """Text that cannot be read as a count."""


def parse_count(text: str) -> tuple[int, bool]:
    """Return (value, at_least) for text such as "500+" (at least 500) or "1.2K" (1200)."""
    cleaned = text.strip().lower()
    if len(cleaned) > MAX_COUNT_TEXT:
        raise CountError(f"count text longer than {MAX_COUNT_TEXT} characters")
    for word in ("connections", "followers", "following", "posts", "follower", "connection"):
        cleaned = cleaned.removesuffix(word).strip()
    match = _COUNT.fullmatch(cleaned)
    if match is None:
        raise CountError(
            f"cannot read '{text.strip()[:40]}' as a count (expected e.g. 500, '500+', '1.2K')"
        )
    number, suffix, plus = match.groups()
    multiplier = _SUFFIX[suffix]
    if multiplier == 1:
        if re.fullmatch(r"\d+[.,]\d{1,2}", number):
            raise CountError(f"'{text.strip()}' is not a whole number")
        value = int(re.sub(r"\D", "", number))
    else:
        value = round(float(number.replace(",", ".")) * multiplier)
    if value > MAX_COUNT:
        raise CountError(f"{value} is more than any network has members")
    # "12K" is rounded by the platform, so the true figure is at least the shown one only roughly;
    # we keep at_least for the explicit "+" that LinkedIn uses to cap connections at 500.
    return value, bool(plus)
