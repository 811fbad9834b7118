"""The obvious hand-rolled campaign-detection pipeline, to time linkvet's own against.

Run: `.venv/bin/python -m benchmarks.campaign_baseline CORPUS.parquet [--photos]
[--max-photos N] [--json OUT.json]` on a corpus from `linkvet bench generate` (its truth file
beside it gives the planted precision and recall).

It is the comparison for benchmarks/bench_campaigns.py: what a data scientist would write with
the usual tools, done properly but without linkvet's engineering, so that the ratio of the two
times means something. Stages, each timed:

- read: `pd.read_parquet`, and the `profile` JSON column parsed once;
- score: linkvet's shipped account model, one row at a time through `df.apply(axis=1)`;
- text: datasketch MinHash (word 3-grams) in a MinHashLSH index, candidates checked by their
  estimated Jaccard similarity;
- photos (with --photos): imagehash's pHash of every photo, then every pair compared;
- attributes: a pandas groupby on (claimed employer, ISO week joined), groups of 3 or more;
- cluster: union-find over all the links; campaigns are the groups of 2 or more rows.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import resource
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import imagehash
import numpy as np
import numpy.typing as npt
import pandas as pd  # type: ignore[import-untyped]
from datasketch import MinHash, MinHashLSH
from PIL import Image

from linkvet.account.features import features_from_columns
from linkvet.account.model import AccountModel, shipped_account_model
from linkvet.campaigns.corpus import truth_path
from linkvet.campaigns.planted import measure

NUM_PERM: Final = 64
TEXT_SIMILARITY: Final = 0.5  # the LSH threshold and the Jaccard a candidate pair must reach
MIN_TEXT_WORDS: Final = 12  # shorter texts are too generic to say anything
SHINGLE_WORDS: Final = 3
INCOMING_MESSAGES: Final = 3
PHOTO_DISTANCE: Final = 10  # pHash bits that may differ between copies of one photo
MIN_ATTRIBUTE_GROUP: Final = 3
STAGES: Final = ("read", "score", "text", "photos", "attributes", "cluster")

# The columns the account model reads, when the file has them.
NUMBER_COLUMNS: Final = (
    "followers", "following", "connections", "posts", "has_photo", "has_url", "verified",
    "private",
)  # fmt: skip
TEXT_COLUMNS: Final = ("about", "handle", "name", "joined", "observed_at")

WORD = re.compile(r"\w+")

Edge = tuple[int, int]
Profile = Mapping[str, Any]


@dataclass(frozen=True, eq=False)  # eq=False: arrays have no single truth value to compare by
class BaselineResult:
    rows: int
    campaign: npt.NDArray[np.int64]  # per row: its campaign's number, 0 for none
    seconds: dict[str, float]  # per stage (STAGES) and "total"
    photos_compared: int  # photos hashed and compared (at most --max-photos)
    pairs_compared: int  # photo pairs compared: photos_compared * (photos_compared - 1) / 2
    probability: npt.NDArray[np.float64]  # per row: the account model's probability of fake


@contextmanager
def timed(seconds: dict[str, float], stage: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        seconds[stage] = time.perf_counter() - started


def run_baseline(path: Path, *, photos: bool, max_photos: int | None = None) -> BaselineResult:
    """Campaigns in the batch file `path`, found the hand-rolled way, with each stage's time."""
    path = Path(path)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    with timed(seconds, "read"):
        df = pd.read_parquet(path)
        profiles = [parse_profile(cell) for cell in df["profile"]]
    with timed(seconds, "score"):
        df["probability"] = score_rows(df)
    with timed(seconds, "text"):
        text_edges = similar_text_edges(row_texts(df, profiles))
    photo_edges: list[Edge] = []
    photos_compared = pairs_compared = 0
    with timed(seconds, "photos"):
        if photos:
            paths = photo_paths(profiles, path.parent)[:max_photos]
            hashes = [(row, photo_hash(photo)) for row, photo in paths]
            photo_edges = near_photo_edges(hashes)
            photos_compared = len(hashes)
            pairs_compared = len(hashes) * (len(hashes) - 1) // 2
    with timed(seconds, "attributes"):
        attribute_edges = shared_attribute_edges(df["joined"], profiles)
    with timed(seconds, "cluster"):
        campaign = campaign_numbers(len(df), [*text_edges, *photo_edges, *attribute_edges])
    seconds["total"] = time.perf_counter() - started
    return BaselineResult(
        rows=len(df),
        campaign=campaign,
        seconds=seconds,
        photos_compared=photos_compared,
        pairs_compared=pairs_compared,
        probability=df["probability"].to_numpy(dtype=np.float64),
    )


