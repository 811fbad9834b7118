"""What `linkvet check` remembers between runs, in one SQLite file (`var/linkvet.sqlite`): the
texts of profiles checked (for template detection) and their photos (for reuse detection).

A later persona that reuses an earlier one's About text or photo is then flagged. The photo part
needs the `photo` extra; without it only texts are kept.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from linkvet.campaigns.text_index import TextIndex
from linkvet.model import Profile
from linkvet.photo.image import PhotoError

TEMPLATE_DETECTOR = "campaign.template_text"
REUSE_DETECTOR = "photo.reuse"


class LocalStore:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.texts = TextIndex(self.path)
        self.photos = _photo_index(self.path)

    def detector_options(self) -> dict[str, dict[str, Any]]:
        """Keyword arguments that give the store to the detectors that compare with it."""
        return {TEMPLATE_DETECTOR: {"index": self.texts}, REUSE_DETECTOR: {"index": self.photos}}

    def remember(self, profile: Profile) -> None:
        """Keep the profile's texts and photo, after it has been assessed (never before: a
        profile must not match itself)."""
        self.texts.remember(profile)
        if self.photos is None or profile.photo is None:
            return
        from linkvet.detectors.photo import profile_photo_name
        from linkvet.photo.analysis import analyse, photo_bytes

        try:
            analysis = analyse(photo_bytes(profile.photo))
        except PhotoError:
            return  # the assessment already says the photo could not be analysed
        self.photos.add(
            analysis.photo.pixels,
            label="seen",
            name=profile_photo_name(profile),
            sha256=analysis.photo.sha256,
            embedding=analysis.embedding,
        )

    def close(self) -> None:
        self.texts.close()
        if self.photos is not None:
            self.photos.close()


def _photo_index(path: Path) -> Any:
    try:
        from linkvet.detectors.photo import _photo_extra_missing
        from linkvet.photo.index import PhotoIndex
    except ImportError:
        return None
    if _photo_extra_missing() is not None:
        return None
    return PhotoIndex(path)
