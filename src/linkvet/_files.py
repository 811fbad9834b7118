"""Writing a file so that readers see the old one or the whole new one, never half of it."""

from __future__ import annotations

import secrets
from pathlib import Path


def write_atomically(path: Path, data: bytes | str) -> Path:
    """Write `data` (text as UTF-8) to a temporary file beside `path`, then rename it over
    `path`. The temporary name is unique, so that two writers of one file never share it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        temporary.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
    return path
