"""Train the AI-generated-face model and write it, with its measured figures, into the package.

    LINKVET_DATASETS=../shared/datasets .venv/bin/python scripts/train_face_model.py

Writes src/linkvet/models/ai_face.json (the model and its metrics) and prints the tables that
docs/models/ai-face.md and docs/evaluation.md record. Takes a few minutes on two cores (face
finding dominates). Deterministic: the platform simulation is seeded by file name and the folds
by a fixed seed.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
from pathlib import Path

from linkvet.photo.evaluation import evaluate_table
from linkvet.photo.training import dataset_items, extract, fit

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "src" / "linkvet" / "models" / "ai_face.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default="2026.11.1")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    datasets = os.environ.get("LINKVET_DATASETS")
    if not datasets:
        raise SystemExit("set LINKVET_DATASETS to the shared datasets folder (../shared/datasets)")
    items = dataset_items(Path(datasets) / "faces")
    table = extract(items, workers=args.workers)
    print(f"{len(table.items)} images with a face; {len(table.skipped)} skipped")

    metrics = evaluate_table(table)
    model = fit(table, version=args.version)
    model = dataclasses.replace(model, metrics=metrics)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    print(json.dumps(metrics, indent=2))
    print(f"wrote {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
