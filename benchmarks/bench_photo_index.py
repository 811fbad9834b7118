"""Photo reuse look-ups: one `PhotoIndex.match()` against 100,000 indexed photos, on one core.

Run: `.venv/bin/python benchmarks/bench_photo_index.py` (about a minute).

Hashing 100,000 real images would take over half an hour, so the index file is filled straight
through SQLite with synthetic rows: random 64-bit and 256-bit hashes and a random unit face
embedding on every row (worst case for the embedding pass). Then 200 synthetic textured photos
(built with Pillow, read back through `load_photo` like any profile photo) are added through
`add()`, and each is looked up again after a JPEG quality 40 re-encode, with a face embedding.
Random hashes rarely fall near a query, so the confirmation step sees few candidates; on a
crowded index of similar headshots it sees more.

In the same run: the time to open (load) the 100,000-row file; `match()` on an empty index,
which is the query's own hashing, the floor of any look-up; and the obvious alternative, a Python
loop comparing `imagehash.ImageHash` objects, timed on a few queries with only one hash (the
whole-image phash) per indexed photo, where the index compares 29 hash pairings and a face
embedding. The process pins itself to one core.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import imagehash
import numpy as np
from PIL import Image, ImageDraw

from linkvet.photo.image import load_photo
from linkvet.photo.index import PhotoIndex, photo_hashes

SYNTHETIC_ROWS = 100_000 - 200
CROP_WORDS = 12  # 64-bit phashes of the trimmed crops
FINE_WORDS = 14 * 4  # 256-bit phashes of all 14 regions


def textured_photo(seed: int) -> Image.Image:
    """A 400x512 smooth random colour field with shapes and grain."""
    rng = np.random.default_rng(seed)
    size = (400, 512)
    image = Image.fromarray((rng.random((6, 5, 3)) * 255).astype(np.uint8)).resize(
        size, Image.Resampling.BICUBIC
    )
    draw = ImageDraw.Draw(image)
    for _ in range(10):
        left, top = int(rng.integers(0, size[0])), int(rng.integers(0, size[1]))
        box = (left, top, left + int(rng.integers(30, 200)), top + int(rng.integers(30, 250)))
        colour = (int(rng.integers(256)), int(rng.integers(256)), int(rng.integers(256)))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=colour)
    grain = rng.integers(-12, 13, (size[1], size[0], 3))
    pixels = np.clip(np.asarray(image, dtype=np.int16) + grain, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels)


def encoded(image: Image.Image, image_format: str, **options: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def unit_vectors(rng: np.random.Generator, count: int) -> np.ndarray:
    vectors = rng.standard_normal((count, 128)).astype(np.float32)
    normalised: np.ndarray = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    return normalised


def fill_with_synthetic_rows(path: Path, count: int, rng: np.random.Generator) -> np.ndarray:
    """Random rows written straight into the index's table; returns their whole-image phashes."""
    PhotoIndex(path).close()  # creates the table
    signed = rng.integers(-(2**63), 2**63 - 1, size=(count, 3), dtype=np.int64, endpoint=True)
    crops = rng.integers(0, 2**64 - 1, size=(count, CROP_WORDS), dtype=np.uint64, endpoint=True)
    fine = rng.integers(0, 2**64 - 1, size=(count, FINE_WORDS), dtype=np.uint64, endpoint=True)
    embeddings = unit_vectors(rng, count)
    rows = (
        (
            f"{number:064x}",
            "stock",
            f"synthetic {number}",
            int(signed[number, 0]),
            int(signed[number, 1]),
            int(signed[number, 2]),
            crops[number].astype("<u8").tobytes(),
            fine[number].astype("<u8").tobytes(),
            embeddings[number].astype("<f4").tobytes(),
        )
        for number in range(count)
    )
    with sqlite3.connect(path) as db:
        db.executemany(
            "INSERT INTO photos (sha256, label, name, phash, dhash, centre_phash, crop_phashes,"
            " fine_phashes, embedding, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'synthetic')",
            rows,
        )
    db.close()
    unsigned: np.ndarray = signed[:, 0].view(np.uint64)
    return unsigned


def cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def median_ms(times: list[float]) -> float:
    return round(statistics.median(times) * 1000, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--loop-queries", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rng = np.random.default_rng(2026)
    originals = [textured_photo(seed) for seed in range(args.queries)]
    photos = [load_photo(encoded(image, "PNG")) for image in originals]
    queries = [load_photo(encoded(image, "JPEG", quality=40)).pixels for image in originals]
    faces = unit_vectors(rng, args.queries)

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "photos.sqlite"
        started = time.perf_counter()
        synthetic_phashes = fill_with_synthetic_rows(path, SYNTHETIC_ROWS, rng)
        fill_seconds = time.perf_counter() - started

        opens = []
        for _ in range(3):
            started = time.perf_counter()
            index = PhotoIndex(path)
            opens.append(time.perf_counter() - started)
            index.close()
        index = PhotoIndex(path)
        adds = []
        for number, (photo, face) in enumerate(zip(photos, faces, strict=True)):
            started = time.perf_counter()
            index.add(
                photo.pixels,
                label="known-fake",
                name=f"persona {number}",
                sha256=photo.sha256,
                embedding=face,
            )
            adds.append(time.perf_counter() - started)
        size = len(index)

        index.match(queries[0], embedding=faces[0])  # warm up
        matches, found = [], 0
        for number, (query, face) in enumerate(zip(queries, faces, strict=True)):
            started = time.perf_counter()
            result = index.match(query, embedding=face)
            matches.append(time.perf_counter() - started)
            if result and result[0].name == f"persona {number}":
                found += 1
        index.close()

    empty = PhotoIndex()
    hashing = []
    for query in queries:
        started = time.perf_counter()
        empty.match(query)
        hashing.append(time.perf_counter() - started)

    # The alternative: ImageHash objects, one whole-image phash each, compared in a Python loop.
    stored = [imagehash.hex_to_hash(f"{int(value):016x}") for value in synthetic_phashes]
    stored += [imagehash.hex_to_hash(f"{photo_hashes(p.pixels).phash:016x}") for p in photos]
    loop = []
    for query in queries[: args.loop_queries]:
        started = time.perf_counter()
        wanted = imagehash.phash(Image.fromarray(query))
        near = [number for number, other in enumerate(stored) if wanted - other <= 10]
        loop.append(time.perf_counter() - started)
        assert near

    results: dict[str, object] = {
        "cpu": cpu_model(),
        "cores_used": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "indexed_photos": size,
        "synthetic_rows": SYNTHETIC_ROWS,
        "fill_seconds": round(fill_seconds, 1),
        "open_ms_median_of_3": median_ms(opens),
        "add_ms_median": median_ms(adds),
        "match_ms_median": median_ms(matches),
        "match_ms_p95": round(float(np.quantile(matches, 0.95)) * 1000, 3),
        "query_hashing_ms_median": median_ms(hashing),
        "queries": len(matches),
        "queries_found_again": found,
        "imagehash_loop_ms_median": median_ms(loop),
        "imagehash_loop_queries": len(loop),
        "loop_over_match": round(statistics.median(loop) / statistics.median(matches), 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
