"""Campaign detection and batch scoring at scale (issue 9), on this machine, in one run.

Run: `.venv/bin/python -m benchmarks.bench_campaigns [--scales 20000,100000,1000000]
[--photo-profiles 118000] [--pairwise-profiles 6000] [--work var/bench-campaigns]`

For each scale, a corpus with planted campaigns (`linkvet bench generate`, one campaign per 333
profiles; generated once and kept in --work) is scored and clustered end to end by the real
command, `linkvet batch CORPUS -o OUT --detectors account.model --campaigns`, in a child process:

- wall time, and peak memory of the whole process tree (the driver and its workers, summed,
  sampled every 50 ms), against the targets of 120 s and 4 GiB at 1,000,000 profiles;
- the local engine with 2 workers, and at the largest scale the Dask engine (a LocalCluster) with
  1 and with 2 workers;
- planted-campaign precision and recall (`linkvet.campaigns.planted`).

In the same run, the obvious hand-rolled pipeline (benchmarks/campaign_baseline.py: pandas
apply, datasketch MinHashLSH, imagehash compared pairwise) on the same inputs, as ratios: on the
text corpora up to --baseline-max rows (it is too slow beyond), and on a photo corpus small
enough to compare every pair (--pairwise-profiles). Photos: a corpus with about 100,000 photos is
hashed and clustered by linkvet alone (comparing 100,000 photos pairwise would take 5 billion
comparisons).

Writes the figures as JSON (--json) and prints them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import pyarrow.parquet as pq

from linkvet.batch.campaign_output import campaign_folder
from linkvet.campaigns.planted import measure_output

MIB = 1 << 20


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_mib: float


def measured(command: list[str]) -> Measured:
    """Runs `command`, timing it and sampling the summed memory of its process tree."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        root = psutil.Process(process.pid)
        while not done.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
                total = 0
                for member in tree:
                    with contextlib.suppress(psutil.Error):
                        total += member.memory_info().rss
                peak = max(peak, total)
            except psutil.Error:
                pass
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _out, err = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{err.decode()[-3000:]}")
    return Measured(seconds, peak / MIB)


def corpus(work: Path, profiles: int, *, photos: bool = False) -> Path:
    """The corpus of that size, generated once into `work` and reused."""
    name = f"{'photos' if photos else 'corpus'}-{profiles}.parquet"
    path = work / name
    if not path.exists():
        command = [sys.executable, "-m", "linkvet", "bench", "generate", "--profiles",
                   str(profiles), "--campaigns", str(max(1, profiles // 333)), "-o", str(path)]  # fmt: skip
        if photos:
            command.append("--photos")
        taken = measured(command)
        print(f"generated {path} in {taken.seconds:.1f} s", flush=True)
    return path


def linkvet_run(
    source: Path, target: Path, *, engine: str = "local", workers: int = 2
) -> dict[str, Any]:
    command = [sys.executable, "-m", "linkvet", "batch", str(source), "-o", str(target),
               "--detectors", "account.model", "--campaigns", "--engine", engine,
               "--workers", str(workers)]  # fmt: skip
    taken = measured(command)
    summary = json.loads((campaign_folder(target) / "summary.json").read_text())
    found = measure_output(target, source)
    figures = {
        "engine": engine,
        "workers": workers,
        "seconds": round(taken.seconds, 1),
        "peak_mib": round(taken.peak_mib),
        "stages": summary["seconds"],
        "campaigns": summary["campaigns"],
        "planted": found.as_dict(),
    }
    print(json.dumps({"linkvet": str(source.name), **figures}), flush=True)
    return figures


def baseline_run(source: Path, work: Path, *, photos: bool = False) -> dict[str, Any]:
    report = work / f"baseline-{source.stem}.json"
    command = [sys.executable, "-m", "benchmarks.campaign_baseline", str(source), "--json",
               str(report)]  # fmt: skip
    if photos:
        command.append("--photos")
    taken = measured(command)
    figures: dict[str, Any] = json.loads(report.read_text())
    figures.update(seconds=round(taken.seconds, 1), peak_mib=round(taken.peak_mib))
    print(json.dumps({"baseline": str(source.name), **figures}, default=str), flush=True)
    return figures


def photo_count(source: Path) -> int:
    profiles = pq.read_table(source, columns=["profile"]).column("profile").to_pylist()
    return sum(1 for text in profiles if text and '"photo"' in text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="20000,100000,1000000")
    parser.add_argument("--baseline-max", type=int, default=100_000)
    parser.add_argument("--photo-profiles", type=int, default=118_000)
    parser.add_argument("--pairwise-profiles", type=int, default=6_000)
    parser.add_argument("--work", type=Path, default=Path("var/bench-campaigns"))
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    scales = [int(value) for value in args.scales.split(",")]
    report: dict[str, Any] = {"cpus": os.cpu_count(), "scales": {}, "photos": {}}

    for size in scales:
        source = corpus(work, size)
        entry: dict[str, Any] = {"local": linkvet_run(source, work / f"out-{size}.parquet")}
        if size == max(scales):
            entry["dask"] = [
                linkvet_run(source, work / f"out-{size}-dask{n}.parquet", engine="dask", workers=n)
                for n in (1, 2)
            ]
        if size <= args.baseline_max:
            entry["baseline"] = baseline_run(source, work)
            entry["baseline_over_linkvet"] = round(
                entry["baseline"]["seconds"] / entry["local"]["seconds"], 1
            )
        report["scales"][str(size)] = entry

    if args.pairwise_profiles:
        source = corpus(work, args.pairwise_profiles, photos=True)
        entry = {"photos": photo_count(source)}
        entry["local"] = linkvet_run(source, work / "out-pairwise.parquet")
        entry["baseline"] = baseline_run(source, work, photos=True)
        entry["baseline_over_linkvet"] = round(
            entry["baseline"]["seconds"] / entry["local"]["seconds"], 1
        )
        report["photos"]["pairwise"] = entry
    if args.photo_profiles:
        source = corpus(work, args.photo_profiles, photos=True)
        report["photos"]["large"] = {
            "photos": photo_count(source),
            "local": linkvet_run(source, work / "out-photos.parquet"),
        }
    text = json.dumps(report, indent=2, default=str)
    print(text)
    if args.json is not None:
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