def parse_profile(cell: object) -> Profile:
    if not isinstance(cell, str) or not cell:
        return {}
    parsed = json.loads(cell)
    return parsed if isinstance(parsed, dict) else {}


# -- score


def score_rows(df: pd.DataFrame) -> pd.Series:
    if df.empty:  # apply on no rows returns the empty frame, not a column
        return pd.Series([], dtype=np.float64)
    model = shipped_account_model()
    present = set(df.columns)
    return df.apply(lambda row: row_probability(model, row, present), axis=1).astype(np.float64)


def row_probability(model: AccountModel, row: pd.Series, present: set[str]) -> float:
    """The model on a batch of one: the row as linkvet's columns (numbers float, text object)."""
    columns: dict[str, npt.NDArray[Any]] = {
        name: np.array([as_number(row[name])], dtype=np.float64)
        for name in NUMBER_COLUMNS
        if name in present
    }
    columns |= {
        name: np.array([as_text(row[name])], dtype=object)
        for name in TEXT_COLUMNS
        if name in present
    }
    return float(model.probability(features_from_columns(columns, 1))[0])


def as_number(value: object) -> float:
    if isinstance(value, str):  # a count as shown, such as "500+" or "1,234"
        try:
            return float(value.replace(",", "").rstrip("+"))
        except ValueError:
            return math.nan
    if isinstance(value, bool | int | float | np.bool_ | np.integer | np.floating):
        return float(value)
    return math.nan  # None, pd.NA


def as_text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


# -- text


def row_texts(df: pd.DataFrame, profiles: Sequence[Profile]) -> list[tuple[int, str]]:
    """(row, text) for every text worth comparing: about, roles, invitation, incoming messages."""
    abouts = df["about"] if "about" in df.columns else [None] * len(df)
    return [
        (row, text)
        for row, (about, profile) in enumerate(zip(abouts, profiles, strict=True))
        for text in profile_texts(as_text(about), profile)
    ]


def profile_texts(about: str | None, profile: Profile) -> list[str]:
    experience = profile.get("experience") or []
    roles = "\n".join(
        entry["description"]
        for entry in experience
        if isinstance(entry, dict) and isinstance(entry.get("description"), str)
    )
    invitation = profile.get("invitation") or {}
    incoming = [
        message.get("text")
        for message in profile.get("messages") or []
        if isinstance(message, dict) and message.get("direction") != "outgoing"
    ][:INCOMING_MESSAGES]
    candidates = [about, roles, invitation.get("text"), *incoming]
    return [text for text in candidates if isinstance(text, str) and text]


def shingles(text: str) -> set[bytes] | None:
    """The text's word 3-grams, or None when it is too short to compare."""
    words = WORD.findall(text.lower())
    if len(words) < MIN_TEXT_WORDS:
        return None
    return {
        " ".join(words[start : start + SHINGLE_WORDS]).encode("utf-8")
        for start in range(len(words) - SHINGLE_WORDS + 1)
    }


def similar_text_edges(texts: Sequence[tuple[int, str]]) -> list[Edge]:
    """Rows linked by a pair of texts with an estimated Jaccard similarity of at least 0.5."""
    rows: list[int] = []
    shingled: list[list[bytes]] = []
    for row, text in texts:
        text_shingles = shingles(text)
        if text_shingles is not None:
            rows.append(row)
            shingled.append(list(text_shingles))
    # datasketch's own way to make many sketches: the permutations are drawn once, not per text.
    sketches: list[MinHash] = MinHash.bulk(shingled, num_perm=NUM_PERM)
    lsh = MinHashLSH(threshold=TEXT_SIMILARITY, num_perm=NUM_PERM)
    with lsh.insertion_session() as session:
        for key, sketch in enumerate(sketches):
            session.insert(key, sketch)
    edges = []
    for key, sketch in enumerate(sketches):
        for other in lsh.query(sketch):
            # Each pair once; a profile repeating its own text says nothing.
            if other <= key or rows[other] == rows[key]:
                continue
            if sketch.jaccard(sketches[other]) >= TEXT_SIMILARITY:
                edges.append((rows[key], rows[other]))
    return edges


# -- photos


def photo_paths(profiles: Sequence[Profile], folder: Path) -> list[tuple[int, Path]]:
    """(row, file) of every row's photo; the batch file's folder anchors relative paths."""
    paths = []
    for row, profile in enumerate(profiles):
        photo = profile.get("photo")
        if isinstance(photo, dict) and isinstance(photo.get("path"), str):
            paths.append((row, folder / photo["path"]))
    return paths


