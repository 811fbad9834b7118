"""Photo reuse look-ups: one `PhotoIndex.match()` against 100,000 indexed photos, on one core.

Run: `.venv/bin/python benchmarks/bench_photo_index.py` (about a minute).

Hashing 100,000 real images would take over half an hour, so the index file is filled straight
through SQLite with synthetic rows: random 64-bit and 256-bit hashes and a random unit face
embedding on every row (worst case for the embedding pass). Then 200 synthetic textured photos
(built with Pillow, read back through `load_photo` like any profile photo) are added through
`add()`, and each is looked up again after a JPEG quality 40 re-encode, with a face embedding.
Random hashes rarely fall near a query, so the confirmation step sees few candidates; on a
crowded index of similar headshots it sees more.

In the same run: the time to open (load) the 100,000-row file and to add a photo; `match()` on
an empty index, which is the query's own hashing, the floor of any look-up; and the obvious
alternative, a Python loop comparing `imagehash.ImageHash` objects, timed on a few queries with
only one hash (the whole-image phash) per indexed photo, where the index compares 33 hash
pairings and a face embedding. The loop is compared with the whole `match()` call and with its
comparisons alone (`match()` less the query's hashing). Wall-clock and CPU medians are both
reported: the VM is shared. The process pins itself to one core.
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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import imagehash
import numpy as np
from PIL import Image, ImageDraw

from linkvet.photo.image import load_photo
from linkvet.photo.index import FINE_HASH_SIZE, REGIONS, PhotoIndex, photo_hashes

SYNTHETIC_ROWS = 100_000 - 200
CROP_WORDS = len(REGIONS) - 2  # 64-bit phashes of the crops beyond the whole and the centre
FINE_WORDS = len(REGIONS) * FINE_HASH_SIZE**2 // 64  # 256-bit phashes of every region


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
            "INSERT INTO photo_fingerprints (sha256, label, name, phash, dhash, centre_phash, crop_phashes,"
            " fine_phashes, embedding, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'synthetic')",
            rows,
        )
    db.close()
    unsigned: np.ndarray = signed[:, 0].view(np.uint64)
    return unsigned


def pin_to_one_core() -> None:
    """Every thread of the process, not only this one: NumPy's BLAS threads start at import and
    would otherwise keep running on the other cores (CPU time twice the wall clock)."""
    core = min(os.sched_getaffinity(0))
    for task in Path("/proc/self/task").iterdir():
        os.sched_setaffinity(int(task.name), {core})


def cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


class Timer:
    """Wall-clock and CPU times of repeated runs. On a shared VM the CPU time shows what the wall
    clock lost to other processes on the same core."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    @contextmanager
    def __call__(self) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        yield
        self.wall.append(time.perf_counter() - wall)
        self.cpu.append(time.process_time() - cpu)

    def median(self, clock: str) -> float:
        return statistics.median(self.wall if clock == "wall" else self.cpu)

    def report(self, name: str, what: str) -> dict[str, object]:
        return {
            f"{name}_ms_median": round(self.median("wall") * 1000, 3),
            f"{name}_cpu_ms_median": round(self.median("cpu") * 1000, 3),
            f"{name}_ms_p95": round(float(np.quantile(self.wall, 0.95)) * 1000, 3),
            f"{name}_runs": what,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--loop-queries", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    pin_to_one_core()
    rng = np.random.default_rng(2026)
    originals = [textured_photo(seed) for seed in range(args.queries)]
    photos = [load_photo(encoded(image, "PNG")) for image in originals]
    queries = [load_photo(encoded(image, "JPEG", quality=40)).pixels for image in originals]
    faces = unit_vectors(rng, args.queries)

    opening, adding, matching, hashing, looping = (Timer() for _ in range(5))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "photos.sqlite"
        started = time.perf_counter()
        synthetic_phashes = fill_with_synthetic_rows(path, SYNTHETIC_ROWS, rng)
        fill_seconds = time.perf_counter() - started

        for _ in range(3):
            with opening():
                index = PhotoIndex(path)
            index.close()
        index = PhotoIndex(path)
        for number, (photo, face) in enumerate(zip(photos, faces, strict=True)):
            with adding():
                index.add(
                    photo.pixels,
                    label="known-fake",
                    name=f"persona {number}",
                    sha256=photo.sha256,
                    embedding=face,
                )
        size = len(index)

        index.match(queries[0], embedding=faces[0])  # warm up
        found = 0
        for number, (query, face) in enumerate(zip(queries, faces, strict=True)):
            with matching():
                result = index.match(query, embedding=face)
            if result and result[0].name == f"persona {number}":
                found += 1
        index.close()

    empty = PhotoIndex()  # match() on an empty index only hashes the query
    for query in queries:
        with hashing():
            empty.match(query)

    # The alternative: ImageHash objects, one whole-image phash each, compared in a Python loop.
    stored = [imagehash.hex_to_hash(f"{int(value):016x}") for value in synthetic_phashes]
    stored += [imagehash.hex_to_hash(f"{photo_hashes(p.pixels).phash:016x}") for p in photos]
    for query in queries[: args.loop_queries]:
        wanted = imagehash.phash(Image.fromarray(query))
        with looping():
            near = [number for number, other in enumerate(stored) if wanted - other <= 10]
        assert near

    comparing = matching.median("wall") - hashing.median("wall")
    results: dict[str, object] = {
        "cpu": cpu_model(),
        "cores_used": len(os.sched_getaffinity(0)),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "indexed_photos": size,
        "synthetic_rows": SYNTHETIC_ROWS,
        "fill_seconds": round(fill_seconds, 1),
        **opening.report("open", "of 3 opens of the 100,000-row file"),
        **adding.report("add", f"of {len(adding.wall)} adds"),
        **matching.report("match", f"of {len(matching.wall)} queries"),
        "queries_found_again": found,
        **hashing.report("query_hashing", "the query's own hashes: match() on an empty index"),
        "match_comparisons_ms": round(comparing * 1000, 3),
        **looping.report("imagehash_loop", f"of {len(looping.wall)} queries, comparisons only"),
        "loop_over_match": round(looping.median("wall") / matching.median("wall"), 1),
        "loop_over_match_comparisons": round(looping.median("wall") / comparing, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
