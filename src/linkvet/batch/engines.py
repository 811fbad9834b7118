"""Where the chunks of a batch job are scored: `local`, a process pool on this machine, or `dask`,
a Dask cluster (the scheduler at an address, or a LocalCluster started for the job).

Both engines score a chunk with the same function, `score_chunk`, so they give the same scores.
Each worker process loads a scorer's heavy resources (rules, models) on its first chunk and keeps
them for the next ones: once per worker, never per row. Chunks go out a few at a time and their
scores come back in the order the chunks were given, so memory stays bounded whatever the
file's length.
"""

from __future__ import annotations

import functools
import os
import threading
import uuid
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, Final, Protocol, Self

import numpy as np

from linkvet import __version__
from linkvet.batch.fileformat import Chunk
from linkvet.batch.scoring import Scorer, score_columns
from linkvet.config import load_config
from linkvet.engine import Engine
from linkvet.errors import LinkvetError

ENGINES: Final = ("local", "dask")
# Times Dask runs a chunk again after it raised. A chunk whose worker dies is not a failure of
# the chunk: the scheduler gives it to another worker (up to its `allowed-failures` deaths).
DASK_RETRIES: Final = 2
# Chunks in flight per worker thread: enough to keep every worker busy while results are read.
_IN_FLIGHT_PER_WORKER: Final = 2

Scores = dict[str, list[Any]]


class EngineError(LinkvetError, OSError):
    """An engine that cannot score the job: Dask not installed, its scheduler out of reach,
    workers whose linkvet or rules differ from this machine's (their scores would differ), or
    workers that die each time they score a chunk."""


@dataclass(frozen=True)
class ScoredChunk:
    chunk: Chunk
    scores: Scores


def fingerprint(scorer: Scorer) -> str:
    """The linkvet version and the digest of the rules `scorer` loads here: equal fingerprints
    score alike, so workers check theirs against the one the job was started with."""
    return f"linkvet {__version__}, rules {load_config(scorer.config_path).version}"


_loading = threading.Lock()


def score_chunk(scorer: Scorer, expected: str, columns: dict[str, np.ndarray], rows: int) -> Scores:
    """One chunk's scores; this is the task that every engine runs in its workers."""
    with _loading:  # threads of one worker share one engine, built once
        engine = _worker_engine(scorer, expected)
    return score_columns(scorer, columns, rows, engine)


@functools.lru_cache(maxsize=4)
def _worker_engine(scorer: Scorer, expected: str) -> Engine | None:
    """The scorer's engine in this worker process, built on its first chunk and kept."""
    found = fingerprint(scorer)
    if found != expected:
        raise EngineError(
            f"a worker has {found} where the job was started with {expected}; "
            "install the same linkvet and rules on every worker"
        )
    return None if scorer.vectorised else scorer.engine()


class _Pending(Protocol):
    def result(self) -> Scores: ...


class ChunkEngine(ABC):
    """Scores chunks in its workers and gives them back in the order given. It starts its
    workers with the first chunk; leaving its `with` block stops them."""

    def __init__(self, scorer: Scorer, *, workers: int | None) -> None:
        self.scorer = scorer
        self.workers = workers or min(2, os.cpu_count() or 1)
        self.in_flight = _IN_FLIGHT_PER_WORKER * self.workers
        self._fingerprint = fingerprint(scorer)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def scored(self, chunks: Iterable[Chunk]) -> Iterator[ScoredChunk]:
        """Every chunk with its scores, in the order given, at most `in_flight` being scored."""
        pending: deque[tuple[Chunk, _Pending]] = deque()
        for chunk in chunks:
            pending.append((chunk, self._submit(chunk)))
            while len(pending) > self.in_flight:
                done, result = pending.popleft()
                yield ScoredChunk(done, result.result())
        while pending:
            done, result = pending.popleft()
            yield ScoredChunk(done, result.result())

    @abstractmethod
    def _submit(self, chunk: Chunk) -> _Pending:
        """Start scoring `chunk` in a worker."""

    @abstractmethod
    def close(self) -> None:
        """Stop what the engine started; chunks not yet scored are dropped."""


class LocalEngine(ChunkEngine):
    """A pool of `workers` processes on this machine (default: up to 2)."""

    def __init__(self, scorer: Scorer, *, workers: int | None = None) -> None:
        super().__init__(scorer, workers=workers)
        self._pool: ProcessPoolExecutor | None = None

    def _submit(self, chunk: Chunk) -> _Pending:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers)
        return self._pool.submit(
            score_chunk, self.scorer, self._fingerprint, chunk.columns, len(chunk)
        )

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskEngine(ChunkEngine):
    """A Dask cluster: the scheduler at `scheduler`, or else a LocalCluster of `workers`
    single-threaded worker processes, started for the job and closed with the engine.

    A chunk goes to Dask with its rows, never as data scattered to one worker: if a worker dies,
    the scheduler can run its chunks again elsewhere.
    """

    def __init__(
        self, scorer: Scorer, *, workers: int | None = None, scheduler: str | None = None
    ) -> None:
        super().__init__(scorer, workers=workers)
        self.scheduler = scheduler
        self._job = uuid.uuid4().hex[:12]  # task keys of two jobs on one cluster never meet
        # Dask's classes are only partly typed: they are kept as Any.
        self._cluster: Any = None
        self._client: Any = None

    def _connect(self) -> Any:
        """The client, connected on first use (a LocalCluster started first if needed)."""
        if self._client is not None:
            return self._client
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise EngineError("the dask engine needs Dask: pip install 'linkvet[scale]'") from None
        if self.scheduler is None:
            self._cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                # No dashboard, and the scheduler's HTTP port chosen free: never 8787 in use.
                dashboard_address=None,
                scheduler_kwargs={"dashboard_address": ":0"},
            )
            self._client = Client(self._cluster)  # type: ignore[no-untyped-call]
        else:
            try:
                self._client = Client(self.scheduler)  # type: ignore[no-untyped-call]
            except OSError as error:
                raise EngineError(
                    f"cannot reach the Dask scheduler at {self.scheduler} ({error})"
                ) from None
        threads = sum(self._client.nthreads().values())
        self.in_flight = _IN_FLIGHT_PER_WORKER * max(threads, 1)
        return self._client

    def _submit(self, chunk: Chunk) -> _Pending:
        future = self._connect().submit(
            score_chunk,
            self.scorer,
            self._fingerprint,
            chunk.columns,
            len(chunk),
            key=f"linkvet-chunk-{self._job}-{chunk.first_row}",
            retries=DASK_RETRIES,
        )
        return _DaskChunk(future, chunk.first_row)

    def close(self) -> None:
        client, cluster = self._client, self._cluster
        self._client = self._cluster = None
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()


@dataclass(frozen=True)
class _DaskChunk:
    future: Any
    first_row: int

    def result(self) -> Scores:
        from distributed import KilledWorker

        try:
            scores: Scores = self.future.result()
        except KilledWorker:
            raise EngineError(
                f"Dask workers died each time they scored the chunk from row {self.first_row} "
                "(out of memory?)"
            ) from None
        return scores


def open_engine(
    name: str, scorer: Scorer, *, workers: int | None = None, scheduler: str | None = None
) -> ChunkEngine:
    """The engine called `name` ("local" or "dask") for `scorer`."""
    if name == "local":
        if scheduler is not None:
            raise ValueError("a scheduler address is for the dask engine only")
        return LocalEngine(scorer, workers=workers)
    if name == "dask":
        return DaskEngine(scorer, workers=workers, scheduler=scheduler)
    raise ValueError(f"unknown engine {name!r}; expected one of {', '.join(ENGINES)}")
