"""Photos seen before, for spotting reuse: a persona wearing a stolen, stock or known-fake photo.

Each indexed photo keeps perceptual hashes (imagehash) and, when the caller has one, a 128-d dlib
face embedding, with a label and a name. A query matches an indexed photo as "the same photo"
when their hashes agree, and as "the same face" when only their embeddings do (another photo of
the same person).

Two measured facts about profile photos shape the hashing (on the shared faces dataset; the
tests pin both):

- 64-bit hashes cannot tell studio headshots apart: different people photographed against one
  backdrop lie 4 bits apart in phash and 0 in dhash. A 64-bit match within `max_hash_distance`
  is therefore only a candidate, confirmed by a 256-bit phash of the same regions.
- A whole-image hash does not survive a crop: trimming 10% off one side moves a phash by up to
  28 bits, and the middle-70% hash moves as much. The index therefore also hashes fixed crops of
  every photo (see REGIONS), and compares the whole of one photo with each crop of the other,
  both ways. A one-sided crop within 2-3% of a hashed one is still matched for about 94% of
  real photos, a crop of every side only within about 1%. Other crops (8% off every side, two
  adjacent sides, 20% off one side) and other photos of the same person are left to the face
  embedding, which does not depend on framing.

Rows live in SQLite (hashes as signed 64-bit integers, the rest as blobs) and are mirrored in
NumPy arrays at open, so that a query is a few vectorised XOR-and-popcount passes.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Final, TypeVar

import imagehash
import numpy as np
import numpy.typing as npt
from PIL import Image

from linkvet.photo.image import MIN_SIDE

LABELS: Final = ("known-fake", "stock", "genuine", "seen")
EMBEDDING_SIZE: Final = 128
SAME_PHOTO: Final = "same photo"
SAME_FACE: Final = "same face"

# Fractions cut off (left, top, right, bottom): the whole photo, its middle 70% (the public
# centre hash), then the crops a persona maker or a platform makes often enough to hash ahead:
# 5% and 10% off every side, and 5%, 10% and 15% off one side.
REGIONS: Final[tuple[tuple[float, float, float, float], ...]] = (
    (0.0, 0.0, 0.0, 0.0),
    (0.15, 0.15, 0.15, 0.15),
    (0.05, 0.05, 0.05, 0.05),
    (0.10, 0.10, 0.10, 0.10),
    *(
        cut
        for share in (0.05, 0.10, 0.15)
        for cut in (
            (share, 0.0, 0.0, 0.0),
            (0.0, share, 0.0, 0.0),
            (0.0, 0.0, share, 0.0),
            (0.0, 0.0, 0.0, share),
        )
    ),
)
_WHOLE: Final = 0
_CENTRE: Final = 1
_CROPS: Final = range(2, len(REGIONS))
# The 64-bit hashes of a photo: one phash per region, then the dhash of the whole photo.
_DHASH: Final = len(REGIONS)
_COARSE_WORDS: Final = len(REGIONS) + 1
FINE_HASH_SIZE: Final = 16  # a 16x16 phash: 256 bits, four 64-bit words
_FINE_WORDS: Final = FINE_HASH_SIZE * FINE_HASH_SIZE // 64
# Of 256 bits, measured on the faces dataset: resizes, JPEG quality 40 and brightness changes
# stayed within 14, crops 2-3% away from an indexed one within 46 (93-97% within 32); different
# people photographed in one studio came as close as 36.
FINE_MAX_DISTANCE: Final = 32


@dataclass(frozen=True, slots=True)
class _Pairing:
    """A comparison between a region of the query and a region of an indexed photo: its 64-bit
    hashes (rows of the coarse vectors) and the regions whose 256-bit hashes confirm it."""

    query_word: int
    indexed_word: int
    query_region: int
    indexed_region: int


def _pairings() -> tuple[_Pairing, ...]:
    pairs = [
        _Pairing(_WHOLE, _WHOLE, _WHOLE, _WHOLE),
        _Pairing(_DHASH, _DHASH, _WHOLE, _WHOLE),
        _Pairing(_CENTRE, _CENTRE, _CENTRE, _CENTRE),
    ]
    # The query cropped from the indexed photo, and the indexed photo cropped from the query.
    for region in (_CENTRE, *_CROPS):
        pairs.append(_Pairing(_WHOLE, region, _WHOLE, region))
        pairs.append(_Pairing(region, _WHOLE, region, _WHOLE))
    return tuple(pairs)


PAIRINGS: Final = _pairings()
_QUERY_FINE: Final = np.array([pair.query_region for pair in PAIRINGS])
_INDEXED_FINE: Final = np.array([pair.indexed_region for pair in PAIRINGS])

# The file may be shared (`linkvet check` keeps texts and photos in one store), so the tables are
# named for what they hold, and the hashing scheme is kept in a table of its own rather than in
# the file-wide user_version: stored crop hashes are only comparable under the same REGIONS.
SCHEME: Final = f"phash8+16/dhash8 regions={REGIONS}"
_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS photo_index_scheme (scheme TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS photo_fingerprints (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    label TEXT NOT NULL,
    name TEXT NOT NULL,
    phash INTEGER NOT NULL,
    dhash INTEGER NOT NULL,
    centre_phash INTEGER NOT NULL,
    crop_phashes BLOB NOT NULL,
    fine_phashes BLOB NOT NULL,
    embedding BLOB,
    added_at TEXT NOT NULL,
    UNIQUE (sha256, label, name)
);
"""

