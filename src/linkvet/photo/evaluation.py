"""The AI-face detector's figures on a labelled folder of faces, as `linkvet photos eval` prints
them and scripts/train_face_model.py stores them in the model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from linkvet.photo.training import (
    FPR_POINTS,
    FeatureTable,
    dataset_items,
    extract,
    figures,
    out_of_fold_scores,
    overall,
    tpr_at_fpr,
    unseen_generator_scores,
)

SPLIT = "grouped, stratified 5-fold cross-validation (a seed, prompt or person never split)"


def evaluate_folder(folder: Path, *, workers: int = 2) -> dict[str, Any]:
    return evaluate_table(extract(dataset_items(folder), workers=workers))


def evaluate_table(table: FeatureTable) -> dict[str, Any]:
    """Out-of-fold figures per source, overall, and per generator left out of training."""
    scores = out_of_fold_scores(table)
    unseen = {}
    for generator in sorted({item.source for item in table.items if item.label == 1}):
        fake, real = unseen_generator_scores(table, generator)
        unseen[generator] = {f"{p:.1%}": tpr_at_fpr(fake, real, p) for p in FPR_POINTS}
    return {
        "split": SPLIT,
        "overall": overall(table, scores),
        "by_source": [
            {
                "source": row.source,
                "class": "ai" if row.label else "real",
                "images": row.images,
                "auc": row.auc,
                "tpr_at": {f"{p:.1%}": v for p, v in row.tpr_at.items()},
                "fpr_at": {f"{p:.1%}": v for p, v in row.fpr_at.items()},
            }
            for row in figures(table, scores)
        ],
        "unseen_generator": unseen,
        "skipped": [f"{path.parent.name}/{path.name}: {reason}" for path, reason in table.skipped],
    }


def render_figures(report: dict[str, Any]) -> RenderableType:
    table = Table(title="AI-generated-face detector, per source", caption=report["split"])
    table.add_column("source", no_wrap=True)
    for column in ("class", "images", "AUC", "caught @1% FPR", "caught @0.5% FPR",
                   "real flagged @1%", "real flagged @0.5%"):  # fmt: skip
        table.add_column(column)
    for row in report["by_source"]:
        auc = "—" if row["auc"] is None else f"{row['auc']:.3f}"
        table.add_row(
            row["source"], row["class"], str(row["images"]), auc,
            *(_share(row["tpr_at"].get(point)) for point in ("1.0%", "0.5%")),
            *(_share(row["fpr_at"].get(point)) for point in ("1.0%", "0.5%")),
        )  # fmt: skip
    total = report["overall"]
    summary = Text(
        f"All {total['images']} images: AUC {total['auc']:.3f}; AI faces caught "
        f"{total['tpr_at_1.0%_fpr']:.1%} at 1% and {total['tpr_at_0.5%_fpr']:.1%} at 0.5% false "
        f"positives. {len(report['skipped'])} image(s) without a readable face were left out."
    )
    unseen = Table(title="Each generator left out of training (caught at 1% / 0.5% FPR)")
    unseen.add_column("generator not seen in training")
    unseen.add_column("@1%")
    unseen.add_column("@0.5%")
    for generator, rates in report["unseen_generator"].items():
        unseen.add_row(generator, _share(rates["1.0%"]), _share(rates["0.5%"]))
    return Group(table, summary, unseen)


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.1%}"
