"""Writing a file or a folder so that readers see the old one or the whole new one, never half
of it."""

from __future__ import annotations

import secrets
import shutil
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


def replace_folder(new: Path, final: Path) -> Path:
    """Rename the finished folder `new` to `final`, moving an older `final` aside first and
    removing it after; if the rename fails, the older folder is put back and `new` removed."""
    old = final.with_name(f".{final.name}.{secrets.token_hex(6)}.old")
    try:
        if final.exists():
            final.rename(old)
        new.rename(final)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        if old.exists() and not final.exists():
            old.rename(final)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return final
