"""The shipped account model: gradient-boosted trees over the features of features.py, stored as
plain JSON (`linkvet/models/account.json`) and evaluated here with NumPy, vectorised over rows.

Gradient-boosted trees (scikit-learn's HistGradientBoostingClassifier) were chosen because they
take missing values as they come (every dataset lacks some features; unknown is not zero), need
no scaling of heavy-tailed counts, and are the strongest family on tabular data of this size.
Storing the trees as JSON, not a pickle, means loading the model runs no code, needs no
scikit-learn, and a reviewer can read it. Scores are calibrated by isotonic regression on
out-of-fold predictions (the points are in the file).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Final

import numpy as np

from linkvet.account.features import FEATURE_NAMES

MODEL_RESOURCE: Final = "account.json"
CHUNK_ROWS: Final = 8192
# Up to this many rows (one profile and its what-if variants), all trees are walked at once.
FEW_ROWS: Final = 64


@dataclass(frozen=True)
class Tree:
    feature: np.ndarray
    threshold: np.ndarray
    missing_left: np.ndarray
    left: np.ndarray
    right: np.ndarray
    leaf: np.ndarray
    value: np.ndarray
    left_or_self: np.ndarray = field(init=False, repr=False)
    right_or_self: np.ndarray = field(init=False, repr=False)
    depth: int = field(init=False)

    def predict(self, rows: np.ndarray) -> np.ndarray:
        """The leaf value each row reaches. Every row takes one step per level at once; a row
        at a leaf stays there (leaves point to themselves), so no row needs a branch of its own."""
        flat = np.ascontiguousarray(rows, dtype=float).ravel()
        row_start = np.arange(len(rows)) * rows.shape[1]
        node = np.zeros(len(rows), dtype=np.int64)
        for _ in range(self.depth):
            values = flat.take(row_start + self.feature.take(node))
            go_left = np.where(
                values != values, self.missing_left.take(node), values <= self.threshold.take(node)
            )  # values != values: NaN, the unknown
            node = np.where(go_left, self.left_or_self.take(node), self.right_or_self.take(node))
        values_at: np.ndarray = self.value.take(node)
        return values_at

    def __post_init__(self) -> None:
        # Child arrays in which leaves point to themselves, and the depth, computed once.
        own = np.arange(len(self.leaf))
        depth = np.zeros(len(own), dtype=np.int64)
        for node in own:  # scikit-learn numbers parents before their children
            if not self.leaf[node]:
                depth[self.left[node]] = depth[self.right[node]] = depth[node] + 1
        object.__setattr__(self, "left_or_self", np.where(self.leaf, own, self.left))
        object.__setattr__(self, "right_or_self", np.where(self.leaf, own, self.right))
        object.__setattr__(self, "depth", int(depth.max()))

    def to_json(self) -> dict[str, list[Any]]:
        return {
            "feature": self.feature.tolist(),
            "threshold": [None if np.isnan(t) else float(t) for t in self.threshold],
            "missing_left": self.missing_left.astype(int).tolist(),
            "left": self.left.tolist(),
            "right": self.right.tolist(),
            "leaf": self.leaf.astype(int).tolist(),
            "value": self.value.tolist(),
        }

    @classmethod
    def from_json(cls, data: dict[str, list[Any]]) -> Tree:
        return cls(
            feature=np.asarray(data["feature"], dtype=np.int64),
            threshold=np.asarray(
                [np.nan if t is None else t for t in data["threshold"]], dtype=float
            ),
            missing_left=np.asarray(data["missing_left"], dtype=bool),
            left=np.asarray(data["left"], dtype=np.int64),
            right=np.asarray(data["right"], dtype=np.int64),
            leaf=np.asarray(data["leaf"], dtype=bool),
            value=np.asarray(data["value"], dtype=float),
        )


@dataclass(frozen=True)
class AccountModel:
    version: str
    feature_names: tuple[str, ...]
    baseline: float
    trees: tuple[Tree, ...]
    calibration_x: np.ndarray  # raw probability points ...
    calibration_y: np.ndarray  # ... and the calibrated probability at each
    training_fake_share: float  # share of fakes in the training data (the model's prior)
    metrics: dict[str, Any]
    forest: Forest = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "forest", _forest(self.trees))

    def raw_probability(self, rows: np.ndarray) -> np.ndarray:
        rows = np.atleast_2d(np.asarray(rows, dtype=float))
        if len(rows) <= FEW_ROWS:
            return _sigmoid(self.baseline + self.forest.score(rows))
        score = np.full(len(rows), self.baseline)
        # In slices that stay in the processor's cache: several times faster on a million rows.
        for start in range(0, len(rows), CHUNK_ROWS):
            part = rows[start : start + CHUNK_ROWS]
            for tree in self.trees:
                score[start : start + CHUNK_ROWS] += tree.predict(part)
        return _sigmoid(score)

    def probability(self, rows: np.ndarray) -> np.ndarray:
        """Calibrated probability of a fake account, per row."""
        calibrated: np.ndarray = np.interp(
            self.raw_probability(rows), self.calibration_x, self.calibration_y
        )
        return calibrated

    def contributions(self, row: np.ndarray, *, top: int = 3) -> list[tuple[str, float]]:
        """What each known feature does to this row's score: the change in probability when the
        feature is treated as unknown instead. The largest, either way, first."""
        row = np.asarray(row, dtype=float)
        base = float(self.probability(row)[0])
        variants = np.repeat(row[None, :], len(row), axis=0)
        np.fill_diagonal(variants, np.nan)
        without = self.probability(variants)
        effects = [
            (self.feature_names[i], base - float(without[i]))
            for i in range(len(row))
            if not np.isnan(row[i])
        ]
        return sorted(effects, key=lambda item: -abs(item[1]))[:top]

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "feature_names": list(self.feature_names),
            "baseline": self.baseline,
            "trees": [tree.to_json() for tree in self.trees],
            "calibration_x": self.calibration_x.tolist(),
            "calibration_y": self.calibration_y.tolist(),
            "training_fake_share": self.training_fake_share,
            "metrics": self.metrics,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AccountModel:
        names = tuple(data["feature_names"])
        if names != FEATURE_NAMES:
            raise ValueError(
                "the account model was trained on other features than linkvet computes"
            )
        return cls(
            version=str(data["version"]),
            feature_names=names,
            baseline=float(data["baseline"]),
            trees=tuple(Tree.from_json(tree) for tree in data["trees"]),
            calibration_x=np.asarray(data["calibration_x"], dtype=float),
            calibration_y=np.asarray(data["calibration_y"], dtype=float),
            training_fake_share=float(data["training_fake_share"]),
            metrics=dict(data["metrics"]),
        )


def _sigmoid(score: np.ndarray) -> np.ndarray:
    raw: np.ndarray = 1 / (1 + np.exp(-np.clip(score, -50, 50)))
    return raw


@dataclass(frozen=True)
class Forest:
    """All trees' nodes in one set of arrays, so that a few rows walk every tree in one NumPy
    step per level: one profile costs about 30 array operations instead of 30 per tree."""

    feature: np.ndarray
    threshold: np.ndarray
    missing_left: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    roots: np.ndarray
    depth: int

    def score(self, rows: np.ndarray) -> np.ndarray:
        flat = np.ascontiguousarray(rows, dtype=float).ravel()
        row_start = (np.arange(len(rows)) * rows.shape[1])[:, None]
        node = np.broadcast_to(self.roots, (len(rows), len(self.roots))).copy()
        for _ in range(self.depth):
            values = flat.take(row_start + self.feature.take(node))
            go_left = np.where(
                values != values, self.missing_left.take(node), values <= self.threshold.take(node)
            )
            node = np.where(go_left, self.left.take(node), self.right.take(node))
        total: np.ndarray = self.value.take(node).sum(axis=1)
        return total


def _forest(trees: tuple[Tree, ...]) -> Forest:
    sizes = [len(tree.leaf) for tree in trees]
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    return Forest(
        feature=np.concatenate([tree.feature for tree in trees]),
        threshold=np.concatenate([tree.threshold for tree in trees]),
        missing_left=np.concatenate([tree.missing_left for tree in trees]),
        left=np.concatenate([t.left_or_self + o for t, o in zip(trees, offsets, strict=True)]),
        right=np.concatenate([t.right_or_self + o for t, o in zip(trees, offsets, strict=True)]),
        value=np.concatenate([tree.value for tree in trees]),
        roots=offsets,
        depth=max(tree.depth for tree in trees),
    )


@cache
def shipped_account_model() -> AccountModel:
    text = (resources.files("linkvet") / "models" / MODEL_RESOURCE).read_text(encoding="utf-8")
    return AccountModel.from_json(json.loads(text))
