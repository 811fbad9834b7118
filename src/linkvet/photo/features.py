"""Forensic features of a face photo, the input of the AI-generated-face model.

Two families, each with a published basis:

- Eye positions. StyleGAN was trained on FFHQ, whose faces were aligned so that the eyes sit at
  fixed pixel positions; every StyleGAN face inherits them (Mundra et al., "Exposing GAN-generated
  profile photos from compact embeddings", CVPR-W 2023; Nightingale & Farid 2022). The features
  are the eye centres as fractions of the image, the eye distance and the roll of the eye line.
- The frequency spectrum. Up-sampling layers of generators leave a distorted high-frequency tail
  in the azimuthally averaged power spectrum (Durall, Keuper, Keuper, "Watch your Up-Convolution",
  CVPR 2020; Dzanic et al., NeurIPS 2020). The features are that 1-D spectrum of the grey photo,
  in bands, relative to its mid band.

Both are computed on the normalised photo (image.py), so that file size and JPEG quality, which
differ by source in any dataset, cannot stand in for the face.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from PIL import Image

from linkvet.photo.faces import Face

SPECTRUM_SIDE: Final = 256
SPECTRUM_BANDS: Final = 24
EYE_FEATURES: Final = ("left_x", "left_y", "right_x", "right_y", "eye_distance", "roll")
SPECTRUM_FEATURES: Final = tuple(f"spectrum_{band:02d}" for band in range(SPECTRUM_BANDS))
FEATURE_NAMES: Final = (*EYE_FEATURES, "face_share", *SPECTRUM_FEATURES)


@dataclass(frozen=True)
class EyePositions:
    """Eye centres as fractions of the photo's width and height (image-left eye first)."""

    left: tuple[float, float]
    right: tuple[float, float]

    @classmethod
    def of(cls, face: Face, width: int, height: int) -> EyePositions:
        (lx, ly), (rx, ry) = face.left_eye, face.right_eye
        return cls((lx / width, ly / height), (rx / width, ry / height))

    def as_array(self) -> np.ndarray:
        return np.array([*self.left, *self.right], dtype=float)


def eye_features(eyes: EyePositions) -> np.ndarray:
    (lx, ly), (rx, ry) = eyes.left, eyes.right
    distance = float(np.hypot(rx - lx, ry - ly))
    roll = float(np.degrees(np.arctan2(ry - ly, rx - lx)))
    return np.array([lx, ly, rx, ry, distance, roll], dtype=float)


def spectrum_profile(pixels: np.ndarray) -> np.ndarray:
    """Log power, azimuthally averaged, of the grey centre square at 256 x 256, per radius."""
    grey = Image.fromarray(pixels).convert("L")
    side = min(grey.size)
    left, top = (grey.width - side) // 2, (grey.height - side) // 2
    square = grey.crop((left, top, left + side, top + side)).resize(
        (SPECTRUM_SIDE, SPECTRUM_SIDE), Image.Resampling.LANCZOS
    )
    array = np.asarray(square, dtype=np.float64)
    array -= array.mean()
    power = np.abs(np.fft.fftshift(np.fft.fft2(array))) ** 2
    centre = SPECTRUM_SIDE // 2
    y, x = np.indices(power.shape)
    radius = np.hypot(x - centre, y - centre).astype(int)
    sums = np.bincount(radius.ravel(), weights=power.ravel())
    counts = np.bincount(radius.ravel())
    profile = sums[1:centre] / np.maximum(counts[1:centre], 1)
    return np.log10(profile + 1e-12)


def spectrum_features(pixels: np.ndarray) -> np.ndarray:
    """The spectrum in bands, each relative to the mid band (so that contrast does not count)."""
    profile = spectrum_profile(pixels)
    bands = np.array([chunk.mean() for chunk in np.array_split(profile, SPECTRUM_BANDS)])
    relative: np.ndarray = bands - bands[SPECTRUM_BANDS // 2]
    return relative


def photo_features(pixels: np.ndarray, face: Face) -> np.ndarray:
    """The feature vector, in the order of FEATURE_NAMES, for the photo's main face."""
    height, width = pixels.shape[:2]
    share = face.area / float(width * height)
    return np.concatenate(
        [
            eye_features(EyePositions.of(face, width, height)),
            [share],
            spectrum_features(pixels),
        ]
    )
