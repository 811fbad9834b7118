"""Training and honest evaluation of the account model on the shared datasets.

Protocol (docs/evaluation.md):
- Rows are de-duplicated within each dataset first (identical feature rows count once), so that
  a copy cannot sit on both sides of a split.
- Within each dataset: stratified 5-fold cross-validation; for the Kaggle set also its own
  train/test split, as its users report it.
- Across datasets: train on the other two, test on the third.
- The shipped model is trained on all three, and calibrated by isotonic regression on its
  out-of-fold scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np

from linkvet.account.adapters import ADAPTERS, instagram_kaggle
from linkvet.account.features import FEATURE_NAMES, features_from_columns
from linkvet.account.model import AccountModel, Tree
from linkvet.metrics import figures as metrics
from linkvet.metrics import reliability

SEED: Final = 7


@dataclass(frozen=True)
class Dataset:
    name: str
    features: np.ndarray
    labels: np.ndarray
    duplicates_removed: int


def load_datasets(root: Path) -> dict[str, Dataset]:
    found = {}
    for name, adapter in ADAPTERS.items():
        columns = adapter(root)
        features = features_from_columns(columns, len(columns["label"]))
        features, labels, removed = deduplicate(features, columns["label"].astype(int))
        found[name] = Dataset(name, features, labels, removed)
    return found


def deduplicate(features: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Identical rows once (NaN equal to NaN); a row seen with both labels is dropped."""
    seen: dict[bytes, int] = {}
    conflicting: set[bytes] = set()
    keep: list[int] = []
    for index, row in enumerate(np.nan_to_num(features, nan=-1.2345e9)):
        key = row.tobytes()
        if key in seen:
            if labels[seen[key]] != labels[index]:
                conflicting.add(key)
            continue
        seen[key] = index
        keep.append(index)
    kept = [
        i for i in keep if np.nan_to_num(features[i], nan=-1.2345e9).tobytes() not in conflicting
    ]
    return features[kept], labels[kept], len(labels) - len(kept)


def new_classifier() -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier

    return HistGradientBoostingClassifier(
        max_iter=200, learning_rate=0.08, max_leaf_nodes=15, min_samples_leaf=10,
        l2_regularization=1.0, random_state=SEED,
    )  # fmt: skip


@dataclass(frozen=True)
class Fitted:
    """A classifier and the feature columns it was given: a feature no training row has (all
    unknown) cannot be learned from, and is left out rather than failing."""

    classifier: Any
    columns: np.ndarray

    def scores(self, features: np.ndarray) -> np.ndarray:
        result: np.ndarray = self.classifier.predict_proba(features[:, self.columns])[:, 1]
        return result


def fit(features: np.ndarray, labels: np.ndarray) -> Fitted:
    columns = np.flatnonzero(~np.all(np.isnan(features), axis=0))
    return Fitted(new_classifier().fit(features[:, columns], labels), columns)


def out_of_fold(features: np.ndarray, labels: np.ndarray, *, folds: int = 5) -> np.ndarray:
    from sklearn.model_selection import StratifiedKFold

    scores = np.zeros(len(labels))
    splitter = StratifiedKFold(folds, shuffle=True, random_state=SEED)
    for train, test in splitter.split(features, labels):
        scores[test] = fit(features[train], labels[train]).scores(features[test])
    return scores


def evaluate(datasets: dict[str, Dataset], root: Path) -> dict[str, Any]:
    within = {
        name: metrics(d.labels, out_of_fold(d.features, d.labels)) for name, d in datasets.items()
    }
    across = {}
    for held_out, test in datasets.items():
        others = [d for name, d in datasets.items() if name != held_out]
        model = fit(
            np.vstack([d.features for d in others]), np.concatenate([d.labels for d in others])
        )
        across[held_out] = metrics(test.labels, model.scores(test.features))
    kaggle_train, kaggle_test = (instagram_kaggle(root, part=part) for part in ("train", "test"))
    train_x = features_from_columns(kaggle_train, len(kaggle_train["label"]))
    test_x = features_from_columns(kaggle_test, len(kaggle_test["label"]))
    fixed = fit(train_x, kaggle_train["label"].astype(int))
    kaggle_split = metrics(kaggle_test["label"].astype(int), fixed.scores(test_x))
    return {
        "within_dataset_cv": within,
        "kaggle_fixed_split": kaggle_split,
        "across_datasets": across,
        "duplicates_removed": {name: d.duplicates_removed for name, d in datasets.items()},
    }


def fit_shipped(datasets: dict[str, Dataset], *, version: str) -> AccountModel:
    from sklearn.isotonic import IsotonicRegression

    features = np.vstack([d.features for d in datasets.values()])
    labels = np.concatenate([d.labels for d in datasets.values()])
    oof = out_of_fold(features, labels)
    calibrator = IsotonicRegression(out_of_bounds="clip", y_min=0.01, y_max=0.99).fit(oof, labels)
    fitted = fit(features, labels)
    classifier = fitted.classifier
    return AccountModel(
        version=version,
        feature_names=FEATURE_NAMES,
        baseline=float(np.ravel(classifier._baseline_prediction)[0]),
        trees=tuple(_tree(predictors[0], fitted.columns) for predictors in classifier._predictors),
        calibration_x=np.asarray(calibrator.X_thresholds_, dtype=float),
        calibration_y=np.asarray(calibrator.y_thresholds_, dtype=float),
        training_fake_share=float(labels.mean()),
        metrics={
            "reliability": reliability(
                labels, np.interp(oof, calibrator.X_thresholds_, calibrator.y_thresholds_)
            )
        },
    )


def _tree(predictor: Any, columns: np.ndarray) -> Tree:
    nodes = predictor.nodes
    return Tree(
        feature=columns[nodes["feature_idx"].astype(np.int64)],  # back to FEATURE_NAMES order
        threshold=nodes["num_threshold"].astype(float),
        missing_left=nodes["missing_go_to_left"].astype(bool),
        left=nodes["left"].astype(np.int64),
        right=nodes["right"].astype(np.int64),
        leaf=nodes["is_leaf"].astype(bool),
        value=nodes["value"].astype(float),
    )
