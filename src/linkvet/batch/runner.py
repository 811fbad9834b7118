"""Running a scorer over a whole batch file.

`score_file` is a resumable job. Chunks read in a stream go to an engine (engines.py); each
chunk's scores are written as a part file in a work folder beside the output (`OUT.parts/`), and
when every chunk is scored the parts are joined, in file order, into the output, which appears
whole or not at all. The work folder's manifest records what the parts were made from (the
input's identity, the chunk size, the detectors and rules): a rerun with `resume=True` and the
same arguments scores only the chunks not yet done, and refuses, saying what changed, otherwise.

With `campaigns`, the workers also sign every chunk for campaign detection (chunks reused from an
interrupted run are signed again, not scored again); once all are in, the campaigns are found,
each member's row takes its campaign's columns and score as the parts are joined
(campaign_output.py), and the campaigns are written to `OUT.campaigns/`.

`labelled_scores` gathers the scores with the labels for `linkvet evaluate`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import fcntl
import glob
import hashlib
import json
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final

import numpy as np
import pyarrow.parquet as pq
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from linkvet._files import write_atomically
from linkvet.batch.campaign_output import campaign_files, campaign_folder, with_campaigns
from linkvet.batch.engines import LocalEngine, ScoredChunk, Signing, fingerprint, open_engine
from linkvet.batch.fileformat import (
    BatchFormatError,
    BatchWriter,
    Chunk,
    count_rows,
    detect_format,
    read_batches,
)
from linkvet.batch.scoring import Scorer
from linkvet.campaigns.clustering import CampaignConfig, CampaignFinder, CampaignResult
from linkvet.config import Config
from linkvet.errors import LinkvetError

# The input's identity in the manifest includes a hash of its first bytes: a file rewritten with
# the same size within the file system's time resolution is still told apart, mostly.
_HEAD_BYTES: Final = 1 << 20
_MANIFEST: Final = "manifest.json"
_LOCK: Final = ".lock"


class WorkFolderError(LinkvetError, ValueError):
    """A work folder that this job cannot use: an interrupted run's, made with other arguments
    or from another input (when resuming), one in use by another job, or one not linkvet's."""


class OutputWriteError(LinkvetError, OSError):
    """A part or the output could not be written (a full disk, say). No output was left half
    written; the chunks finished before are kept for a resumed run."""


@dataclass(frozen=True)
class BatchRun:
    """What a job did: rows written, chunks scored now or reused from an interrupted run, and
    the campaigns found (None unless asked for) with the folder they were written to."""

    rows: int
    chunks_scored: int
    chunks_reused: int
    campaigns: CampaignResult | None = None
    campaign_folder: Path | None = None


def work_folder(target: Path) -> Path:
    """Where the job writing `target` keeps its parts: `target` with `.parts` added."""
    return target.with_name(f"{target.name}.parts")


def score_file(
    source: Path,
    target: Path,
    scorer: Scorer,
    *,
    engine: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    chunk_rows: int = 65_536,
    output_format: str | None = None,
    progress: bool = True,
    campaigns: CampaignConfig | None = None,
) -> BatchRun:
    """Score every row of `source` into `target`, chunk by chunk on `engine` ("local" or
    "dask"; `scheduler` is a Dask scheduler's address, else a LocalCluster of `workers` is
    started). With `resume`, chunks finished by an interrupted run with the same arguments are
    reused; without it, such a run's work is discarded. `target` is replaced only when whole.
    With `campaigns`, campaigns are found across all rows too (see the module's docstring);
    photo paths in the rows are read relative to the folder of `source`."""
    source, target = Path(source), Path(target)
    manifest = _manifest(source, scorer, chunk_rows)
    signing = None
    if campaigns is not None:
        signing = Signing(max_messages=campaigns.max_messages, photo_folder=source.parent)
    chunk_engine = open_engine(
        engine, scorer, workers=workers, scheduler=scheduler, signing=signing
    )
    finder = None if campaigns is None else CampaignFinder(campaigns)
    timings: dict[str, float] = {}
    folder = _WorkFolder(target)
    with folder.opened(manifest, resume=resume) as finished:
        first_rows: list[int] = []  # of every chunk, in file order
        started = time.perf_counter()
        with _progress(progress, count_rows(source)) as advance, chunk_engine:

            def to_do() -> Iterator[Chunk]:
                for chunk in read_batches(source, chunk_rows=chunk_rows):
                    first_rows.append(chunk.first_row)
                    if chunk.first_row not in finished or finder is not None:
                        yield chunk  # scored, or (when finished) only signed again
                    else:
                        advance(len(chunk))

            for scored in chunk_engine.scored(to_do(), already_scored=frozenset(finished)):
                if scored.scores is not None:
                    folder.write_part(scored.chunk, scored.scores)
                if finder is not None and scored.signatures is not None:
                    finder.add_signatures(scored.signatures)
                advance(len(scored.chunk))
        timings["score_and_sign"] = time.perf_counter() - started
        reused = len(finished.intersection(first_rows))
        run = BatchRun(rows=0, chunks_scored=len(first_rows) - reused, chunks_reused=reused)
        if finder is None or campaigns is None:
            rows = folder.join(first_rows, output_format)
            # An older run's campaigns do not describe this output.
            shutil.rmtree(campaign_folder(target), ignore_errors=True)
            return dataclasses.replace(run, rows=rows)
        started = time.perf_counter()
        result = finder.clusters()
        timings["cluster"] = time.perf_counter() - started
        with folder.writing_campaigns(result, campaigns, timings) as written:
            rows = folder.join(first_rows, output_format, campaigns=(result, scorer.config()))
    return dataclasses.replace(run, rows=rows, campaigns=result, campaign_folder=written)


