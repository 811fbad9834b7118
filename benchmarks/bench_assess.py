"""How long one assessment of a profile without a photo takes, on one core.

Run: `make bench` (or `.venv/bin/python benchmarks/bench_assess.py --repeat 2000`).

The engine is built once, as `linkvet.assess` does, and each example profile is assessed many
times. Beside it, in the same run, the cost of only reading the same profile (JSON parse and
pydantic validation): the floor that any checker of this JSON pays, so that the ratio stays
meaningful on a noisy shared machine. Results go to stdout and, with --json, to a file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from linkvet.api import parse_profile_json
from linkvet.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))


def timings_ms(action: Callable[[], object], repeat: int) -> list[float]:
    for _ in range(min(50, repeat)):  # warm caches and compiled patterns
        action()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2000, help="assessments per example")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says

    engine = Engine()
    results: list[dict[str, object]] = []
    for path in EXAMPLES:
        text = path.read_bytes()
        profile = parse_profile_json(text, source=str(path))
        assess = timings_ms(partial(engine.assess, profile), args.repeat)
        parse = timings_ms(partial(parse_profile_json, text), args.repeat)
        assess_median = statistics.median(assess)
        parse_median = statistics.median(parse)
        results.append(
            {
                "example": path.name,
                "assess_median_ms": round(assess_median, 3),
                "assess_p95_ms": round(statistics.quantiles(assess, n=20)[-1], 3),
                "parse_median_ms": round(parse_median, 3),
                "assess_over_parse": round(assess_median / parse_median, 1),
            }
        )

    machine = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "processor": platform.processor() or "unknown",
        "cpus_visible": os.cpu_count(),
        "detectors": len(engine.detectors),
        "repeat": args.repeat,
    }
    print(json.dumps(machine))
    print(f"{'example':28} {'assess median':>14} {'p95':>8} {'parse median':>13} {'ratio':>6}")
    for row in results:
        print(
            f"{row['example']!s:28} {row['assess_median_ms']!s:>11} ms {row['assess_p95_ms']!s:>8}"
            f" {row['parse_median_ms']!s:>10} ms {row['assess_over_parse']!s:>5}x"
        )
    if args.json:
        args.json.write_text(json.dumps({"machine": machine, "results": results}, indent=2))


if __name__ == "__main__":
    main()
