"""One photo, analysed once: decoded, faces found, forensic features scored.

Several detectors look at the same photo (forensics, reuse); the analysis is cached by the
photo's digest so that the image is decoded and the faces found once per assessment.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from threading import Lock
from typing import Final

import numpy as np

from linkvet.model import Photo
from linkvet.photo.ai_face_model import AIFaceModel, shipped_model
from linkvet.photo.faces import Face, face_finder
from linkvet.photo.features import EyePositions, photo_features
from linkvet.photo.image import LoadedPhoto, PhotoError, load_photo, read_photo_bytes

CACHE_SIZE: Final = 16


@dataclass(frozen=True)
class PhotoAnalysis:
    photo: LoadedPhoto
    faces: tuple[Face, ...]
    model: AIFaceModel
    features: np.ndarray | None  # of the largest face; None without a face
    ai_score: float | None
    eyes: EyePositions | None
    eye_offset: float | None

    @property
    def main_face(self) -> Face | None:
        return self.faces[0] if self.faces else None

    @cached_property
    def embedding(self) -> np.ndarray | None:
        """The main face's embedding, computed only when asked for (by the reuse check): it
        costs about twice the rest of the analysis."""
        face = self.main_face
        return None if face is None else face_finder().embedding(self.photo.pixels, face)


def photo_bytes(photo: Photo) -> bytes:
    """The bytes of the profile's photo; a URL alone is not fetched (linkvet works offline)."""
    if photo.data is not None:
        return photo.data
    if photo.path is not None:
        return read_photo_bytes(photo.path)
    raise PhotoError(
        "the photo is given only as a URL, which linkvet does not download (it works offline): "
        "save the photo and give its path"
    )


_cache: OrderedDict[str, PhotoAnalysis] = OrderedDict()
_lock = Lock()


def analyse(data: bytes) -> PhotoAnalysis:
    """Decode, find faces, score; raises PhotoError when the photo cannot be analysed."""
    key = hashlib.sha256(data).hexdigest()
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    result = _analyse(load_photo(data))
    with _lock:
        _cache[key] = result
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return result


def _analyse(photo: LoadedPhoto) -> PhotoAnalysis:
    finder = face_finder()
    model = shipped_model()
    faces = tuple(finder.find(photo.pixels))
    if not faces:
        return PhotoAnalysis(photo, faces, model, None, None, None, None)
    height, width = photo.pixels.shape[:2]
    features = photo_features(photo.pixels, faces[0])
    eyes = EyePositions.of(faces[0], width, height)
    return PhotoAnalysis(
        photo=photo,
        faces=faces,
        model=model,
        features=features,
        ai_score=model.probability(features),
        eyes=eyes,
        eye_offset=model.eye_distance(eyes),
    )
