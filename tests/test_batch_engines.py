"""The batch engines and the resumable job (issue 9): `local` and `dask` write the same output;
a Dask worker killed mid-job, the job itself killed mid-job, and a full disk (a real tmpfs in a
mount namespace). Real processes, real files, a real Dask LocalCluster."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import dask
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from distributed import Client, LocalCluster

from linkvet.batch import engines
from linkvet.batch.engines import EngineError
from linkvet.batch.fileformat import BatchWriter
from linkvet.batch.runner import BatchRun, WorkFolderError, score_file, work_folder
from linkvet.batch.scoring import Scorer
from linkvet.registry import available_detector_classes
from tests.conftest import ROOT

ROWS = 3000
CHUNK_ROWS = 150
CHUNKS = ROWS // CHUNK_ROWS
# Every local detector, as `linkvet batch` runs by default: each row goes through the engine.
SCORER = Scorer(
    tuple(cls.id for cls in available_detector_classes() if not cls.remote and not cls.opt_in),
    as_of=dt.date(2026, 11, 20),
)

# The job as a user's process runs it, for killing: `python -c DRIVER SOURCE TARGET`.
DRIVER = """
import sys
from pathlib import Path
from linkvet.batch.runner import score_file
from tests.test_batch_engines import CHUNK_ROWS, SCORER
score_file(Path(sys.argv[1]), Path(sys.argv[2]), SCORER, chunk_rows=CHUNK_ROWS, resume=True,
           progress=False)
"""

# Inside a user and mount namespace: a tmpfs of each size in turn, the job resumed on each.
FULL_DISK_DRIVER = """
import json, subprocess, sys
from pathlib import Path
from linkvet.batch.runner import OutputWriteError, score_file, work_folder
from tests.test_batch_engines import CHUNK_ROWS, SCORER
source, disk, *sizes = sys.argv[1:]
disk = Path(disk)
target = disk / "scores.jsonl"
stages = []
for number, size in enumerate(sizes):
    options = f"size={size}" if number == 0 else f"remount,size={size}"
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(disk)], check=True)
    if number == 0:
        target.write_text("an earlier output\\n")
    try:
        run = score_file(Path(source), target, SCORER, chunk_rows=CHUNK_ROWS, resume=True,
                         progress=False)
        stage = {"scored": run.chunks_scored, "reused": run.chunks_reused}
    except OutputWriteError as error:
        stage = {"error": str(error)}
    parts = work_folder(target)
    stage["files"] = sorted(path.name for path in disk.iterdir())
    stage["parts"] = sorted(p.name for p in parts.iterdir()) if parts.is_dir() else []
    stage["output"] = target.read_text()
    stages.append(stage)