# Blobs are little-endian whatever the machine, so that an index file can be moved.
_BLOB_U64: Final = np.dtype("<u8")
_BLOB_F32: Final = np.dtype("<f4")
_U64 = npt.NDArray[np.uint64]
_F32 = npt.NDArray[np.float32]
_Scalar = TypeVar("_Scalar", bound=np.generic)


@dataclass(frozen=True, slots=True)
class PhotoHashes:
    """A photo's 64-bit hashes, as unsigned integers (the bits of `str(imagehash)`)."""

    phash: int  # 64-bit perceptual hash (imagehash.phash) of the whole image
    dhash: int  # 64-bit difference hash
    centre_phash: int  # phash of the middle 70%: meets the whole of a photo cropped to its middle


@dataclass(frozen=True, slots=True)
class PhotoMatch:
    """An indexed photo that a query matched, and how."""

    photo_id: int
    label: str
    name: str
    phash_distance: int  # Hamming distance of the best of the hash comparisons
    embedding_distance: float | None  # Euclidean distance of face embeddings, when both have one
    kind: str  # "same photo" (hash) or "same face" (embedding only)


def photo_hashes(pixels: np.ndarray) -> PhotoHashes:
    """The 64-bit hashes of a normalised photo (RGB uint8, as `load_photo` gives)."""
    grey = _grey(pixels)
    return PhotoHashes(
        phash=_hash_int(imagehash.phash(grey)),
        dhash=_hash_int(imagehash.dhash(grey)),
        centre_phash=_hash_int(imagehash.phash(_crop(grey, REGIONS[_CENTRE]))),
    )


@dataclass(frozen=True, slots=True)
class _Fingerprint:
    coarse: _U64  # (_COARSE_WORDS,): a 64-bit phash per region, then the dhash
    fine: _U64  # (len(REGIONS), _FINE_WORDS): a 256-bit phash per region


def region_fingerprint(pixels: np.ndarray) -> _Fingerprint:
    """The hashes of every region of a photo, as the index keeps them (the case links too)."""
    grey = _grey(pixels)
    crops = [_crop(grey, region) for region in REGIONS]
    coarse = [_hash_int(imagehash.phash(crop)) for crop in crops]
    coarse.append(_hash_int(imagehash.dhash(grey)))
    fine = [_hash_words(imagehash.phash(crop, hash_size=FINE_HASH_SIZE)) for crop in crops]
    return _Fingerprint(np.array(coarse, dtype=np.uint64), np.stack(fine))


