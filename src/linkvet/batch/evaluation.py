"""`linkvet evaluate`: detectors measured on a labelled batch file, with plots.

By default the detectors score every labelled row as shipped. With `--cross-validate` (the
account model only) the model is retrained in five stratified folds on the file's own
de-duplicated rows and each row is scored by a model that never saw it: the honest figure for a
dataset the shipped model was itself trained on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from linkvet.account.features import features_from_columns
from linkvet.batch.fileformat import read_batches
from linkvet.batch.runner import labelled_scores
from linkvet.batch.scoring import ACCOUNT_MODEL, Scorer
from linkvet.metrics import figures, plot


def evaluate_file(
    source: Path,
    scorer: Scorer,
    *,
    plots: Path,
    cross_validate: bool = False,
    workers: int | None = None,
) -> dict[str, Any]:
    if cross_validate:
        labels, scores, left_out, removed = _cross_validated(source, scorer)
        method = "5-fold stratified cross-validation of the account model on this file's de-duplicated rows"
    else:
        labels, scores, left_out = labelled_scores(source, scorer, workers=workers, progress=True)
        removed = 0
        method = "the shipped detectors, as they are"
    if len(labels) < 2 or len(set(labels.tolist())) < 2:
        raise ValueError(f"{source}: evaluation needs labelled rows of both classes")
    pictures = plot(labels, scores, plots, title=source.name)
    return {
        "file": str(source),
        "detectors": list(scorer.detector_ids),
        "method": method,
        "rows_left_out": left_out,
        "duplicates_removed": removed,
        "figures": figures(labels, scores),
        "plots": [str(path) for path in pictures],
    }


def _cross_validated(source: Path, scorer: Scorer) -> tuple[np.ndarray, np.ndarray, int, int]:
    from linkvet.account.training import deduplicate, out_of_fold

    if scorer.detector_ids != (ACCOUNT_MODEL,):
        raise ValueError(
            "--cross-validate retrains the account model: use --detectors account.model"
        )
    features, labels = [], []
    left_out = 0
    for chunk in read_batches(source):
        label = chunk.columns.get("label")
        if label is None:
            raise ValueError(f"{source}: no label column; evaluation needs labelled rows")
        rows = features_from_columns(chunk.columns, len(chunk))
        usable = ~np.isnan(label)
        left_out += int((~usable).sum())
        features.append(rows[usable])
        labels.append(label[usable].astype(int))
    unique, kept_labels, removed = deduplicate(np.vstack(features), np.concatenate(labels))
    return kept_labels, out_of_fold(unique, kept_labels), left_out, removed


def render_evaluation(report: dict[str, Any]) -> RenderableType:
    numbers = report["figures"]
    table = Table(
        title=f"{report['file']}: {', '.join(report['detectors'])}",
        caption=report["method"],
        min_width=60,
    )
    table.add_column("measure")
    table.add_column("value", justify="right")
    for name in ("rows", "fake_share", "auc", "accuracy", "balanced_accuracy", "precision",
                 "recall", "f1", "tpr_at_1pct_fpr"):  # fmt: skip
        value = numbers[name]
        shown = (
            "—" if value is None else (f"{value:,}" if isinstance(value, int) else f"{value:.4f}")
        )
        table.add_row(name.replace("_", " "), shown)
    confusion = numbers["confusion"]
    matrix = Text(
        f"Confusion at probability {numbers['threshold']}: {confusion['tp']} fakes caught, "
        f"{confusion['fn']} missed; {confusion['tn']} genuine cleared, {confusion['fp']} flagged. "
        f"Rows left out (unlabelled or unscorable): {report['rows_left_out']}; duplicates removed: "
        f"{report['duplicates_removed']}."
    )
    pictures = Text("Plots: " + ", ".join(report["plots"]), style="cyan")
    return Group(table, matrix, pictures)
