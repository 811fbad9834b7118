"""Report submissions per second into the case store: SQLite (the default) and PostgreSQL.

Run: `.venv/bin/python -m benchmarks.bench_store [--seconds 10] [--reports bare,persona,photo]`
(PostgreSQL: a throw-away cluster on loopback from Debian's server binaries, as in the tests).

Each run starts 1 and then 2 writer processes (one per core) that call `Store.add_report` as
fast as they can for the given time, each report committed and durable before the next (SQLite
with WAL and synchronous=FULL; PostgreSQL with its default fsync on commit). The assessments are
made beforehand: this measures the store, not the checks. Three kinds of report:

- bare: a one-word name and two short texts, which give nothing to link by;
- persona: one of 20 personas (name, URL, employer, an About of 40 words and a message of 50),
  so that every new case is fingerprinted and linked to the earlier reports of its persona;
- photo: the same, each with the same real photo (examples/photos), a worst case for linking:
  the photo is hashed and its face embedded, and each new case is compared with every earlier
  photo (at most 5,000) and linked to the newest 50.

In the same run, both backends, and the ratio.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Final

from sqlalchemy import create_engine, text

from tests.postgres import throwaway_cluster

ROOT: Final = Path(__file__).resolve().parent.parent
WRITER: Final = """
import base64, sys, time
from pathlib import Path
from linkvet.engine import Engine
from linkvet.model import Profile
from linkvet.store import open_store

store = open_store(sys.argv[1])
kind = sys.argv[3]
ABOUT = ("I help leading firms in {0} find senior advisers for short, well-paid projects. My "
         "clients value discretion and move fast, so we prefer to talk on WhatsApp or Signal "
         "about the details of each engagement and the fee.")
MESSAGE = ("Hello, I came across your profile and was impressed by your work in {0}. A client "
           "of ours, a consultancy in Singapore, pays well for short reports on your area and "
           "covers travel for a workshop. Could we move this to WhatsApp? I can share the "
           "terms there.")
if kind == "bare":
    profiles = [Profile(name="Burst", headline="Senior Recruiter", about="Remote role, great pay.",
                        invitation={"text": "Exclusive role; can we move to WhatsApp?"})]
else:
    photo = {"data": base64.b64encode(
        Path("examples/photos/eileen-collins-nasa.jpg").read_bytes()).decode()}
    fields = ["energy", "aerospace", "telecoms", "policy", "chemistry"]
    profiles = [
        Profile.model_validate({
            "platform": "linkedin", "name": f"Alex Morgan{n}", "url":
            f"https://www.linkedin.com/in/alex-morgan-{n}", "headline": "Partner at Northbridge",
            "about": ABOUT.format(fields[n % 5]), "experience": [{"title": "Partner",
            "organisation": f"Northbridge Advisory {n}", "current": True}],
            "messages": [{"text": MESSAGE.format(fields[n % 5])}],
            **({"photo": photo} if kind == "photo" else {}),
        })
        for n in range(20)
    ]
assessed = [(Engine().assess(profile), profile) for profile in profiles]
print("ready", flush=True)
sys.stdin.readline()
deadline = time.monotonic() + float(sys.argv[2])
count = 0
while time.monotonic() < deadline:
    assessment, profile = assessed[count % len(assessed)]
    store.add_report(assessment, profile, note="benchmark")
    count += 1
print(count, flush=True)
"""


def new_database(server_url: str, name: str) -> str:
    """An empty database beside the cluster's first one; its URL."""
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"


def submissions_per_second(url: str, *, writers: int, seconds: float, kind: str) -> float:
    children = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, url, str(seconds), kind],
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
    parser.add_argument("--reports", default="bare,persona,photo")
    arguments = parser.parse_args()
    seconds, kinds = arguments.seconds, arguments.reports.split(",")
    results: dict[tuple[str, str], dict[int, float]] = {}
    with throwaway_cluster() as postgres_url:
        for kind in kinds:
            # A fresh database for each kind of report: links accumulate with what is stored.
            with tempfile.TemporaryDirectory() as folder:
                sqlite_url = f"sqlite:///{Path(folder) / 'cases.sqlite'}"
                results[kind, "SQLite"] = {
                    n: submissions_per_second(sqlite_url, writers=n, seconds=seconds, kind=kind)
                    for n in (1, 2)
                }
            fresh = new_database(postgres_url, f"linkvet_{kind}")
            results[kind, "PostgreSQL"] = {
                n: submissions_per_second(fresh, writers=n, seconds=seconds, kind=kind)
                for n in (1, 2)
            }
    print(f"{seconds:.0f} s per run")
    print("| reports | store | 1 writer, reports/s | 2 writers, reports/s |")
    print("|---|---|---|---|")
    for (kind, store), figures in results.items():
        print(f"| {kind} | {store} | {figures[1]:.1f} | {figures[2]:.1f} |")
    for kind in kinds:
        sqlite, postgres = results[kind, "SQLite"], results[kind, "PostgreSQL"]
        print(f"{kind}: PostgreSQL / SQLite {postgres[1] / sqlite[1]:.2f} (1 writer), "
              f"{postgres[2] / sqlite[2]:.2f} (2 writers)")  # fmt: skip


if __name__ == "__main__":
    main()
