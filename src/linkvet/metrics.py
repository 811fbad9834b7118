"""Detection-quality figures for a labelled set of scores: what `linkvet evaluate` prints and the
training scripts store. Threshold figures use the band boundary given; TPR at 1% FPR uses the
score that 99% of genuine rows stay below."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np


def figures(labels: np.ndarray, scores: np.ndarray, *, threshold: float = 0.5) -> dict[str, Any]:
    """AUC, accuracy, balanced accuracy, precision, recall, F1, TPR at 1% FPR, confusion."""
    from sklearn.metrics import (
        accuracy_score,
        balanced_accuracy_score,
        confusion_matrix,
        f1_score,
        precision_score,
        recall_score,
        roc_auc_score,
    )

    labels = np.asarray(labels, dtype=int)
    predicted = (scores >= threshold).astype(int)
    negatives = scores[labels == 0]
    cut = float(np.quantile(negatives, 0.99)) if len(negatives) else 1.0
    both = len(set(labels.tolist())) == 2
    tn, fp, fn, tp = confusion_matrix(labels, predicted, labels=[0, 1]).ravel()
    return {
        "rows": len(labels),
        "fake_share": float(labels.mean()),
        "threshold": threshold,
        "auc": float(roc_auc_score(labels, scores)) if both else None,
        "accuracy": float(accuracy_score(labels, predicted)),
        "balanced_accuracy": float(balanced_accuracy_score(labels, predicted)) if both else None,
        "precision": float(precision_score(labels, predicted, zero_division=0)),
        "recall": float(recall_score(labels, predicted, zero_division=0)),
        "f1": float(f1_score(labels, predicted, zero_division=0)),
        "tpr_at_1pct_fpr": float((scores[labels == 1] > cut).mean()) if both else None,
        "confusion": {"tn": int(tn), "fp": int(fp), "fn": int(fn), "tp": int(tp)},
    }


def reliability(
    labels: np.ndarray, scores: np.ndarray, *, bins: int = 10
) -> list[dict[str, float]]:
    """Mean predicted against observed share of fakes, per score bin (the reliability curve)."""
    points = []
    for low, high in itertools.pairwise(np.linspace(0, 1, bins + 1)):
        inside = (scores >= low) & ((scores < high) | (high == 1))
        if inside.any():
            points.append(
                {
                    "predicted": float(scores[inside].mean()),
                    "observed": float(labels[inside].mean()),
                    "rows": int(inside.sum()),
                }
            )
    return points


def plot(labels: np.ndarray, scores: np.ndarray, folder: Path, *, title: str) -> list[Path]:
    """ROC curve, reliability (calibration) curve and confusion matrix as PNG files in folder."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import roc_curve

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    false_positive, true_positive, _ = roc_curve(labels, scores)
    figure, axes = plt.subplots(figsize=(5, 5))
    axes.plot(false_positive, true_positive, label="linkvet")
    axes.plot([0, 1], [0, 1], linestyle=":", color="grey", label="chance")
    axes.axvline(0.01, color="red", linewidth=0.8, label="1% false positives")
    axes.set(xlabel="false-positive rate", ylabel="true-positive rate", title=f"ROC: {title}")
    axes.legend(loc="lower right")
    written.append(_save(figure, folder / "roc.png"))

    points = reliability(labels, scores)
    figure, axes = plt.subplots(figsize=(5, 5))
    axes.plot([0, 1], [0, 1], linestyle=":", color="grey", label="perfectly calibrated")
    axes.plot(
        [p["predicted"] for p in points],
        [p["observed"] for p in points],
        marker="o",
        label="linkvet",
    )
    axes.set(
        xlabel="predicted probability of a fake",
        ylabel="observed share of fakes",
        title=f"Calibration: {title}",
    )
    axes.legend(loc="upper left")
    written.append(_save(figure, folder / "calibration.png"))

    confusion = figures(labels, scores)["confusion"]
    matrix = np.array([[confusion["tn"], confusion["fp"]], [confusion["fn"], confusion["tp"]]])
    figure, axes = plt.subplots(figsize=(4, 4))
    axes.imshow(matrix, cmap="Blues")
    for (row, column), value in np.ndenumerate(matrix):
        axes.text(column, row, str(value), ha="center", va="center", fontsize=14)
    axes.set(xticks=[0, 1], yticks=[0, 1], xticklabels=["rated genuine", "rated fake"],
             yticklabels=["genuine", "fake"], title=f"Confusion: {title}")  # fmt: skip
    written.append(_save(figure, folder / "confusion.png"))
    return written


def _save(figure: Any, path: Path) -> Path:
    import matplotlib.pyplot as plt

    temporary = path.with_suffix(".tmp.png")
    figure.tight_layout()
    figure.savefig(temporary, dpi=100)
    plt.close(figure)
    temporary.replace(path)
    return path