def _manifest(source: Path, scorer: Scorer, chunk_rows: int) -> dict[str, Any]:
    """What the parts are made from; a resumed run must match it in every entry."""
    if chunk_rows < 1:
        raise ValueError("chunk_rows must be at least 1")
    try:
        status = source.stat()
        with source.open("rb") as stream:
            head = hashlib.sha256(stream.read(_HEAD_BYTES)).hexdigest()
    except OSError as error:
        message = f"cannot read the file ({error.strerror or error})"
        raise BatchFormatError(message, path=source) from None
    return {
        "input": {"bytes": status.st_size, "modified_ns": status.st_mtime_ns, "head": head},
        "format": detect_format(source),
        "chunk_rows": chunk_rows,
        "detectors": list(scorer.detector_ids),
        "as_of": None if scorer.as_of is None else scorer.as_of.isoformat(),
        "rules": fingerprint(scorer),
    }


# How each manifest entry is named when a resumed run differs in it.
_ENTRY_NAMES: Final = {
    "input": "the input file (its size, time or first bytes)",
    "format": "the input format",
    "chunk_rows": "the chunk size",
    "detectors": "the detectors",
    "as_of": "the as-of date",
    "rules": "the rules or the linkvet version",
}


def _is_ours(name: str) -> bool:
    """The lock, or a temporary file (BatchWriter's and write_atomically's ".NAME.HEX.tmp")."""
    return name == _LOCK or (name.startswith(".") and name.endswith(".tmp"))


