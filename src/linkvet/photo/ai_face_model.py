"""The shipped AI-generated-face model: a logistic regression over the features of features.py.

It ships as `linkvet/models/ai_face.json` (standardisation, coefficients, the calibrated canonical
eye positions, and the metrics it was shipped with), written by scripts/train_face_model.py; the
model card is docs/models/ai-face.md. JSON rather than a pickle: loading it runs no code, and a
reviewer can read every number.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final

import numpy as np

from linkvet.photo.features import FEATURE_NAMES, SPECTRUM_FEATURES, EyePositions

MODEL_RESOURCE: Final = "ai_face.json"
# The model reads the spectrum and one eye input: how exactly the eyes sit at StyleGAN's canonical
# positions (a bump, 1 when they are there). The raw eye positions and the face's share of the
# photo are left out on purpose: in the training data they tell the sources apart by framing
# (studio headshots against varied diffusion portraits), which says nothing about real profiles.
ALIGNMENT_INPUT: Final = "eyes_at_canonical"
# Distance (as a fraction of the photo) at which the bump has fallen to 1/e: about twice the
# median offset of StyleGAN faces, half that of pupil-aligned studio portraits.
ALIGNMENT_SCALE: Final = 0.011
MODEL_INPUTS: Final = (*SPECTRUM_FEATURES, ALIGNMENT_INPUT)


def model_inputs(features: np.ndarray, canonical_eyes: np.ndarray) -> np.ndarray:
    """What the model reads, from the features (first four: the eye centres) and the canonical
    eye positions: GAN faces are caught by their eyes being *at* those positions, diffusion
    faces are not, so the raw distance would pull a linear model both ways."""
    rows = np.atleast_2d(np.asarray(features, dtype=float))
    distance = np.linalg.norm(rows[:, :4] - canonical_eyes, axis=1)
    bump = np.exp(-((distance / ALIGNMENT_SCALE) ** 2))
    spectrum = rows[:, [FEATURE_NAMES.index(name) for name in SPECTRUM_FEATURES]]
    combined = np.hstack([spectrum, bump[:, None]])
    return combined[0] if np.ndim(features) == 1 else combined


@dataclass(frozen=True)
class AIFaceModel:
    version: str
    feature_names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coefficients: np.ndarray
    intercept: float
    canonical_eyes: np.ndarray  # left x, left y, right x, right y, as fractions of the photo
    eye_tolerance: float  # eye-alignment signal radius: 95% of StyleGAN faces, at most 1% of real
    threshold_1pct_fpr: float  # model score at 1% false positives on real photos (grouped CV)
    metrics: dict[str, Any]

    def probability(self, features: np.ndarray) -> float:
        """Score in [0, 1] that the face is AI-generated (calibrated on the training mix)."""
        z = float(np.dot(self._standardised(features), self.coefficients) + self.intercept)
        return float(1 / (1 + np.exp(-np.clip(z, -50, 50))))

    def unfamiliar(self, features: np.ndarray, *, limit: float = 4.0) -> list[str]:
        """Features far outside what the model was trained on (more than `limit` standard
        deviations): there its score is an extrapolation and must not be trusted."""
        z = self._standardised(features)
        return [self.model_inputs[i] for i in np.flatnonzero(np.abs(z) > limit)]

    def contributions(self, features: np.ndarray, *, top: int = 3) -> list[tuple[str, float]]:
        """The features that pushed the score most, with their share of the log-odds."""
        parts = self._standardised(features) * self.coefficients
        order = np.argsort(-np.abs(parts))[:top]
        return [(self.model_inputs[i], float(parts[i])) for i in order]

    def eye_distance(self, eyes: EyePositions) -> float:
        """How far the eyes are from where StyleGAN puts them (fractions of the photo)."""
        return float(np.linalg.norm(eyes.as_array() - self.canonical_eyes))

    @property
    def model_inputs(self) -> tuple[str, ...]:
        return MODEL_INPUTS

    def _standardised(self, features: np.ndarray) -> np.ndarray:
        standardised: np.ndarray = (
            model_inputs(features, self.canonical_eyes) - self.mean
        ) / self.scale
        return standardised

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "feature_names": list(self.feature_names),
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "coefficients": self.coefficients.tolist(),
            "intercept": self.intercept,
            "canonical_eyes": self.canonical_eyes.tolist(),
            "eye_tolerance": self.eye_tolerance,
            "threshold_1pct_fpr": self.threshold_1pct_fpr,
            "metrics": self.metrics,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AIFaceModel:
        names = tuple(data["feature_names"])
        if names != FEATURE_NAMES:
            raise ValueError("the model was trained on other features than this linkvet computes")
        return cls(
            version=str(data["version"]),
            feature_names=names,
            mean=np.asarray(data["mean"], dtype=float),
            scale=np.asarray(data["scale"], dtype=float),
            coefficients=np.asarray(data["coefficients"], dtype=float),
            intercept=float(data["intercept"]),
            canonical_eyes=np.asarray(data["canonical_eyes"], dtype=float),
            eye_tolerance=float(data["eye_tolerance"]),
            threshold_1pct_fpr=float(data["threshold_1pct_fpr"]),
            metrics=dict(data["metrics"]),
        )


@cache
def shipped_model() -> AIFaceModel:
    text = (resources.files("linkvet") / "models" / MODEL_RESOURCE).read_text(encoding="utf-8")
    return AIFaceModel.from_json(json.loads(text))
