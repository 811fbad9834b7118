"""Where the web app keeps things and how much it accepts: every setting has a safe default for
`make run` (SQLite under ./var/, loopback only) and an environment variable to change it."""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

MEGABYTE: Final = 1024 * 1024


@dataclass(frozen=True)
class WebSettings:
    var_dir: Path = field(default_factory=lambda: Path(os.environ.get("LINKVET_VAR", "var")))
    database_url: str | None = field(default_factory=lambda: os.environ.get("LINKVET_DATABASE_URL"))
    # A screenshot from a 3x phone is about 3 MB; a LinkedIn PDF well under 1 MB.
    max_upload_bytes: int = 15 * MEGABYTE
    max_text_chars: int = 100_000
    # Result pages are kept this long so that a person can come back and report.
    check_days: int = 7
    # Behind HTTPS (a reverse proxy) cookies get the Secure flag.
    https: bool = field(default_factory=lambda: os.environ.get("LINKVET_HTTPS", "") == "1")
    # Reports from people who are not signed in go to the "default" organisation; set
    # LINKVET_ANONYMOUS_REPORTS=0 to ask everyone to sign in before reporting.
    anonymous_reports: bool = field(
        default_factory=lambda: os.environ.get("LINKVET_ANONYMOUS_REPORTS", "1") != "0"
    )
    learn_dir: Path | None = field(
        default_factory=lambda: Path(p) if (p := os.environ.get("LINKVET_LEARN_DIR")) else None
    )

    @property
    def store_url(self) -> str:
        """The case store: $LINKVET_DATABASE_URL, else SQLite at var/cases.sqlite."""
        return self.database_url or f"sqlite:///{(self.var_dir / 'cases.sqlite').resolve()}"

    @property
    def checks_dir(self) -> Path:
        return self.var_dir / "checks"

    @property
    def pictures_dir(self) -> Path:
        return self.var_dir / "pictures"

    @property
    def local_store_path(self) -> Path:
        return self.var_dir / "linkvet.sqlite"

    def secret_key(self) -> bytes:
        """The key that signs CSRF tokens: made once, kept in var/ (readable by its owner only)."""
        path = self.var_dir / "secret.key"
        self.var_dir.mkdir(parents=True, exist_ok=True)
        try:
            # Made with its final permissions, and only by one process: several workers
            # starting at once all end up reading the same key.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w", encoding="ascii") as file:
                file.write(secrets.token_bytes(32).hex())
        for _ in range(50):  # another worker may be writing it this instant
            try:
                key = bytes.fromhex(path.read_text(encoding="ascii").strip())
            except ValueError:
                key = b""
            if len(key) >= 32:
                return key
            time.sleep(0.02)
        raise RuntimeError(f"{path} holds no usable key: delete it and start again")
