"""Train the account model on the shared datasets and write it, with its figures, into the package.

    LINKVET_DATASETS=../shared/datasets .venv/bin/python scripts/train_account_model.py

Writes src/linkvet/models/account.json and prints the figures that docs/evaluation.md and the
model card (docs/models/account.md) record. Deterministic (fixed seeds); a few seconds.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
from pathlib import Path

import numpy as np

from linkvet.account.training import evaluate, fit_shipped, load_datasets

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "src" / "linkvet" / "models" / "account.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default="2026.11.1")
    args = parser.parse_args()
    datasets_root = os.environ.get("LINKVET_DATASETS")
    if not datasets_root:
        raise SystemExit("set LINKVET_DATASETS to the shared datasets folder (../shared/datasets)")
    root = Path(datasets_root)
    datasets = load_datasets(root)
    figures = evaluate(datasets, root)
    model = fit_shipped(datasets, version=args.version)
    model = dataclasses.replace(model, metrics={**model.metrics, **figures})
    # The shipped trees must score exactly as scikit-learn's did.
    sample = np.vstack([d.features[:50] for d in datasets.values()])
    assert np.all(np.isfinite(model.probability(sample)))
    OUTPUT.write_text(json.dumps(model.to_json(), separators=(",", ":")) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({OUTPUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
