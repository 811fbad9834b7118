"""A profile's inline pictures, taken out of its JSON to be stored (and deleted) on their own."""

from __future__ import annotations

import base64
import hashlib
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from PIL import Image

from linkvet.model import Profile

PICTURE_FIELDS: Final = ("photo", "banner")
UNKNOWN_MEDIA_TYPE: Final = "application/octet-stream"


@dataclass(frozen=True, slots=True)
class PictureBytes:
    sha256: str
    media_type: str
    data: bytes


def split_pictures(profile: Profile) -> tuple[str, list[PictureBytes]]:
    """The profile as JSON without inline picture bytes, and the pictures it held.

    Each picture that had bytes keeps its path and URL and gains `sha256`, which names the
    stored bytes. A picture used as both photo and banner is stored once.
    """
    exclude = {field: {"data"} for field in PICTURE_FIELDS}
    document = profile.model_dump(mode="json", exclude_none=True, exclude=exclude)
    pictures: dict[str, PictureBytes] = {}
    for field in PICTURE_FIELDS:
        picture = getattr(profile, field)
        if picture is None or picture.data is None:
            continue
        digest = hashlib.sha256(picture.data).hexdigest()
        document[field]["sha256"] = digest
        pictures.setdefault(digest, PictureBytes(digest, media_type(picture.data), picture.data))
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")), list(pictures.values())


def media_type(data: bytes) -> str:
    """The picture's media type from its content (only the header is read, nothing decoded)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            return Image.MIME.get(image.format or "", UNKNOWN_MEDIA_TYPE)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return UNKNOWN_MEDIA_TYPE


def profile_of(profile_json: str, pictures: Mapping[str, bytes]) -> Profile:
    """A stored profile made whole again: each picture named by `sha256` gets its bytes back
    (or none, if `pictures` lacks them)."""
    document = json.loads(profile_json)
    for field in PICTURE_FIELDS:
        picture = document.get(field)
        if isinstance(picture, dict) and "sha256" in picture:
            data = pictures.get(picture.pop("sha256"))
            if data is not None:
                picture["data"] = base64.b64encode(data).decode("ascii")
            elif not picture.keys() & {"path", "url"}:
                del document[field]  # nothing left to show
    return Profile.model_validate(document)
