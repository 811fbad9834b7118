"""Texts seen before, for spotting templates: the same "About" or opening message reused by several
personas.

Each text (an About section, the experience descriptions, a message) becomes a MinHash signature
of its word 3-grams, after the same normalisation the phrase rules use, so that changed names,
case, accents and hidden characters do not hide a copy. Signatures are kept in SQLite (the local
store, `var/linkvet.sqlite` by default) and indexed in memory by locality-sensitive hashing
(datasketch's MinHashLSH), so that a look-up costs about the same with ten profiles stored as with
a hundred thousand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
from datasketch import MinHash, MinHashLSH

from linkvet.model import Profile
from linkvet.text.fields import TextField, approach_texts
from linkvet.text.normalise import normalise
from linkvet.text.phrases import tokenize

NUM_PERM: Final = 128
SHINGLE_WORDS: Final = 3
# Shorter texts ("Thanks for connecting!") are shared by everybody and prove nothing.
MIN_WORDS: Final = 12
DEFAULT_THRESHOLD: Final = 0.6
# Stored signatures are only comparable under the same hashing scheme, so it is fixed here.
SCHEME: Final = "affine32"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS text_fingerprints (
    profile_key TEXT NOT NULL,
    field TEXT NOT NULL,
    label TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    hashvalues BLOB NOT NULL,
    seen_at TEXT NOT NULL,
    PRIMARY KEY (profile_key, field)
)
"""


@dataclass(frozen=True, slots=True)
class SimilarText:
    """A text of the profile at hand, and a near-copy of it seen in another profile."""

    field: str
    other_profile: str  # the other profile's label: its URL, handle or name
    other_field: str
    similarity: float  # estimated Jaccard similarity of the word 3-grams


class TextIndex:
    """MinHash signatures of profile texts, persisted in SQLite (or in memory with path None)."""

    def __init__(
        self, path: Path | str | None = None, *, threshold: float = DEFAULT_THRESHOLD
    ) -> None:
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # Shared across threads by the web app, which serialises its use with a lock.
        self._db = sqlite3.connect(
            str(path) if path is not None else ":memory:", check_same_thread=False
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(_SCHEMA)
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._signatures: dict[str, MinHash] = {}
        self._labels: dict[str, str] = {}
        for key, field, label, blob in self._db.execute(
            "SELECT profile_key, field, label, hashvalues FROM text_fingerprints"
        ):
            self._add_to_memory(key, field, label, _from_blob(blob))

    def close(self) -> None:
        self._db.close()

    def __len__(self) -> int:
        return len(self._signatures)

    def remember(self, profile: Profile) -> int:
        """Store the profile's texts (replacing what was stored for it); returns how many."""
        key, label = profile_key(profile), profile_label(profile)
        stored = 0
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self._db:
            for text_field in indexed_texts(profile):
                signature = fingerprint(text_field.text)
                if signature is None:
                    continue
                entry = _entry(key, text_field.path)
                if entry in self._signatures:
                    self._lsh.remove(entry)
                self._db.execute(
                    "INSERT OR REPLACE INTO text_fingerprints VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        key,
                        text_field.path,
                        label,
                        hashlib.sha256(text_field.text.encode()).hexdigest(),
                        _to_blob(signature),
                        now,
                    ),
                )
                self._add_to_memory(key, text_field.path, label, signature)
                stored += 1
        return stored

    def similar(self, profile: Profile) -> list[SimilarText]:
        """Texts of other profiles that nearly copy this profile's texts, best first."""
        key = profile_key(profile)
        found = []
        for text_field in indexed_texts(profile):
            signature = fingerprint(text_field.text)
            if signature is None:
                continue
            for entry in self._lsh.query(signature):
                other_key, other_field = entry.split("\x1f", 1)
                if other_key == key:
                    continue
                similarity = float(signature.jaccard(self._signatures[entry]))
                found.append(
                    SimilarText(text_field.path, self._labels[other_key], other_field, similarity)
                )
        return sorted(found, key=lambda s: (-s.similarity, s.field, s.other_profile, s.other_field))

    def _add_to_memory(self, key: str, field: str, label: str, signature: MinHash) -> None:
        entry = _entry(key, field)
        self._lsh.insert(entry, signature)
        self._signatures[entry] = signature
        self._labels[key] = label


def indexed_texts(profile: Profile) -> list[TextField]:
    """The texts worth comparing across profiles: About, experience descriptions, messages."""
    texts = []
    if profile.about:
        texts.append(TextField("about", profile.about))
    for index, entry in enumerate(profile.experience or []):
        if entry.description:
            texts.append(TextField(f"experience[{index}].description", entry.description))
    texts.extend(approach_texts(profile))
    return texts


def _words(text: str) -> list[str]:
    return [token.text for token in tokenize(normalise(text).text)]


# The invitations a platform writes for everyone: shared by strangers, they prove nothing.
PLATFORM_DEFAULTS: Final = tuple(
    _words(text)
    for text in (
        "I'd like to add you to my professional network on LinkedIn.",
        "I'd like to join your LinkedIn network.",
        "I'd like to add you to my professional network.",
    )
)


def _without_platform_defaults(words: list[str]) -> list[str]:
    for default in PLATFORM_DEFAULTS:
        size = len(default)
        index = 0
        while index + size <= len(words):
            if words[index : index + size] == default:
                del words[index : index + size]
            else:
                index += 1
    return words


def fingerprint(text: str) -> MinHash | None:
    """The MinHash of the text's word 3-grams, or None for a text too short to be a template
    once the platform's default invitation wording is left out."""
    words = _without_platform_defaults(_words(text))
    if len(words) < MIN_WORDS:
        return None
    signature = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    shingles = {
        " ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)
    }
    signature.update_batch([shingle.encode() for shingle in sorted(shingles)])
    return signature


def profile_key(profile: Profile) -> str:
    """A stable key for "the same profile": its URL, else its handle, else its visible text."""
    if profile.url:
        basis = "url:" + profile.url.strip().lower().rstrip("/")
    elif profile.handle:
        platform = profile.platform.value if profile.platform else "?"
        basis = f"handle:{platform}:{profile.handle.strip().lower().lstrip('@')}"
    else:
        parts: Sequence[str | None] = (profile.name, profile.headline, profile.about)
        basis = "text:" + "\x1f".join(part or "" for part in parts)
    return hashlib.sha256(basis.encode()).hexdigest()[:32]


def profile_label(profile: Profile) -> str:
    return profile.url or profile.handle or profile.name or "an unnamed profile"


def _entry(key: str, field: str) -> str:
    return f"{key}\x1f{field}"


_HASH_DTYPE: Final = MinHash(num_perm=NUM_PERM, scheme=SCHEME).hashvalues.dtype


def _to_blob(signature: MinHash) -> bytes:
    return np.asarray(signature.hashvalues, dtype=_HASH_DTYPE).tobytes()


def _from_blob(blob: bytes) -> MinHash:
    values = np.frombuffer(blob, dtype=_HASH_DTYPE)
    return MinHash(num_perm=NUM_PERM, hashvalues=values, scheme=SCHEME)
