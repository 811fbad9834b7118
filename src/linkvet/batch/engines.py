"""Where the chunks of a batch job are scored: `local`, a process pool on this machine, or `dask`,
a Dask cluster (the scheduler at an address, or a LocalCluster started for the job).

Both engines score a chunk with the same function, `score_chunk`, so they give the same scores;
when the job looks for campaigns, the same task also signs the chunk (`blocking.row_signatures`,
a pure function), so the text and photos are read in the workers, not in the driver.
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
from pathlib import Path
from typing import Any, Final, Protocol, Self

import numpy as np

from linkvet import __version__
from linkvet.batch.fileformat import Chunk
from linkvet.batch.scoring import Scorer, score_columns
from linkvet.campaigns.blocking import RowSignatures, row_signatures
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
class Signing:
    """How chunks are signed for campaign detection (`blocking.row_signatures`): the incoming
    messages read per profile, and the folder photo paths are relative to (None: no photos)."""

    max_messages: int = 3
    photo_folder: Path | None = None


@dataclass(frozen=True)
class ChunkResult:
    """A worker's answer for one chunk: its scores (None when only signed), and its campaign
    signatures (None when the job looks for no campaigns)."""

    scores: Scores | None
    signatures: RowSignatures | None


@dataclass(frozen=True)
class ScoredChunk:
    chunk: Chunk
    scores: Scores | None
    signatures: RowSignatures | None = None


def fingerprint(scorer: Scorer) -> str:
    """The linkvet version and the digest of the rules `scorer` loads here: equal fingerprints
    score alike, so workers check theirs against the one the job was started with."""
    return f"linkvet {__version__}, rules {load_config(scorer.config_path).version}"


_loading = threading.Lock()


def score_chunk(
    scorer: Scorer,
    expected: str,
    columns: dict[str, np.ndarray],
    rows: int,
    *,
    score: bool = True,
    signing: Signing | None = None,
) -> ChunkResult:
    """One chunk's scores (unless `score` is false: a chunk scored by an interrupted run) and
    its campaign signatures (when `signing` says how); this is the task that every engine runs
    in its workers."""
    scores = None
    if score:
        with _loading:  # threads of one worker share one engine, built once
            engine = _worker_engine(scorer, expected)
        scores = score_columns(scorer, columns, rows, engine)
    signatures = None
    if signing is not None:
        signatures = row_signatures(
            columns, photo_folder=signing.photo_folder, max_messages=signing.max_messages
        )
    return ChunkResult(scores, signatures)


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
    def result(self) -> ChunkResult: ...


class ChunkEngine(ABC):
    """Scores chunks in its workers and gives them back in the order given. It starts its
    workers with the first chunk; leaving its `with` block stops them."""

    def __init__(
        self, scorer: Scorer, *, workers: int | None, signing: Signing | None = None
    ) -> None:
        self.scorer = scorer
        self.signing = signing
        self.workers = workers or min(2, os.cpu_count() or 1)
        self.in_flight = _IN_FLIGHT_PER_WORKER * self.workers
        self._fingerprint = fingerprint(scorer)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def scored(
        self, chunks: Iterable[Chunk], *, already_scored: frozenset[int] = frozenset()
    ) -> Iterator[ScoredChunk]:
        """Every chunk with its scores and signatures, in the order given, at most `in_flight`
        in the workers. Chunks whose first row is in `already_scored` are only signed (and
        should not be given at all when the engine signs nothing)."""
        pending: deque[tuple[Chunk, _Pending]] = deque()

        def done() -> ScoredChunk:
            chunk, pending_result = pending.popleft()
            result = pending_result.result()
            return ScoredChunk(chunk, result.scores, result.signatures)

        for chunk in chunks:
            pending.append((chunk, self._submit(chunk, chunk.first_row not in already_scored)))
            while len(pending) > self.in_flight:
                yield done()
        while pending:
            yield done()

    def _task(self, chunk: Chunk) -> tuple[Scorer, str, dict[str, np.ndarray], int]:
        """The positional arguments of `score_chunk` for `chunk`."""
        return self.scorer, self._fingerprint, chunk.columns, len(chunk)

    @abstractmethod
    def _submit(self, chunk: Chunk, score: bool) -> _Pending:
        """Start scoring (if `score`) and signing (if the engine signs) `chunk` in a worker."""

    @abstractmethod
    def close(self) -> None:
        """Stop what the engine started; chunks not yet scored are dropped."""


class LocalEngine(ChunkEngine):
    """A pool of `workers` processes on this machine (default: up to 2)."""

    def __init__(
        self, scorer: Scorer, *, workers: int | None = None, signing: Signing | None = None
    ) -> None:
        super().__init__(scorer, workers=workers, signing=signing)
        self._pool: ProcessPoolExecutor | None = None

    def _submit(self, chunk: Chunk, score: bool) -> _Pending:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers)
        return self._pool.submit(score_chunk, *self._task(chunk), score=score, signing=self.signing)

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
        self,
        scorer: Scorer,
        *,
        workers: int | None = None,
        scheduler: str | None = None,
        signing: Signing | None = None,
    ) -> None:
        super().__init__(scorer, workers=workers, signing=signing)
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

    def _submit(self, chunk: Chunk, score: bool) -> _Pending:
        future = self._connect().submit(
            score_chunk,
            *self._task(chunk),
            score=score,
            signing=self.signing,
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

    def result(self) -> ChunkResult:
        from distributed import KilledWorker

        try:
            result: ChunkResult = self.future.result()
        except KilledWorker:
            raise EngineError(
                f"Dask workers died each time they scored the chunk from row {self.first_row} "
                "(out of memory?)"
            ) from None
        return result


def open_engine(
    name: str,
    scorer: Scorer,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    signing: Signing | None = None,
) -> ChunkEngine:
    """The engine called `name` ("local" or "dask") for `scorer`, signing chunks for campaign
    detection too when `signing` is given."""
    if name == "local":
        if scheduler is not None:
            raise ValueError("a scheduler address is for the dask engine only")
        return LocalEngine(scorer, workers=workers, signing=signing)
    if name == "dask":
        return DaskEngine(scorer, workers=workers, scheduler=scheduler, signing=signing)
    raise ValueError(f"unknown engine {name!r}; expected one of {', '.join(ENGINES)}")
