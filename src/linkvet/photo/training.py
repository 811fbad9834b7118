"""Training and honest evaluation of the AI-generated-face model on the shared faces dataset.

Used by `scripts/train_face_model.py` (which writes the shipped model) and by
`linkvet photos eval DIR` (which prints the figures). The dataset is read from where it lies
(`$LINKVET_DATASETS/faces`) and never copied into the project.

Honesty rules, from faces/SOURCES.md:
- Every image first goes through a simulated platform upload (downscaled to a random side of 256
  to 512 pixels and re-encoded at a random JPEG quality of 75 to 92, seeded by file name), then the
  normalisation every photo gets. File size and JPEG quality, which differ by source, cannot then
  give the class away.
- Splits are grouped: one generator seed, one prompt or one person stays on one side.
- Figures are out-of-fold (grouped 5-fold cross-validation), per source; and leave-one-generator-
  out, to show what happens with a generator the model has not seen.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
from PIL import Image
from rich.progress import track

from linkvet.photo.ai_face_model import AIFaceModel, model_inputs
from linkvet.photo.faces import face_finder
from linkvet.photo.features import FEATURE_NAMES, EyePositions, photo_features
from linkvet.photo.image import PhotoError, load_photo

IMAGE_SUFFIXES: Final = frozenset({".jpg", ".jpeg", ".png", ".webp"})
ALIGNED_SOURCES: Final = ("stylegan3", "stylegan2_thispersondoesnotexist_2021")
FPR_POINTS: Final = (0.01, 0.005)


@dataclass(frozen=True)
class Item:
    path: Path
    label: int  # 1 AI-generated, 0 real photograph
    source: str  # the dataset folder
    group: str  # seed, prompt or person: never split


def dataset_items(root: Path) -> list[Item]:
    """Every image under root/fake/* and root/real/*, with its class, source and group."""
    items = []
    for label, kind in ((1, "fake"), (0, "real")):
        for folder in sorted((root / kind).glob("*")):
            if not folder.is_dir():
                continue
            for path in sorted(folder.iterdir()):
                if path.suffix.lower() in IMAGE_SUFFIXES:
                    items.append(Item(path, label, folder.name, _group(folder.name, path.stem)))
    if not items:
        raise FileNotFoundError(f"no images under {root}/fake/* or {root}/real/*")
    return items


def _group(source: str, stem: str) -> str:
    # SDFD names files "<prompt>,<variant>"; LFW "<Person_Name>_<n>"; the London set "<person>_<n>";
    # the selfie set is one person. Elsewhere each file is its own seed or person.
    if "," in stem:
        stem = stem.split(",")[0]
    elif re.fullmatch(r"[A-Za-z_]+_\d{4}", stem):
        stem = stem.rsplit("_", 1)[0]
    elif re.fullmatch(r"\d{3}_\d{2}", stem):
        stem = stem.split("_")[0]
    if source == "webmorph_lisa_zoom":
        stem = "lisa"
    return f"{source}/{stem}"


def platform_copy(data: bytes, name: str) -> bytes:
    """The image as a platform might serve it: resized and re-encoded, seeded by `name`."""
    rng = np.random.default_rng(int(hashlib.sha256(name.encode()).hexdigest()[:8], 16))
    side = int(rng.integers(256, 513))
    quality = int(rng.integers(75, 93))
    with Image.open(io.BytesIO(data)) as image:
        rgb = image.convert("RGB")
        rgb.thumbnail((side, side), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        rgb.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


@dataclass
class FeatureTable:
    items: list[Item]
    features: np.ndarray
    eyes: np.ndarray  # (n, 4) eye centres as fractions
    skipped: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def labels(self) -> np.ndarray:
        return np.array([item.label for item in self.items])

    @property
    def groups(self) -> np.ndarray:
        return np.array([item.group for item in self.items])

    @property
    def sources(self) -> np.ndarray:
        return np.array([item.source for item in self.items])


def _features_of(item: Item) -> tuple[np.ndarray, np.ndarray] | str:
    try:
        photo = load_photo(platform_copy(item.path.read_bytes(), item.path.name))
    except (PhotoError, OSError) as error:
        return f"unreadable: {error}"
    faces = face_finder().find(photo.pixels)
    if not faces:
        return "no face found"
    height, width = photo.pixels.shape[:2]
    eyes = EyePositions.of(faces[0], width, height).as_array()
    return photo_features(photo.pixels, faces[0]), eyes


def extract(items: Sequence[Item], *, workers: int = 2) -> FeatureTable:
    """Features of every item with a face; the others are listed with the reason."""
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = list(
            track(
                pool.map(_features_of, items, chunksize=8),
                total=len(items),
                description=f"Analysing {len(items)} photos",
                transient=True,
            )
        )
    kept, features, eyes, skipped = [], [], [], []
    for item, result in zip(items, results, strict=True):
        if isinstance(result, str):
            skipped.append((item.path, result))
            continue
        kept.append(item)
        features.append(result[0])
        eyes.append(result[1])
    return FeatureTable(kept, np.array(features), np.array(eyes), skipped)


def fit(table: FeatureTable, *, version: str) -> AIFaceModel:
    """The model on every image: logistic regression over standardised features."""
    from sklearn.linear_model import LogisticRegression

    aligned = np.isin(table.sources, ALIGNED_SOURCES)
    canonical = np.median(table.eyes[aligned], axis=0)
    # The eye-alignment signal fires within this distance: where 95% of StyleGAN faces fall, but
    # never wider than what 1% of real photos reach (pupil-aligned studio portraits come close).
    offsets = np.linalg.norm(table.eyes - canonical, axis=1)
    tolerance = float(
        min(np.quantile(offsets[aligned], 0.95), np.quantile(offsets[table.labels == 0], 0.01))
    )
    inputs = model_inputs(table.features, canonical)
    mean = inputs.mean(axis=0)
    scale = inputs.std(axis=0)
    scale[scale == 0] = 1.0
    standardised = (inputs - mean) / scale
    regression = LogisticRegression(C=0.5, max_iter=5000, class_weight="balanced")
    regression.fit(standardised, table.labels)
    scores = regression.decision_function(standardised)
    real_scores = 1 / (1 + np.exp(-scores[table.labels == 0]))
    return AIFaceModel(
        version=version,
        feature_names=FEATURE_NAMES,
        mean=mean,
        scale=scale,
        coefficients=regression.coef_[0],
        intercept=float(regression.intercept_[0]),
        canonical_eyes=canonical,
        eye_tolerance=tolerance,
        threshold_1pct_fpr=float(np.quantile(real_scores, 0.99)),
        metrics={},
    )


def out_of_fold_scores(table: FeatureTable, *, folds: int = 5, seed: int = 7) -> np.ndarray:
    """Each image scored by a model that never saw its group (grouped, stratified folds)."""
    from sklearn.model_selection import StratifiedGroupKFold

    scores = np.zeros(len(table.items))
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(table.features, table.labels, table.groups):
        model = fit(_subset(table, train), version="fold")
        scores[test] = [model.probability(row) for row in table.features[test]]
    return scores


def unseen_generator_scores(table: FeatureTable, generator: str) -> tuple[np.ndarray, np.ndarray]:
    """Scores of one generator's images, and of held-out real photos, by a model trained
    without that generator (real photos split by group, half and half)."""
    sources, groups = table.sources, table.groups
    real_groups = sorted(set(groups[table.labels == 0]))
    held_real = set(real_groups[::2])
    test_mask = (sources == generator) | np.isin(groups, list(held_real))
    train_mask = ~test_mask & (sources != generator)
    model = fit(_subset(table, np.flatnonzero(train_mask)), version="unseen")
    fake = [model.probability(row) for row in table.features[sources == generator]]
    real = [
        model.probability(row)
        for row in table.features[(table.labels == 0) & np.isin(groups, list(held_real))]
    ]
    return np.array(fake), np.array(real)


def _subset(table: FeatureTable, indices: Iterable[int]) -> FeatureTable:
    chosen = list(indices)
    return FeatureTable(
        [table.items[i] for i in chosen], table.features[chosen], table.eyes[chosen]
    )


@dataclass(frozen=True)
class SourceFigures:
    source: str
    label: int
    images: int
    auc: float | None  # fake sources: against every real photo
    tpr_at: dict[float, float]  # fake sources: caught at each FPR point
    fpr_at: dict[float, float]  # real sources: flagged at each FPR point's threshold


def figures(table: FeatureTable, scores: np.ndarray) -> list[SourceFigures]:
    """Per source: for AI sources, AUC and the share caught at 1% and 0.5% false positives
    (thresholds set on all real photos together); for real sources, the share flagged there."""
    from sklearn.metrics import roc_auc_score

    real = scores[table.labels == 0]
    thresholds = {point: float(np.quantile(real, 1 - point)) for point in FPR_POINTS}
    rows = []
    for source in sorted(set(table.sources)):
        mask = table.sources == source
        label = int(table.labels[mask][0])
        mine = scores[mask]
        if label == 1:
            both = np.concatenate([mine, real])
            truth = np.concatenate([np.ones(len(mine)), np.zeros(len(real))])
            rows.append(
                SourceFigures(
                    source, 1, int(mask.sum()), float(roc_auc_score(truth, both)),
                    {p: float((mine > t).mean()) for p, t in thresholds.items()}, {},
                )
            )  # fmt: skip
        else:
            rows.append(
                SourceFigures(
                    source, 0, int(mask.sum()), None, {},
                    {p: float((mine > t).mean()) for p, t in thresholds.items()},
                )
            )  # fmt: skip
    return rows


def tpr_at_fpr(fake: np.ndarray, real: np.ndarray, fpr: float) -> float:
    threshold = float(np.quantile(real, 1 - fpr))
    return float((fake > threshold).mean())


def overall(table: FeatureTable, scores: np.ndarray) -> dict[str, Any]:
    from sklearn.metrics import roc_auc_score

    labels = table.labels
    fake, real = scores[labels == 1], scores[labels == 0]
    return {
        "images": len(labels),
        "auc": float(roc_auc_score(labels, scores)),
        **{f"tpr_at_{p:.1%}_fpr": tpr_at_fpr(fake, real, p) for p in FPR_POINTS},
    }
