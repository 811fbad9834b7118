"""Retention while the server runs: cases past their organisation's retention are erased, with
the checks and pictures they came from, when the server starts and every hour after."""

from __future__ import annotations

import logging
import threading
from typing import Final

from linkvet.store import Purged, Store, StoreError
from linkvet.web.checking import CHECK_ID
from linkvet.web.settings import WebSettings

LOG: Final = logging.getLogger("linkvet.web")
EVERY_SECONDS: Final = 3_600.0


def erase_checks(settings: WebSettings, check_ids: list[str]) -> None:
    """Erase web checks (their copy of the profile, and their pictures) by id."""
    for check_id in check_ids:
        if not CHECK_ID.fullmatch(check_id):
            continue
        pictures = settings.pictures_dir.glob(f"{check_id}-*.png")
        for path in [settings.checks_dir / f"{check_id}.json", *pictures]:
            path.unlink(missing_ok=True)


def erase_expired(store: Store, settings: WebSettings) -> Purged:
    purged = store.purge_expired()
    erase_checks(settings, purged.checks)
    return purged


class RetentionTimer:
    """Erases expired cases every `every` seconds on a thread of its own, until stopped."""

    def __init__(
        self, store: Store, settings: WebSettings, *, every: float = EVERY_SECONDS
    ) -> None:
        self._store, self._settings, self._every = store, settings, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="linkvet-retention", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            try:
                purged = erase_expired(self._store, self._settings)
            except StoreError as error:  # a busy or unreachable store: try again next time
                LOG.warning("retention: %s", error)
                continue
            for slug, count in purged.cases.items():
                LOG.info("retention: erased %d case(s) of %s", count, slug)
