"""Report submissions per second into the case store: SQLite (the default) and PostgreSQL.

Run: `.venv/bin/python -m benchmarks.bench_store [--seconds 10]` (PostgreSQL: a throw-away
cluster on loopback from Debian's server binaries, as in the tests).

Each run starts 1 and then 2 writer processes (one per core) that call `Store.add_report` as
fast as they can for the given time, each report committed and durable before the next (SQLite
with WAL and synchronous=FULL; PostgreSQL with its default fsync on commit). The assessment is
made once beforehand: this measures the store, not the checks. In the same run, both backends,
and the ratio.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Final

from tests.postgres import throwaway_cluster

ROOT: Final = Path(__file__).resolve().parent.parent
WRITER: Final = """
import sys, time
from linkvet.engine import Engine
from linkvet.model import Profile
from linkvet.store import open_store

store = open_store(sys.argv[1])
profile = Profile(name="Burst", headline="Senior Recruiter", about="Remote role, great pay.",
                  invitation={"text": "Exclusive role; can we move to WhatsApp?"})
assessment = Engine().assess(profile)
print("ready", flush=True)
sys.stdin.readline()
deadline = time.monotonic() + float(sys.argv[2])
count = 0
while time.monotonic() < deadline:
    store.add_report(assessment, profile, note="benchmark")
    count += 1
print(count, flush=True)
"""


def submissions_per_second(url: str, *, writers: int, seconds: float) -> float:
    children = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, url, str(seconds)],
            cwd=ROOT,
            text=True,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        for _ in range(writers)
    ]
    for child in children:
        assert child.stdout is not None
        assert child.stdout.readline() == "ready\n"
    for child in children:  # start together, once all have migrated and warmed up
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    total = 0
    for child in children:
        output, _ = child.communicate(timeout=seconds + 120)
        total += int(output.strip().splitlines()[-1])
    return total / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    seconds = parser.parse_args().seconds
    results: dict[str, dict[int, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        sqlite_url = f"sqlite:///{Path(folder) / 'cases.sqlite'}"
        results["SQLite (WAL, synchronous=FULL)"] = {
            writers: submissions_per_second(sqlite_url, writers=writers, seconds=seconds)
            for writers in (1, 2)
        }
    with throwaway_cluster() as postgres_url:
        results["PostgreSQL 15 (loopback)"] = {
            writers: submissions_per_second(postgres_url, writers=writers, seconds=seconds)
            for writers in (1, 2)
        }
    print(f"{seconds:.0f} s per run")
    print("| store | 1 writer, reports/s | 2 writers, reports/s |")
    print("|---|---|---|")
    for name, figures in results.items():
        print(f"| {name} | {figures[1]:.0f} | {figures[2]:.0f} |")
    sqlite, postgres = results.values()
    print(f"PostgreSQL / SQLite: {postgres[1] / sqlite[1]:.2f} (1 writer), "
          f"{postgres[2] / sqlite[2]:.2f} (2 writers)")  # fmt: skip


if __name__ == "__main__":
    main()