class PhotoIndex:
    """Photos with a label and a name, persisted in SQLite (in memory with path None). Rows are
    read once at open: what another process adds later is seen on reopening."""

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        max_hash_distance: int = 10,
        max_embedding_distance: float = 0.4,
    ) -> None:
        if not 0 <= max_hash_distance <= 64:
            raise ValueError(f"max_hash_distance must be 0 to 64 bits, not {max_hash_distance}")
        if not max_embedding_distance > 0:
            raise ValueError(
                f"max_embedding_distance must be positive, not {max_embedding_distance}"
            )
        self.max_hash_distance = max_hash_distance
        self.max_embedding_distance = max_embedding_distance
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # Shared across threads by the web app, which serialises its use with a lock.
        self._db = sqlite3.connect(
            str(path) if path is not None else ":memory:", check_same_thread=False
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        with self._db:
            self._db.executescript(_SCHEMA)
            stored = self._db.execute("SELECT scheme FROM photo_index_scheme").fetchone()
            if stored is None:
                self._db.execute("INSERT INTO photo_index_scheme VALUES (?)", (SCHEME,))
        if stored is not None and stored[0] != SCHEME:
            self._db.close()
            raise ValueError(
                f"{path} holds photo hashes made another way ({stored[0]}); this linkvet makes "
                f"{SCHEME}: rebuild the photo index"
            )
        self._rows = _Rows.from_records(
            self._db.execute(
                "SELECT id, label, name, phash, dhash, centre_phash, crop_phashes, fine_phashes,"
                " embedding FROM photo_fingerprints"
            )
        )

    def close(self) -> None:
        self._db.close()

    def __len__(self) -> int:
        return self._rows.count

    def add(
        self,
        pixels: np.ndarray,
        *,
        label: str,
        name: str,
        sha256: str,
        embedding: np.ndarray | None = None,
    ) -> int:
        """Index a photo; returns its id. The same file under the same label and name is kept
        once (the first one added, with its embedding)."""
        if label not in LABELS:
            raise ValueError(f"label must be one of {', '.join(LABELS)}; got {label!r}")
        vector = None if embedding is None else _checked_embedding(embedding)
        _checked_pixels(pixels)
        existing = self._db.execute(
            "SELECT id FROM photo_fingerprints WHERE sha256 = ? AND label = ? AND name = ?",
            (sha256, label, name),
        ).fetchone()
        if existing is not None:
            return int(existing[0])
        fingerprint = region_fingerprint(pixels)
        # SQLite integers are signed 64-bit: the same 64 bits go in as two's complement.
        signed = fingerprint.coarse.view(np.int64)
        record = (
            label,
            name,
            *(int(signed[word]) for word in (_WHOLE, _DHASH, _CENTRE)),
            fingerprint.coarse[list(_CROPS)].astype(_BLOB_U64).tobytes(),
            fingerprint.fine.astype(_BLOB_U64).tobytes(),
            None if vector is None else vector.astype(_BLOB_F32).tobytes(),
        )
        with self._db:
            cursor = self._db.execute(
                "INSERT INTO photo_fingerprints (sha256, added_at, label, name, phash, dhash, centre_phash,"
                " crop_phashes, fine_phashes, embedding) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (sha256, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), *record),
            )
        photo_id = cursor.lastrowid
        assert photo_id is not None
        self._rows.append(photo_id, label, name, fingerprint, vector)
        return photo_id

    def remove(self, photo_id: int) -> None:
        """Forget a photo; a KeyError if the index does not hold it."""
        if photo_id not in self._rows.position:
            raise KeyError(f"no photo {photo_id} in the index")
        with self._db:
            self._db.execute("DELETE FROM photo_fingerprints WHERE id = ?", (photo_id,))
        self._rows.remove(photo_id)

    def match(
        self,
        pixels: np.ndarray,
        *,
        embedding: np.ndarray | None = None,
        exclude_name: str | None = None,
        limit: int = 10,
    ) -> list[PhotoMatch]:
        """Indexed photos that are this photo ("same photo") or show the same face ("same
        face"), best first: hash matches by distance, then face matches by distance."""
        if limit < 1:
            raise ValueError(f"limit must be at least 1, not {limit}")
        query = region_fingerprint(pixels)
        vector = None if embedding is None else _checked_embedding(embedding)
        rows = self._rows
        if rows.count == 0:
            return []
        near = rows.coarse_distances(query)  # (pairings, rows)
        candidates = np.flatnonzero((near <= self.max_hash_distance).any(axis=0))
        same_photo = set(candidates[self._confirmed(candidates, near, query)].tolist())
        face_distances = (
            {} if vector is None else rows.faces_within(vector, self.max_embedding_distance)
        )
        matches = []
        for row in same_photo | face_distances.keys():
            if exclude_name is not None and rows.names[row] == exclude_name:
                continue
            distance = face_distances.get(row)
            if distance is None and vector is not None and rows.has_embedding[row]:
                distance = rows.face_distance(row, vector)
            matches.append(
                PhotoMatch(
                    photo_id=int(rows.ids[row]),
                    label=rows.labels[row],
                    name=rows.names[row],
                    phash_distance=int(near[:, row].min()),
                    embedding_distance=distance,
                    kind=SAME_PHOTO if row in same_photo else SAME_FACE,
                )
            )
        matches.sort(key=_rank)
        return matches[:limit]

    def _confirmed(
        self, candidates: npt.NDArray[np.intp], near: npt.NDArray[np.uint8], query: _Fingerprint
    ) -> npt.NDArray[np.bool_]:
        """Which candidates a 256-bit hash confirms, on a pairing whose 64-bit hashes agreed."""
        fine = self._rows.fine[candidates][:, _INDEXED_FINE]  # (candidates, pairings, words)
        fine_distances = np.bitwise_count(fine ^ query.fine[_QUERY_FINE]).sum(axis=2)
        agreed = near[:, candidates].transpose() <= self.max_hash_distance
        confirmed: npt.NDArray[np.bool_] = ((fine_distances <= FINE_MAX_DISTANCE) & agreed).any(
            axis=1
        )
        return confirmed


class _Rows:
    """The in-memory mirror of the table: one row per photo, in NumPy arrays that grow by
    doubling. A removed row is filled by the last one, so rows are not in id order."""

    def __init__(self, capacity: int) -> None:
        capacity = max(capacity, 64)
        self.count = 0
        self.ids = np.zeros(capacity, dtype=np.int64)
        self.coarse: _U64 = np.zeros((_COARSE_WORDS, capacity), dtype=np.uint64)
        self.fine: _U64 = np.zeros((capacity, len(REGIONS), _FINE_WORDS), dtype=np.uint64)
        self.embeddings: _F32 = np.zeros((capacity, EMBEDDING_SIZE), dtype=np.float32)
        self.squared_norms: _F32 = np.zeros(capacity, dtype=np.float32)
        self.has_embedding = np.zeros(capacity, dtype=bool)
        self.labels: list[str] = []
        self.names: list[str] = []
        self.position: dict[int, int] = {}

    @classmethod
    def from_records(cls, cursor: sqlite3.Cursor) -> _Rows:
        """All rows at once, column by column: 100,000 photos load in a fraction of a second."""
        records = cursor.fetchall()
        n = len(records)
        rows = cls(n)
        if n == 0:
            return rows
        ids, labels, names, phash, dhash, centre, crops, fine, embeddings = zip(
            *records, strict=True
        )
        rows.ids[:n] = ids
        for word, column in ((_WHOLE, phash), (_CENTRE, centre), (_DHASH, dhash)):
            rows.coarse[word, :n] = np.array(column, dtype=np.int64).view(np.uint64)
        rows.coarse[_CROPS.start : _CROPS.stop, :n] = (
            np.frombuffer(b"".join(crops), dtype=_BLOB_U64).reshape(n, len(_CROPS)).transpose()
        )
        rows.fine[:n] = np.frombuffer(b"".join(fine), dtype=_BLOB_U64).reshape(
            n, len(REGIONS), _FINE_WORDS
        )
        present = np.array([blob is not None for blob in embeddings])
        if present.any():
            vectors = b"".join(blob for blob in embeddings if blob is not None)
            rows.embeddings[np.flatnonzero(present)] = np.frombuffer(
                vectors, dtype=_BLOB_F32
            ).reshape(-1, EMBEDDING_SIZE)
        rows.has_embedding[:n] = present
        rows.squared_norms[:n] = np.einsum("ij,ij->i", rows.embeddings[:n], rows.embeddings[:n])
        rows.labels, rows.names = list(labels), list(names)
        rows.position = {int(photo_id): row for row, photo_id in enumerate(ids)}
        rows.count = n
        return rows

    def append(
        self, photo_id: int, label: str, name: str, fingerprint: _Fingerprint, vector: _F32 | None
    ) -> None:
        if self.count == len(self.ids):
            self._grow(2 * self.count)
        row = self.count
        self.ids[row] = photo_id
        self.coarse[:, row] = fingerprint.coarse
        self.fine[row] = fingerprint.fine
        self.has_embedding[row] = vector is not None
        if vector is not None:
            self.embeddings[row] = vector
            self.squared_norms[row] = vector @ vector
        self.labels.append(label)
        self.names.append(name)
        self.position[photo_id] = row
        self.count += 1

    def remove(self, photo_id: int) -> None:
        row, last = self.position.pop(photo_id), self.count - 1
        if row != last:
            moved = int(self.ids[last])
            self.ids[row] = self.ids[last]
            self.coarse[:, row] = self.coarse[:, last]
            self.fine[row] = self.fine[last]
            self.embeddings[row] = self.embeddings[last]
            self.squared_norms[row] = self.squared_norms[last]
            self.has_embedding[row] = self.has_embedding[last]
            self.labels[row], self.names[row] = self.labels[last], self.names[last]
            self.position[moved] = row
        self.has_embedding[last] = False
        self.labels.pop()
        self.names.pop()
        self.count = last

    def coarse_distances(self, query: _Fingerprint) -> npt.NDArray[np.uint8]:
        """Hamming distances of the 64-bit hashes, one row per pairing, one column per photo."""
        distances = np.empty((len(PAIRINGS), self.count), dtype=np.uint8)
        scratch = np.empty(self.count, dtype=np.uint64)
        for index, pair in enumerate(PAIRINGS):
            # In place: a query against 100,000 photos allocates nothing per pairing.
            np.bitwise_xor(
                self.coarse[pair.indexed_word, : self.count],
                query.coarse[pair.query_word],
                out=scratch,
            )
            np.bitwise_count(scratch, out=distances[index])
        return distances

    def faces_within(self, vector: _F32, limit: float) -> dict[int, float]:
        """Rows whose embedding lies within `limit` of the vector, with the distance."""
        n = self.count
        # |a - b|² = |a|² - 2a·b + |b|²: one matrix-vector product instead of a 128-wide copy.
        # einsum rather than BLAS: BLAS threads gain nothing at this size and, sharing one core,
        # make the product four times slower.
        products = np.einsum("ij,j->i", self.embeddings[:n], vector)
        squared = self.squared_norms[:n] - 2 * products + vector @ vector
        # A little slack for float32 rounding; the exact distance decides below.
        close = np.flatnonzero(self.has_embedding[:n] & (squared <= (limit + 1e-3) ** 2))
        found = {int(row): self.face_distance(int(row), vector) for row in close}
        return {row: distance for row, distance in found.items() if distance <= limit}

    def face_distance(self, row: int, vector: _F32) -> float:
        return float(np.linalg.norm(self.embeddings[row] - vector))

    def _grow(self, capacity: int) -> None:
        capacity = max(capacity, 64)
        self.ids = _resized(self.ids, capacity, axis=0)
        self.coarse = _resized(self.coarse, capacity, axis=1)
        self.fine = _resized(self.fine, capacity, axis=0)
        self.embeddings = _resized(self.embeddings, capacity, axis=0)
        self.squared_norms = _resized(self.squared_norms, capacity, axis=0)
        self.has_embedding = _resized(self.has_embedding, capacity, axis=0)


def _resized(array: npt.NDArray[_Scalar], capacity: int, *, axis: int) -> npt.NDArray[_Scalar]:
    shape = list(array.shape)
    shape[axis] = capacity
    grown = np.zeros_like(array, shape=shape)
    kept = [slice(None)] * array.ndim
    kept[axis] = slice(0, array.shape[axis])
    grown[tuple(kept)] = array
    return grown


def _rank(match: PhotoMatch) -> tuple[int, float, float, int]:
    face = match.embedding_distance if match.embedding_distance is not None else float("inf")
    if match.kind == SAME_PHOTO:
        return (0, match.phash_distance, face, match.photo_id)
    return (1, face, match.phash_distance, match.photo_id)


def _checked_pixels(pixels: np.ndarray) -> np.ndarray:
    if (
        not isinstance(pixels, np.ndarray)
        or pixels.dtype != np.uint8
        or pixels.ndim != 3
        or pixels.shape[2] != 3
        or min(pixels.shape[:2]) < MIN_SIDE
    ):
        raise ValueError(
            f"pixels must be an RGB uint8 array of shape (height, width, 3), at least {MIN_SIDE}"
            " pixels a side"
        )
    return pixels


def _checked_embedding(embedding: np.ndarray) -> _F32:
    vector = np.asarray(embedding, dtype=np.float64)
    if vector.shape != (EMBEDDING_SIZE,) or not np.isfinite(vector).all():
        raise ValueError(f"a face embedding must be {EMBEDDING_SIZE} finite numbers")
    return vector.astype(np.float32)


def _grey(pixels: np.ndarray) -> Image.Image:
    return Image.fromarray(_checked_pixels(pixels)).convert("L")


def _crop(image: Image.Image, cut: tuple[float, float, float, float]) -> Image.Image:
    width, height = image.size
    left, top, right, bottom = cut
    return image.crop(
        (
            round(width * left),
            round(height * top),
            width - round(width * right),
            height - round(height * bottom),
        )
    )


def _hash_int(value: imagehash.ImageHash) -> int:
    """The 64 bits of an 8x8 hash as an unsigned integer, first bit highest (as `str(hash)`)."""
    return int.from_bytes(np.packbits(value.hash.flatten()).tobytes(), "big")


def _hash_words(value: imagehash.ImageHash) -> _U64:
    return np.frombuffer(np.packbits(value.hash.flatten()).tobytes(), dtype=np.uint64)