class _WorkFolder:
    """`OUT.parts/`: the manifest, one Parquet part per finished chunk (named by the chunk's
    first row), and a lock that keeps a second job out while this one runs."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.path = work_folder(target)

    @contextlib.contextmanager
    def opened(self, manifest: dict[str, Any], *, resume: bool) -> Iterator[set[int]]:
        """The first rows of the chunks already finished (none unless resuming). On success
        the folder is removed; after a failure it stays if it holds a part worth resuming."""
        created = not self.path.exists()
        with self._writing(self.path):
            self.path.mkdir(exist_ok=True)
        lock = self._lock()
        try:
            self._prepare(manifest, resume=resume)
        except BaseException:
            lock.close()  # a folder this job cannot use is left as it was found
            if created:
                shutil.rmtree(self.path, ignore_errors=True)
            raise
        kept = False
        try:
            yield self.finished()
        except BatchFormatError:
            raise  # the input (or what was written) breaks the format: its parts are no use
        except BaseException:
            kept = bool(self.finished())
            raise
        finally:
            if not kept:  # removed before the lock is let go, so no other job is in it yet
                shutil.rmtree(self.path, ignore_errors=True)
            lock.close()

    def _lock(self) -> IO[bytes]:
        lock = (self.path / _LOCK).open("ab")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            raise WorkFolderError(
                f"{self.target}: another job is writing it (its work folder {self.path} is locked)"
            ) from None
        return lock

    def _prepare(self, manifest: dict[str, Any], *, resume: bool) -> None:
        names = [item.name for item in self.path.iterdir()]
        if _MANIFEST not in names and not all(_is_ours(name) for name in names):
            raise WorkFolderError(
                f"{self.path} is in the way: it holds files but no {_MANIFEST}, so it is not a "
                "linkvet work folder; move it away"
            )
        if resume and _MANIFEST in names:
            changed = self._changed(manifest)
            if changed:
                raise WorkFolderError(
                    f"{self.target}: cannot resume the interrupted run in {self.path}, as "
                    f"{', '.join(changed)} changed since. Run again without --resume to start "
                    "afresh."
                )
        for name in names:
            # Temporary files of a killed run, and its parts unless they are being resumed.
            if (_is_ours(name) and name != _LOCK) or (not resume and name.endswith(".parquet")):
                (self.path / name).unlink()
        for stale in self.target.parent.glob(f".{glob.escape(self.target.name)}.*.tmp"):
            stale.unlink()  # a killed run's half-joined output
        with self._writing(self.path / _MANIFEST):
            write_atomically(self.path / _MANIFEST, json.dumps(manifest, indent=2) + "\n")

    def _changed(self, manifest: dict[str, Any]) -> list[str]:
        """What differs between the interrupted run's manifest and this job's, in words."""
        try:
            found = json.loads((self.path / _MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            found = None
        if not isinstance(found, dict):
            return ["its manifest (unreadable)"]
        return [name for key, name in _ENTRY_NAMES.items() if found.get(key) != manifest[key]]

    def finished(self) -> set[int]:
        return {int(part.stem) for part in self.path.glob("*.parquet") if part.stem.isdigit()}

    def _part(self, first_row: int) -> Path:
        return self.path / f"{first_row:012d}.parquet"

    def write_part(self, chunk: Chunk, scores: dict[str, list[Any]]) -> None:
        """The chunk's scores (and labels) as a part, written aside and renamed when whole."""
        columns = dict(scores)
        label = chunk.columns.get("label")
        if label is not None:
            columns["label"] = label.tolist()
        part = self._part(chunk.first_row)
        with self._writing(part), BatchWriter(part, file_format="parquet") as writer:
            writer.write(columns)

    def join(
        self,
        first_rows: list[int],
        output_format: str | None,
        *,
        campaigns: tuple[CampaignResult, Config] | None = None,
    ) -> int:
        """Every part, in file order, into the target, with each row's campaign when
        `campaigns` (the result and the rules) is given: written aside, renamed when whole."""
        rows = 0
        with self._writing(self.target), BatchWriter(self.target, file_format=output_format) as out:
            for first_row in first_rows:
                part = pq.read_table(self._part(first_row))
                columns = part.to_pydict()
                if campaigns is not None:
                    result, config = campaigns
                    start = first_row - 1  # data rows are numbered from 1, campaign rows from 0
                    found = result.columns_for_rows(start, start + part.num_rows)
                    columns = with_campaigns(columns, found, config)
                out.write(columns)
                rows += part.num_rows
        return rows

    @contextlib.contextmanager
    def writing_campaigns(
        self, result: CampaignResult, settings: CampaignConfig, timings: dict[str, float]
    ) -> Iterator[Path]:
        """`campaign_output.campaign_files`, with a full disk reported as for the parts."""
        with (
            self._writing(self.target),
            campaign_files(result, self.target, settings, timings) as path,
        ):
            yield path

    @contextlib.contextmanager
    def _writing(self, path: Path) -> Iterator[None]:
        try:
            yield
        except OSError as error:
            if isinstance(error, LinkvetError):
                raise
            reason = "the disk is full" if error.errno == errno.ENOSPC else error.strerror
            kept = len(self.finished()) if self.path.is_dir() else 0
            advice = (
                f"; the {kept} chunk(s) finished are kept in {self.path}: run again with "
                "--resume once that is solved"
                if kept
                else ""
            )
            raise OutputWriteError(f"cannot write {path} ({reason or error}){advice}") from error


def scored_chunks(
    source: Path,
    scorer: Scorer,
    *,
    workers: int | None = None,
    chunk_rows: int = 65_536,
    file_format: str | None = None,
    progress: bool = True,
) -> Iterator[ScoredChunk]:
    """Every chunk of `source` with its scores, in file order, scored by the local engine."""
    with (
        _progress(progress, count_rows(source, file_format=file_format)) as advance,
        LocalEngine(scorer, workers=workers) as engine,
    ):
        chunks = read_batches(source, chunk_rows=chunk_rows, file_format=file_format)
        for scored in engine.scored(chunks):
            yield scored
            advance(len(scored.chunk))


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
        assert scored.scores is not None  # every chunk is scored: none is given as done
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
