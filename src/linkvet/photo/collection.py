"""Seeding the photo index from a folder: an organisation's earlier cases, a stock library."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.progress import track

from linkvet.photo.analysis import analyse
from linkvet.photo.image import PhotoError, read_photo_bytes

PHOTO_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".bmp", ".tif", ".tiff"})


def add_folder(index: Any, folder: Path, *, label: str) -> tuple[int, list[tuple[Path, str]]]:
    """Index every photo below `folder` under `label`; returns how many, and what was skipped."""
    paths = sorted(
        p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in PHOTO_SUFFIXES
    )
    added, problems = 0, []
    for path in track(paths, description=f"Indexing {len(paths)} photos", transient=True):
        try:
            analysis = analyse(read_photo_bytes(path))
        except PhotoError as error:
            problems.append((path, str(error)))
            continue
        index.add(
            analysis.photo.pixels,
            label=label,
            name=str(path.relative_to(folder)),
            sha256=analysis.photo.sha256,
            embedding=analysis.embedding,
        )
        added += 1
    return added, problems
