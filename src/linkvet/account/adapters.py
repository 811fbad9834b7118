"""The shared labelled datasets in linkvet's batch format (docs/batch-format.md); the mapping is
documented in docs/datasets.md. Adapters copy what a dataset has and never invent the rest: a
dataset with only a bio length gives `about_length`, not an `about` text.

Each adapter returns columns as the batch reader does: numbers as float arrays with NaN for
missing, text as object arrays, `label` 1 = fake, 0 = genuine, and `group` naming the dataset.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import numpy as np

Columns = dict[str, np.ndarray]


def cresci2015(root: Path) -> Columns:
    """Twitter: 1,481 genuine accounts (E13) and 1,337 bought fake followers (INT)."""
    rows: list[tuple[dict[str, str], int]] = []
    for name, label in (("E13_genuine_users.csv", 0), ("INT_fake_followers.csv", 1)):
        with (root / "cresci2015" / name).open(encoding="utf-8", newline="") as handle:
            rows.extend((row, label) for row in csv.DictReader(handle))
    return {
        "id": _text([f"twitter:{row['id']}" for row, _ in rows]),
        "platform": _text(["twitter"] * len(rows)),
        "name": _text([row["name"] or None for row, _ in rows]),
        "handle": _text([row["screen_name"] or None for row, _ in rows]),
        "about": _text([row["description"] or None for row, _ in rows]),
        # An empty description is a bio seen empty (length 0), not an unknown one.
        "about_length": _numbers([len(row["description"]) for row, _ in rows]),
        "followers": _numbers([row["followers_count"] for row, _ in rows]),
        "following": _numbers([row["friends_count"] for row, _ in rows]),
        "posts": _numbers([row["statuses_count"] for row, _ in rows]),
        "joined": _text([_twitter_date(row["created_at"]) for row, _ in rows]),
        "observed_at": _text([(row["updated"] or "")[:10] or None for row, _ in rows]),
        # Empty means "not recorded" in this export (verified and protected are empty in almost
        # every row of both classes), so only an explicit 1/0 counts.
        "has_url": _numbers(["1" if row["url"] else "0" for row, _ in rows]),
        "verified": _numbers([row["verified"] for row, _ in rows]),
        "private": _numbers([row["protected"] for row, _ in rows]),
        "label": _numbers([str(label) for _, label in rows]),
        "group": _text(["cresci2015"] * len(rows)),
    }


def instafake(root: Path) -> Columns:
    """Instagram: 200 fake and 994 real accounts, derived numbers only (no text)."""
    rows: list[dict[str, Any]] = []
    for name in ("fakeAccountData.json", "realAccountData.json"):
        rows.extend(json.loads((root / "instafake" / name).read_text(encoding="utf-8")))
    return {
        "id": _text([f"instafake:{index}" for index in range(len(rows))]),
        "platform": _text(["instagram"] * len(rows)),
        "followers": _numbers([row.get("userFollowerCount") for row in rows]),
        "following": _numbers([row.get("userFollowingCount") for row in rows]),
        "posts": _numbers([row.get("userMediaCount") for row in rows]),
        "about_length": _numbers([row.get("userBiographyLength") for row in rows]),
        "has_photo": _numbers([row.get("userHasProfilPic") for row in rows]),
        "private": _numbers([row.get("userIsPrivate") for row in rows]),
        "handle_length": _numbers([row.get("usernameLength") for row in rows]),
        "handle_digits": _numbers([row.get("usernameDigitCount") for row in rows]),
        "label": _numbers([row.get("isFake") for row in rows]),
        "group": _text(["instafake"] * len(rows)),
    }


def instagram_kaggle(root: Path, *, part: str = "all") -> Columns:
    """Instagram (Kaggle): 696 accounts with the uploader's train/test split in `split`."""
    rows: list[tuple[dict[str, str], str]] = []
    for name, split in (("insta_train.csv", "train"), ("insta_test.csv", "test")):
        if part not in {"all", split}:
            continue
        with (root / "instagram_kaggle" / name).open(encoding="utf-8", newline="") as handle:
            rows.extend((row, split) for row in csv.DictReader(handle))
    return {
        "id": _text([f"kaggle:{split}:{index}" for index, (_, split) in enumerate(rows)]),
        "platform": _text(["instagram"] * len(rows)),
        "has_photo": _numbers([row["profile pic"] for row, _ in rows]),
        "handle_digit_share": _numbers([row["nums/length username"] for row, _ in rows]),
        "name_words": _numbers([row["fullname words"] for row, _ in rows]),
        "name_digit_share": _numbers([row["nums/length fullname"] for row, _ in rows]),
        "name_equals_handle": _numbers([row["name==username"] for row, _ in rows]),
        "about_length": _numbers([row["description length"] for row, _ in rows]),
        "has_url": _numbers([row["external URL"] for row, _ in rows]),
        "private": _numbers([row["private"] for row, _ in rows]),
        "posts": _numbers([row["#posts"] for row, _ in rows]),
        "followers": _numbers([row["#followers"] for row, _ in rows]),
        "following": _numbers([row["#follows"] for row, _ in rows]),
        "label": _numbers([row["fake"] for row, _ in rows]),
        "group": _text(["instagram_kaggle"] * len(rows)),
        "split": _text([split for _, split in rows]),
    }


ADAPTERS: Final[dict[str, Callable[[Path], Columns]]] = {
    "cresci2015": cresci2015,
    "instafake": instafake,
    "instagram_kaggle": instagram_kaggle,
}


def _text(values: list[str | None]) -> np.ndarray:
    return np.array(values, dtype=object)


def _numbers(values: list[Any]) -> np.ndarray:
    def number(value: Any) -> float:
        if value is None or value == "" or value == "NULL":
            return np.nan
        return float(value)

    return np.array([number(value) for value in values], dtype=float)


def _twitter_date(text: str) -> str | None:
    """ "Thu Sep 08 13:20:35 +0000 2011" -> "2011-09-08"."""
    try:
        return dt.datetime.strptime(text, "%a %b %d %H:%M:%S %z %Y").date().isoformat()
    except ValueError:
        return None
