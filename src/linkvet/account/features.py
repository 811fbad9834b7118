"""Features every platform shows, computed the same way from a batch file's columns (millions of
rows, vectorised) and from one `Profile` (through the same code, as a batch of one).

Unknown stays unknown: a missing count is NaN, never 0, and the model (gradient-boosted trees)
learns where missing values should go.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from difflib import SequenceMatcher
from typing import Final

import numpy as np

from linkvet._dates import DateError, PartialDate
from linkvet.model import Profile

FEATURE_NAMES: Final = (
    "log_followers",  # followers, or connections where a platform has no followers
    "log_following",
    "log_posts",
    "follow_balance",  # log followers minus log following
    "log_account_age_days",
    "log_about_length",
    "has_photo",
    "has_url",
    "verified",
    "private",
    "handle_length",
    "handle_digit_share",
    "name_words",
    "name_digit_share",
    "name_matches_handle",
)

Columns = Mapping[str, np.ndarray]


def features_from_columns(columns: Columns, rows: int) -> np.ndarray:
    """An (rows, len(FEATURE_NAMES)) float array; NaN where the columns do not say."""

    def numeric(name: str) -> np.ndarray:
        values = columns.get(name)
        return np.full(rows, np.nan) if values is None else np.asarray(values, dtype=float)

    def text(name: str) -> np.ndarray | None:
        values = columns.get(name)
        return None if values is None else np.asarray(values, dtype=object)

    followers = numeric("followers")
    connections = numeric("connections")
    audience = np.where(np.isnan(followers), connections, followers)
    following, posts = numeric("following"), numeric("posts")

    about_length = numeric("about_length")
    about = text("about")
    if about is not None:
        lengths = np.array([np.nan if a is None else len(a) for a in about], dtype=float)
        about_length = np.where(np.isnan(about_length), lengths, about_length)

    handle_length, handle_digits = numeric("handle_length"), numeric("handle_digits")
    handle_share = numeric("handle_digit_share")
    handle = text("handle")
    if handle is not None:
        from_text = np.array([_shape(h) for h in handle], dtype=float)
        handle_length = np.where(np.isnan(handle_length), from_text[:, 0], handle_length)
        handle_digits = np.where(np.isnan(handle_digits), from_text[:, 1], handle_digits)
    with np.errstate(invalid="ignore", divide="ignore"):
        computed_share = np.where(handle_length > 0, handle_digits / handle_length, np.nan)
    handle_share = np.where(np.isnan(handle_share), computed_share, handle_share)

    name_words, name_share = numeric("name_words"), numeric("name_digit_share")
    name = text("name")
    if name is not None:
        name_shape = np.array([_name_shape(n) for n in name], dtype=float)
        name_words = np.where(np.isnan(name_words), name_shape[:, 0], name_words)
        name_share = np.where(np.isnan(name_share), name_shape[:, 1], name_share)

    matches = numeric("name_handle_similarity")
    equals = numeric("name_equals_handle")
    matches = np.where(np.isnan(matches), equals, matches)
    if name is not None and handle is not None:
        similarity = np.array([_similarity(n, h) for n, h in zip(name, handle, strict=True)])
        matches = np.where(np.isnan(matches), similarity, matches)

    log_audience, log_following = np.log1p(audience), np.log1p(following)
    return np.column_stack(
        [
            log_audience,
            log_following,
            np.log1p(posts),
            log_audience - log_following,
            np.log1p(_age_days(columns, rows)),
            np.log1p(about_length),
            numeric("has_photo"),
            numeric("has_url"),
            numeric("verified"),
            numeric("private"),
            handle_length,
            handle_share,
            name_words,
            name_share,
            matches,
        ]
    )


def profile_columns(profile: Profile, as_of: dt.date) -> dict[str, np.ndarray]:
    """One profile as a batch of one, in the batch format's columns."""
    counts = profile.counts

    def count(name: str) -> float:
        shown = getattr(counts, name) if counts is not None else None
        return np.nan if shown is None else float(shown.value)

    def flag(value: bool | None) -> float:
        return np.nan if value is None else float(value)

    websites = profile.contact.websites if profile.contact else None
    verified = None if profile.verifications is None else bool(profile.verifications)
    return {
        "followers": np.array([count("followers")]),
        "connections": np.array([count("connections")]),
        "following": np.array([count("following")]),
        "posts": np.array([count("posts")]),
        "joined": np.array([str(profile.joined) if profile.joined else None], dtype=object),
        "observed_at": np.array([as_of.isoformat()], dtype=object),
        "about": np.array([profile.about], dtype=object),
        "has_photo": np.array([flag(profile.photo_shown())]),
        "has_url": np.array([flag(None if websites is None else bool(websites))]),
        "verified": np.array([flag(verified)]),
        "handle": np.array([profile.handle], dtype=object),
        "name": np.array([profile.name], dtype=object),
    }


def _age_days(columns: Columns, rows: int) -> np.ndarray:
    joined, observed = columns.get("joined"), columns.get("observed_at")
    if joined is None or observed is None:
        return np.full(rows, np.nan)
    return np.array([_days_between(j, o) for j, o in zip(joined, observed, strict=True)])


def _days_between(joined: object, observed: object) -> float:
    if not isinstance(joined, str) or not isinstance(observed, str):
        return np.nan
    try:
        start = PartialDate.parse(joined[:10] if _ISO.match(joined) else joined).earliest()
        end = PartialDate.parse(observed[:10]).earliest()
    except DateError:
        return np.nan
    days = (end - start).days
    return float(days) if days >= 0 else np.nan


_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _shape(handle: object) -> tuple[float, float]:
    if not isinstance(handle, str) or not handle:
        return np.nan, np.nan
    core = handle.lstrip("@")
    return float(len(core)), float(sum(char.isdigit() for char in core))


def _name_shape(name: object) -> tuple[float, float]:
    if not isinstance(name, str) or not name.strip():
        return np.nan, np.nan
    return float(len(name.split())), sum(char.isdigit() for char in name) / len(name)


def _similarity(name: object, handle: object) -> float:
    if not isinstance(name, str) or not isinstance(handle, str) or not name or not handle:
        return np.nan
    folded_name = re.sub(r"[^a-z0-9]", "", name.lower())
    folded_handle = re.sub(r"[^a-z0-9]", "", handle.lower())
    if not folded_name or not folded_handle:
        return np.nan
    return SequenceMatcher(None, folded_name, folded_handle).ratio()