def photo_hash(path: Path) -> imagehash.ImageHash:
    with Image.open(path) as image:
        return imagehash.phash(image)


def near_photo_edges(hashes: Sequence[tuple[int, imagehash.ImageHash]]) -> list[Edge]:
    """Rows whose photos' pHashes differ in at most 10 bits, every pair compared."""
    edges = []
    for first in range(len(hashes)):
        row, photo = hashes[first]
        for second in range(first + 1, len(hashes)):
            other_row, other_photo = hashes[second]
            if photo - other_photo <= PHOTO_DISTANCE:
                edges.append((row, other_row))
    return edges


# -- attributes


def claimed_employer(profile: Profile) -> str | None:
    """The organisation of the first current role, lower-cased, or None."""
    for entry in profile.get("experience") or []:
        if isinstance(entry, dict) and entry.get("current") is True:
            organisation = entry.get("organisation")
            if isinstance(organisation, str) and organisation.strip():
                return organisation.lower().strip()
            return None
    return None


def shared_attribute_edges(joined: pd.Series, profiles: Sequence[Profile]) -> list[Edge]:
    """Rows claiming the same employer and created in the same ISO week, in groups of 3 or more,
    each linked to its group's first row."""
    weeks = pd.to_datetime(joined, errors="coerce").dt.isocalendar()
    keys = pd.DataFrame(
        {
            "employer": [claimed_employer(profile) for profile in profiles],
            "year": weeks["year"].to_numpy(),
            "week": weeks["week"].to_numpy(),
            "row": np.arange(len(profiles)),
        }
    ).dropna()
    grouped = keys.groupby(["employer", "year", "week"])["row"]
    first = grouped.transform("min")
    linked = keys[(grouped.transform("size") >= MIN_ATTRIBUTE_GROUP) & (keys["row"] != first)]
    return list(zip(linked["row"].tolist(), first[linked.index].tolist(), strict=True))


# -- clusters


def find(parent: list[int], row: int) -> int:
    while parent[row] != row:
        parent[row] = parent[parent[row]]  # path halving keeps the trees shallow
        row = parent[row]
    return row


def campaign_numbers(rows: int, edges: Sequence[Edge]) -> npt.NDArray[np.int64]:
    """Per row, its cluster's number (1, 2, ... by first row) when the cluster has 2 or more
    rows, else 0."""
    parent = list(range(rows))
    for first, second in edges:
        first_root, second_root = find(parent, first), find(parent, second)
        if first_root != second_root:
            parent[max(first_root, second_root)] = min(first_root, second_root)
    roots = [find(parent, row) for row in range(rows)]
    sizes = Counter(roots)
    numbers: dict[int, int] = {}
    campaign = np.zeros(rows, dtype=np.int64)
    for row, root in enumerate(roots):
        if sizes[root] >= 2:
            campaign[row] = numbers.setdefault(root, len(numbers) + 1)
    return campaign


# -- command line


def peak_rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a batch file from `linkvet bench generate`")
    parser.add_argument("--photos", action="store_true", help="compare the rows' photos too")
    parser.add_argument("--max-photos", type=int, default=None, help="compare the first N only")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here too")
    args = parser.parse_args()
    result = run_baseline(args.corpus, photos=args.photos, max_photos=args.max_photos)
    score = (result.campaign > 0).astype(float)
    planted = measure(result.campaign, score, truth_path(args.corpus)).as_dict()
    report = {
        "corpus": str(args.corpus),
        "rows": result.rows,
        "photos": args.photos,
        "max_photos": args.max_photos,
        "photos_compared": result.photos_compared,
        "pairs_compared": result.pairs_compared,
        "seconds": {stage: round(value, 3) for stage, value in result.seconds.items()},
        "rows_per_second": round(result.rows / result.seconds["total"]),
        "peak_rss_kib": peak_rss_kib(),
        "planted": planted,
    }
    print(f"{result.rows:,} rows in {result.seconds['total']:.2f} s")
    for stage in STAGES:
        print(f"  {stage:<10} {result.seconds[stage]:8.2f} s")
    if args.photos:
        print(f"  {result.photos_compared:,} photos, {result.pairs_compared:,} pairs compared")
    print(f"peak memory {report['peak_rss_kib'] / 1024:.0f} MiB")
    print(json.dumps(planted, indent=2))
    if args.json is not None:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
