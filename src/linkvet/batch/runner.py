"""Running a scorer over a whole batch file: chunks read in a stream, scored in a local process
pool (each worker builds its engine once), written in order to the output, or gathered with the
labels for `linkvet evaluate`. Memory stays bounded by the chunk size and the number of chunks in
flight, whatever the file's length.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from linkvet.batch.fileformat import BatchWriter, Chunk, count_rows, read_batches
from linkvet.batch.scoring import Scorer, score_columns
from linkvet.engine import Engine

_worker_engine: Engine | None = None
_worker_scorer: Scorer | None = None


def _start_worker(scorer: Scorer) -> None:
    # Heavy resources (rules, models) are loaded once per worker, never per row.
    global _worker_engine, _worker_scorer
    _worker_scorer = scorer
    _worker_engine = None if scorer.vectorised else scorer.engine()


def _score_in_worker(columns: dict[str, np.ndarray], rows: int) -> dict[str, list[Any]]:
    assert _worker_scorer is not None
    return score_columns(_worker_scorer, columns, rows, _worker_engine)


@dataclass(frozen=True)
class ScoredChunk:
    chunk: Chunk
    scores: dict[str, list[Any]]


def scored_chunks(
    source: Path,
    scorer: Scorer,
    *,
    workers: int | None = None,
    chunk_rows: int = 65_536,
    file_format: str | None = None,
    progress: bool = True,
) -> Iterator[ScoredChunk]:
    """Every chunk of `source` with its scores, in file order."""
    workers = workers or min(2, os.cpu_count() or 1)
    total = count_rows(source, file_format=file_format)
    with (
        _progress(progress, total) as advance,
        ProcessPoolExecutor(
            max_workers=workers, initializer=_start_worker, initargs=(scorer,)
        ) as pool,
    ):
        pending: deque[tuple[Chunk, Future[dict[str, list[Any]]]]] = deque()
        for chunk in read_batches(source, chunk_rows=chunk_rows, file_format=file_format):
            pending.append((chunk, pool.submit(_score_in_worker, chunk.columns, len(chunk))))
            while len(pending) > 2 * workers:  # bounded: a few chunks in flight at most
                done, future = pending.popleft()
                yield ScoredChunk(done, future.result())
                advance(len(done))
        while pending:
            done, future = pending.popleft()
            yield ScoredChunk(done, future.result())
            advance(len(done))


def score_file(
    source: Path,
    target: Path,
    scorer: Scorer,
    *,
    workers: int | None = None,
    chunk_rows: int = 65_536,
    output_format: str | None = None,
    progress: bool = True,
) -> int:
    """Score every row of `source` into `target` (written aside, renamed when complete)."""
    rows = 0
    with BatchWriter(target, file_format=output_format) as writer:
        for scored in scored_chunks(
            source, scorer, workers=workers, chunk_rows=chunk_rows, progress=progress
        ):
            output = dict(scored.scores)
            label = scored.chunk.columns.get("label")
            if label is not None:
                output["label"] = label.tolist()
            writer.write(output)
            rows += len(scored.chunk)
    return rows


def labelled_scores(
    source: Path, scorer: Scorer, *, workers: int | None = None, progress: bool = True
) -> tuple[np.ndarray, np.ndarray, int]:
    """(labels, probabilities) of every labelled, scored row, and how many rows were left out."""
    labels: list[np.ndarray] = []
    scores: list[np.ndarray] = []
    left_out = 0
    for scored in scored_chunks(source, scorer, workers=workers, progress=progress):
        label = scored.chunk.columns.get("label")
        if label is None:
            raise ValueError(f"{source}: no label column; evaluation needs labelled rows")
        probability = np.asarray(scored.scores["probability"], dtype=float)
        usable = ~np.isnan(label) & ~np.isnan(probability)
        left_out += int((~usable).sum())
        labels.append(label[usable].astype(int))
        scores.append(probability[usable])
    return np.concatenate(labels), np.concatenate(scores), left_out


class _progress:
    """A progress bar over rows (with the total when the file says it cheaply), or nothing."""

    def __init__(self, enabled: bool, total: int | None) -> None:
        columns = (TextColumn("Scoring"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        self._bar = Progress(*columns, transient=True) if enabled else None
        self._total = total

    def __enter__(self) -> Callable[[int], None]:
        if self._bar is None:
            return lambda rows: None
        self._bar.start()
        task = self._bar.add_task("rows", total=self._total)
        bar = self._bar
        return lambda rows: bar.advance(task, rows)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