print(json.dumps(stages))
"""


def profiles(rows: int) -> dict[str, list[object]]:
    """Varied rows: texts with and without approach cues, counts with gaps, nested profiles,
    and some rows that cannot be scored (an unknown field), which give an error cell."""
    rng = np.random.default_rng(9)
    headlines = ["Senior Partner, Global Strategy Consulting", "Software engineer", None]
    abouts = [
        "We offer remote work with generous pay and all-expenses trips: an exclusive, one-off "
        "opportunity. Message me on WhatsApp.",
        "I build bridges and teach structural design.",
        None,
    ]
    nested = [
        '{"messages": [{"text": "Quick question about your team and your access."}]}',
        '{"experience": [{"title": "CEO", "company": "Acme", "start": "2024"}]}',
        '{"nonsense": 1}',
        None,
    ]
    pick = rng.integers(0, 12, size=(rows, 3))
    followers = rng.integers(0, 9000, rows)
    return {
        "id": [f"p{index:05d}" for index in range(rows)],
        "name": [f"Anna Smith{index % 7}" for index in range(rows)],
        "handle": [f"anna{index}" for index in range(rows)],
        "headline": [headlines[i % 3] for i in pick[:, 0]],
        "about": [abouts[i % 3] for i in pick[:, 1]],
        "followers": [None if f % 11 == 0 else int(f) for f in followers],
        "following": rng.integers(0, 5000, rows).tolist(),
        "posts": rng.integers(0, 300, rows).tolist(),
        "has_photo": (rng.random(rows) < 0.6).astype(int).tolist(),
        "joined": [f"20{10 + i}" for i in pick[:, 2]],
        "profile": [nested[i % 4] if i < 4 else None for i in pick[:, 2]],
        "label": rng.integers(0, 2, rows).tolist(),
    }


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("input") / "profiles.csv"
    with BatchWriter(path) as writer:
        writer.write(profiles(ROWS))
    return path


@pytest.fixture(scope="module")
def reference(source: Path, tmp_path_factory: pytest.TempPathFactory) -> pa.Table:
    """The output of a clean, uninterrupted run on the local engine."""
    target = tmp_path_factory.mktemp("reference") / "scores.parquet"
    done = run(source, target)
    assert (done.chunks_scored, done.chunks_reused, done.rows) == (CHUNKS, 0, ROWS)
    table = pq.read_table(target)
    assert set(table.column("error").to_pylist()) > {None}  # some rows could not be scored
    assert set(table.column("band").to_pylist()) >= {"low", "medium"}
    return table


def local_cluster() -> LocalCluster:
    """Two single-threaded worker processes, as the dask engine starts them."""
    return LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": ":0"},
    )


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with local_cluster() as started:
        yield started


def run(source: Path, target: Path, scorer: Scorer = SCORER, **options: Any) -> BatchRun:
    options.setdefault("chunk_rows", CHUNK_ROWS)
    return score_file(source, target, scorer, progress=False, **options)


def wait_for(condition: Callable[[], bool], *, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited too long"
        time.sleep(0.01)


def parts_of(target: Path) -> list[Path]:
    return sorted(work_folder(target).glob("*.parquet"))


def test_both_engines_write_the_same_output(
    source: Path, reference: pa.Table, tmp_path: Path
) -> None:
    """The issue's test: the same job on a Dask LocalCluster of two workers (started for the
    job and closed after it) and on the local engine."""
    target = tmp_path / "scores.parquet"
    done = run(source, target, engine="dask", workers=2)
    assert (done.rows, done.chunks_scored) == (ROWS, CHUNKS)
    assert pq.read_table(target).equals(reference)
    assert list(tmp_path.iterdir()) == [target]  # the work folder is gone


def test_dask_workers_load_the_scorer_once_each(
    source: Path, reference: pa.Table, cluster: LocalCluster, tmp_path: Path
) -> None:
    target = tmp_path / "scores.parquet"
    run(source, target, engine="dask", scheduler=cluster.scheduler_address)
    assert pq.read_table(target).equals(reference)
    with Client(cluster) as client:  # type: ignore[no-untyped-call]
        loads = client.run(lambda: engines._worker_engine.cache_info()._asdict())
    assert len(loads) == 2
    assert all(load["misses"] == 1 for load in loads.values())  # one engine built per worker
    assert sum(load["hits"] + load["misses"] for load in loads.values()) == CHUNKS


def test_a_dask_worker_killed_mid_job_does_not_stop_it(
    source: Path, reference: pa.Table, cluster: LocalCluster, tmp_path: Path
) -> None:
    target = tmp_path / "scores.parquet"
    with Client(cluster) as client, ThreadPoolExecutor(1) as thread:  # type: ignore[no-untyped-call]
        pids = client.run(os.getpid)
        job = thread.submit(run, source, target, engine="dask", scheduler=cluster.scheduler_address)
        wait_for(lambda: len(parts_of(target)) >= 2)
        busy = [worker for worker, keys in client.processing().items() if keys]
        assert busy, "no worker was scoring a chunk"
        finished_before = len(parts_of(target))
        os.kill(pids[busy[0]], signal.SIGKILL)
        done = job.result(timeout=120)
        assert pids[busy[0]] not in client.run(os.getpid).values()  # it was killed, replaced
    assert finished_before < CHUNKS
    assert (done.rows, done.chunks_scored) == (ROWS, CHUNKS)
    assert pq.read_table(target).equals(reference)


def test_dask_workers_dying_each_time_fail_the_job_cleanly(source: Path, tmp_path: Path) -> None:
    """A scheduler that gives up on a chunk at its first worker's death, as Dask does after
    `allowed-failures` deaths: a clear error, no output, the finished chunks kept."""
    target = tmp_path / "scores.parquet"
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        local_cluster() as fragile,
        Client(fragile) as client,  # type: ignore[no-untyped-call]
        ThreadPoolExecutor(1) as thread,
    ):
        pids = client.run(os.getpid)
        job = thread.submit(run, source, target, engine="dask", scheduler=fragile.scheduler_address)
        wait_for(lambda: len(parts_of(target)) >= 1)
        busy = [worker for worker, keys in client.processing().items() if keys]
        os.kill(pids[busy[0]], signal.SIGKILL)
        with pytest.raises(EngineError, match="died each time they scored the chunk"):
            job.result(timeout=120)
    assert not target.exists()
    assert 1 <= len(parts_of(target)) < CHUNKS


def test_the_local_engine_killed_mid_job_resumes_from_its_finished_chunks(
    source: Path, reference: pa.Table, tmp_path: Path
) -> None:
    job_input = tmp_path / "profiles.csv"
    shutil.copy2(source, job_input)
    target = tmp_path / "scores.parquet"
    job = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(job_input), str(target)],
        cwd=ROOT, start_new_session=True, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        wait_for(lambda: len(parts_of(target)) >= 3 or job.poll() is not None)
        assert job.poll() is None, job.stderr.read() if job.stderr else ""
    finally:
        os.killpg(job.pid, signal.SIGKILL)  # the job and its worker processes, as kill -9 would
        job.communicate()
    finished = len(parts_of(target))
    assert 3 <= finished < CHUNKS
    assert not target.exists()
    interrupted = tmp_path / "interrupted"
    shutil.copytree(work_folder(target), interrupted)

    with pytest.raises(WorkFolderError, match="the chunk size"):
        run(job_input, target, resume=True, chunk_rows=CHUNK_ROWS * 2)
    with pytest.raises(WorkFolderError, match="the detectors"):
        run(job_input, target, Scorer(("account.model",)), resume=True)
    resumed = run(job_input, target, resume=True)
    assert (resumed.chunks_reused, resumed.chunks_scored) == (finished, CHUNKS - finished)
    assert pq.read_table(target).equals(reference)
    assert not work_folder(target).exists()

    # The same interrupted run, but the input was edited since: its parts are refused.
    target.unlink()
    shutil.copytree(interrupted, work_folder(target))
    job_input.write_bytes(job_input.read_bytes().replace(b"p00000", b"q00000"))
    with pytest.raises(WorkFolderError, match="the input file") as refused:
        run(job_input, target, resume=True)
    assert "without --resume" in str(refused.value)
    afresh = run(job_input, target)
    assert (afresh.chunks_reused, afresh.chunks_scored) == (0, CHUNKS)
    assert pq.read_table(target).column("id")[0].as_py() == "q00000"


def test_a_full_disk_fails_cleanly_and_the_job_resumes_when_there_is_room(
    source: Path, reference: pa.Table, tmp_path: Path
) -> None:
    """A tmpfs too small for the parts, then for the output, then big enough. No output is
    ever half written, an earlier output survives each failure, finished parts are kept."""
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", sys.executable, "-c",
         FULL_DISK_DRIVER, str(source), str(disk), "32k", "256k", "4m"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"the job in a mount namespace failed:\n{done.stderr}"
    while_scoring, while_joining, with_room = json.loads(done.stdout)

    earlier = "an earlier output\n"
    parts_folder = work_folder(disk / "scores.jsonl").name
    assert "the disk is full" in while_scoring["error"]
    assert ".parquet" in while_scoring["error"]  # it failed on a part
    assert "run again with --resume" in while_scoring["error"]
    assert while_scoring["files"] == ["scores.jsonl", parts_folder]  # nothing half written
    assert while_scoring["output"] == earlier
    finished_first = [part for part in while_scoring["parts"] if part.endswith(".parquet")]
    assert 1 <= len(finished_first) < CHUNKS
    assert not any(part.endswith(".tmp") for part in while_scoring["parts"])

    assert "the disk is full" in while_joining["error"]
    assert "scores.jsonl (" in while_joining["error"]  # it failed on the output
    assert while_joining["files"] == ["scores.jsonl", parts_folder]
    assert while_joining["output"] == earlier
    assert len([part for part in while_joining["parts"] if part.endswith(".parquet")]) == CHUNKS

    assert (with_room["scored"], with_room["reused"]) == (0, CHUNKS)
    assert with_room["files"] == ["scores.jsonl"]
    expected = tmp_path / "expected.jsonl"
    with BatchWriter(expected) as writer:
        writer.write(reference.to_pydict())
    assert with_room["output"] == expected.read_text()


def test_a_scheduler_is_for_the_dask_engine_only(source: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="dask engine only"):
        run(source, tmp_path / "scores.csv", scheduler="tcp://127.0.0.1:8786")
    with pytest.raises(ValueError, match="unknown engine"):
        run(source, tmp_path / "scores.csv", engine="spark")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_in_the_way_is_left_alone(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "scores.csv"
    mine = work_folder(target)
    mine.mkdir()
    (mine / "notes.txt").write_text("my own notes")
    with pytest.raises(WorkFolderError, match="not a linkvet work folder"):
        run(source, target)
    assert (mine / "notes.txt").read_text() == "my own notes"
    assert not target.exists()
