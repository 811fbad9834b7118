"""`linkvet batch` over 1,000,000 rows of account metadata, account model alone, on 2 cores.

Run: `.venv/bin/python benchmarks/bench_batch.py [--rows 1000000]`

Writes a CSV of synthetic metadata rows (counts, flags and derived numbers drawn to look like the
shared datasets' ranges; synthetic because the shared sets have 4,700 rows, and timing does not
depend on the values) to a temporary folder, then times the real command in a child process and
reads its peak memory. In the same run, the obvious alternative: the same rows scored one at a
time through `linkvet.assess`-style Profiles with the account model, on a sample, as a ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from linkvet.batch.fileformat import BatchWriter
from linkvet.batch.scoring import Scorer, row_profile
from linkvet.engine import Engine
from linkvet.registry import select_detectors


def synthetic_rows(rows: int, seed: int = 3) -> dict[str, list[object]]:
    rng = np.random.default_rng(seed)
    return {
        "id": [f"row{i}" for i in range(rows)],
        "followers": np.round(rng.lognormal(5, 2, rows)).tolist(),
        "following": np.round(rng.lognormal(5.5, 1.5, rows)).tolist(),
        "posts": np.round(rng.lognormal(3, 2, rows)).tolist(),
        "about_length": rng.integers(0, 160, rows).tolist(),
        "has_photo": rng.integers(0, 2, rows).tolist(),
        "private": rng.integers(0, 2, rows).tolist(),
        "handle_length": rng.integers(4, 20, rows).tolist(),
        "handle_digits": rng.integers(0, 4, rows).tolist(),
        "label": rng.integers(0, 2, rows).tolist(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "rows.csv", Path(folder) / "scores.csv"
        with BatchWriter(source) as writer:
            step = 200_000
            for start in range(0, args.rows, step):
                part = synthetic_rows(min(step, args.rows - start), seed=start)
                writer.write(part)
        command = [sys.executable, "-m", "linkvet", "batch", str(source), "-o", str(target),
                   "--detectors", "account.model", "--workers", "2"]  # fmt: skip
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        # The alternative: one row at a time through a Profile and the engine.
        sample = synthetic_rows(2_000, seed=99)
        columns = {
            k: np.asarray(v, dtype=float if k != "id" else object) for k, v in sample.items()
        }
        engine = Engine(detectors=select_detectors(["account.model"]))
        one_started = time.perf_counter()
        for index in range(2_000):
            engine.assess(row_profile(columns, index))
        per_row = (time.perf_counter() - one_started) / 2_000
        assert Scorer(("account.model",)).vectorised
        report = {
            "rows": args.rows,
            "cpus": os.cpu_count(),
            "seconds_end_to_end": round(seconds, 1),
            "rows_per_second": round(args.rows / seconds),
            "peak_rss_mib_largest_process": round(peak),
            "one_at_a_time_rows_per_second": round(1 / per_row),
            "batch_over_one_at_a_time": round((args.rows / seconds) * per_row, 1),
        }
        print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
