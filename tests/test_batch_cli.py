"""`linkvet batch`, `linkvet evaluate` and `linkvet datasets export`, run as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from linkvet.batch.fileformat import BatchWriter, read_batches
from linkvet.batch.scoring import Scorer, row_profile, score_columns
from linkvet.engine import Engine
from linkvet.registry import select_detectors
from tests.conftest import ROOT

ROWS: dict[str, list[object]] = {
    "id": ["a", "b", "c", "d"],
    "followers": [12, 4000, 3, None],
    "following": [2900, 380, 700, 10],
    "posts": [0, 812, 1, None],
    "has_photo": [1, 1, 0, None],
    "label": ["fake", "genuine", "fake", "genuine"],
}


def linkvet(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "linkvet", *args],
        capture_output=True, text=True, cwd=ROOT, timeout=600, check=False,
    )  # fmt: skip


@pytest.fixture
def labelled(tmp_path: Path) -> Path:
    path = tmp_path / "accounts.csv"
    with BatchWriter(path) as writer:
        writer.write(ROWS)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_batch_scores_every_row_in_each_format(labelled: Path, tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"scores{suffix}"
    done = linkvet("batch", str(labelled), "-o", str(target), "--detectors", "account.model")
    assert done.returncode == 0, done.stderr
    (chunk,) = list(read_batches_any(target))
    assert list(chunk["id"]) == ["a", "b", "c", "d"]
    assert set(chunk["band"]) <= {"low", "medium", "high"}
    assert all(0 <= float(str(p)) <= 1 for p in chunk["probability"])


def read_batches_any(path: Path) -> list[dict[str, list[object]]]:
    """Output files carry columns the input format refuses (band, probability): read them plainly."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return [pq.read_table(path).to_pydict()]
    if path.suffix == ".jsonl":
        rows = [json.loads(line) for line in path.read_text().splitlines()]
        return [{key: [row[key] for row in rows] for key in rows[0]}]
    import csv

    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [{key: [row[key] for row in rows] for key in rows[0]}]


def test_both_paths_give_the_same_probability(labelled: Path) -> None:
    """The vectorised account-model path and the engine on each row's Profile agree."""
    (chunk,) = list(read_batches(labelled))
    fast = score_columns(Scorer(("account.model",)), chunk.columns, len(chunk), None)
    engine = Engine(detectors=select_detectors(["account.model"]))
    slow = [engine.assess(row_profile(chunk.columns, i)).probability for i in range(len(chunk))]
    assert np.allclose(fast["probability"], slow, atol=1e-6)


def test_a_bad_column_leaves_no_output(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("id,folowers\nx,3\n")
    target = tmp_path / "out.csv"
    done = linkvet("batch", str(source), "-o", str(target), "--detectors", "account.model")
    assert done.returncode == 5
    assert "followers" in done.stderr  # the message suggests the right name
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [source]


def test_an_unknown_detector_is_a_usage_error(labelled: Path, tmp_path: Path) -> None:
    done = linkvet("batch", str(labelled), "-o", str(tmp_path / "o.csv"), "--detectors", "nope")
    assert done.returncode == 2


def test_evaluate_prints_figures_and_writes_plots(labelled: Path, tmp_path: Path) -> None:
    plots = tmp_path / "plots"
    done = linkvet("evaluate", str(labelled), "--detectors", "account.model", "--plots",
                   str(plots), "--format", "json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["figures"]["rows"] == 4
    assert {"auc", "precision", "recall", "f1", "tpr_at_1pct_fpr", "confusion"} <= set(
        report["figures"]
    )
    assert sorted(path.name for path in plots.iterdir()) == [
        "calibration.png",
        "confusion.png",
        "roc.png",
    ]


def test_evaluate_needs_labels(tmp_path: Path) -> None:
    source = tmp_path / "unlabelled.csv"
    with BatchWriter(source) as writer:
        writer.write({"followers": [1, 2]})
    done = linkvet(
        "evaluate", str(source), "--detectors", "account.model", "--plots", str(tmp_path / "p")
    )
    assert done.returncode == 5
    assert "label" in done.stderr


@pytest.mark.parametrize(
    ("name", "least_accuracy"),
    [("cresci2015", 0.95), ("instafake", 0.96), ("instagram_kaggle", 0.92)],
)
def test_evaluate_on_each_shared_dataset_meets_the_published_figure(
    datasets_dir: Path, tmp_path: Path, name: str, least_accuracy: float
) -> None:
    exported = tmp_path / f"{name}.parquet"
    done = subprocess.run(
        [sys.executable, "-m", "linkvet", "datasets", "export", name, str(exported),
         "--datasets", str(datasets_dir)],
        capture_output=True, text=True, cwd=ROOT, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    done = linkvet("evaluate", str(exported), "--detectors", "account.model", "--cross-validate",
                   "--plots", str(tmp_path / "plots"), "--format", "json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["figures"]["accuracy"] >= least_accuracy
