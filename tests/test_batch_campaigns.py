"""`linkvet batch --campaigns` (issue 9): campaigns found across a generated corpus with planted
campaigns, on the local engine and on a Dask LocalCluster of two workers with the same result;
each member's assessment raised by its campaign; the job killed mid-way and resumed; the
campaign folder whole or absent. Real files, real processes, a real Dask cluster."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from linkvet.batch.campaign_output import (
    SIGNAL,
    TABLES,
    campaign_files,
    campaign_folder,
)
from linkvet.batch.fileformat import BatchWriter
from linkvet.batch.runner import BatchRun, score_file, work_folder
from linkvet.batch.scoring import Scorer
from linkvet.campaigns.clustering import CampaignConfig, CampaignFinder
from linkvet.campaigns.corpus import generate_corpus
from linkvet.campaigns.planted import measure_output
from linkvet.cli import cli
from tests.conftest import ROOT
from tests.test_batch_engines import SCORER, wait_for

ROWS = 3000
CHUNK_ROWS = 200
CHUNKS = ROWS // CHUNK_ROWS
FAST = Scorer(("account.model",))
SETTINGS = CampaignConfig()

# The job as a user's process runs it, for killing: every local detector, so it takes long
# enough to be killed half-way.
DRIVER = """
import sys
from pathlib import Path
from linkvet.batch.runner import score_file
from tests.test_batch_campaigns import CHUNK_ROWS, SETTINGS
from tests.test_batch_engines import SCORER
score_file(Path(sys.argv[1]), Path(sys.argv[2]), SCORER, chunk_rows=CHUNK_ROWS, resume=True,
           progress=False, campaigns=SETTINGS)
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "profiles.parquet"
    generate_corpus(path, profiles=ROWS, campaigns=12, seed=3)
    return path


def run(source: Path, target: Path, scorer: Scorer = FAST, **options: Any) -> BatchRun:
    options.setdefault("chunk_rows", CHUNK_ROWS)
    options.setdefault("campaigns", SETTINGS)
    return score_file(source, target, scorer, progress=False, **options)


def folder_tables(target: Path) -> dict[str, pa.Table]:
    return {name: pq.read_table(campaign_folder(target) / f"{name}.parquet") for name in TABLES}


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output of a clean run on the local engine."""
    target = tmp_path_factory.mktemp("reference") / "scores.parquet"
    done = run(corpus, target)
    assert (done.rows, done.chunks_scored, done.chunks_reused) == (ROWS, CHUNKS, 0)
    assert done.campaign_folder == campaign_folder(target)
    return target


def test_both_engines_find_the_same_campaigns(
    corpus: Path, reference: Path, tmp_path: Path
) -> None:
    """The same job on a Dask LocalCluster of two workers gives the same rows and campaigns."""
    target = tmp_path / "scores.parquet"
    done = run(corpus, target, engine="dask", workers=2)
    assert done.rows == ROWS
    assert pq.read_table(target).equals(pq.read_table(reference))
    for name, table in folder_tables(reference).items():
        assert folder_tables(target)[name].equals(table), name
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "scores.parquet",
        "scores.parquet.campaigns",
    ]


def test_signing_in_the_workers_finds_what_signing_here_finds(
    corpus: Path, reference: Path
) -> None:
    """The engine's workers sign chunks; one finder fed the whole file here agrees."""
    finder = CampaignFinder(SETTINGS)
    finder.add(pq.read_table(corpus).to_pydict())
    here = finder.clusters()
    assert here.campaigns.equals(folder_tables(reference)["campaigns"])
    assert here.columns_for_rows(0, ROWS)["campaign"] == (
        pq.read_table(reference).column("campaign").to_pylist()
    )


def test_planted_campaigns_are_found(corpus: Path, reference: Path) -> None:
    found = measure_output(reference, corpus)
    assert found.planted_campaigns == 12
    assert found.row_recall >= 0.95
    assert found.campaigns_found >= 11
    assert found.strong_precision >= 0.95
    summary = json.loads((campaign_folder(reference) / "summary.json").read_text())
    assert summary["rows"] == ROWS
    assert summary["campaigns"] == folder_tables(reference)["campaigns"].num_rows


def test_a_member_is_rated_with_its_campaign(reference: Path) -> None:
    rows = pq.read_table(reference).to_pylist()
    members = [row for row in rows if row["campaign"] is not None]
    others = [row for row in rows if row["campaign"] is None]
    assert members
    assert others
    for row in others:
        assert row["probability"] == row["profile_probability"]
        assert SIGNAL not in json.loads(row["reasons"])
        assert row["campaign_size"] is row["campaign_score"] is row["campaign_evidence"] is None
    for row in members:
        assert row["probability"] > row["profile_probability"]
        assert json.loads(row["reasons"])[0] == SIGNAL
        assert row["campaign_size"] >= 2
        assert 0 < row["campaign_score"] <= 1
        assert row["campaign_evidence"]
        assert row["campaign_reasons"]
    strong = [row for row in members if row["campaign_score"] >= 0.9]
    assert strong
    assert all(row["band"] in ("medium", "high") for row in strong)
    # Raised, never to certainty: the scoring's cap on all evidence holds.
    assert max(row["probability"] for row in members) < 0.95


def test_the_job_killed_mid_way_resumes_with_its_campaigns(corpus: Path, tmp_path: Path) -> None:
    """Chunks scored before the kill are reused, signed again, and the campaigns are those of
    an uninterrupted run."""
    target = tmp_path / "scores.parquet"
    job = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(corpus), str(target)],
        cwd=ROOT, start_new_session=True, stderr=subprocess.PIPE,
    )  # fmt: skip
    parts = work_folder(target)
    try:
        wait_for(lambda: len(list(parts.glob("*.parquet"))) >= 2 or job.poll() is not None)
        assert job.poll() is None, job.stderr.read() if job.stderr else ""
    finally:
        os.killpg(job.pid, signal.SIGKILL)
        job.communicate()
    finished = len(list(parts.glob("*.parquet")))
    assert 2 <= finished < CHUNKS
    assert not target.exists()
    assert not campaign_folder(target).exists()

    resumed = run(corpus, target, SCORER, resume=True)
    assert (resumed.chunks_reused, resumed.chunks_scored) == (finished, CHUNKS - finished)
    uninterrupted = tmp_path / "again.parquet"
    run(corpus, uninterrupted, SCORER)
    assert pq.read_table(target).equals(pq.read_table(uninterrupted))
    for name, table in folder_tables(uninterrupted).items():
        assert folder_tables(target)[name].equals(table), name


def test_the_campaign_folder_is_whole_or_absent(reference: Path, tmp_path: Path) -> None:
    finder = CampaignFinder(SETTINGS)
    finder.add({"id": np.array(["a", "b"], dtype=object)})
    result = finder.clusters()
    target = tmp_path / "scores.parquet"
    earlier = campaign_folder(target)
    shutil.copytree(campaign_folder(reference), earlier)
    with (  # noqa: PT012
        pytest.raises(OSError, match="the output could not be written"),
        campaign_files(result, target, SETTINGS, {}) as final,
    ):
        assert final == earlier
        raise OSError("the output could not be written")
    assert sorted(path.name for path in tmp_path.iterdir()) == [earlier.name]
    assert folder_tables(target)["campaigns"].equals(folder_tables(reference)["campaigns"])

    with campaign_files(result, target, SETTINGS, {"cluster": 0.5}):
        pass
    assert sorted(path.name for path in tmp_path.iterdir()) == [earlier.name]
    summary = json.loads((earlier / "summary.json").read_text())
    assert (summary["rows"], summary["campaigns"], summary["seconds"]) == (2, 0, {"cluster": 0.5})


def test_a_run_without_campaigns_removes_an_older_runs_folder(corpus: Path, tmp_path: Path) -> None:
    target = tmp_path / "scores.csv"
    run(corpus, target)
    assert campaign_folder(target).is_dir()
    run(corpus, target, campaigns=None)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["scores.csv"]
    assert "campaign" not in target.read_text().splitlines()[0]


def test_rows_missing_fields_and_sharing_ids_are_clustered(tmp_path: Path) -> None:
    """A CSV with only ids and About texts, one id given twice: the copies take one campaign."""
    template = (
        "We connect senior experts in {} with clients who value candid insight on export "
        "controls and pay well for short reports, all done remotely and discreetly."
    )
    source = tmp_path / "few.csv"
    with BatchWriter(source) as writer:
        writer.write(
            {
                "id": ["a", "b", "c", "a", "d", None],
                "about": [
                    template.format("energy"),
                    template.format("defence"),
                    template.format("space"),
                    template.format("energy"),
                    "I teach maths and coach the school chess club on Thursdays after lessons.",
                    None,
                ],
            }
        )
    target = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        cli, ["batch", str(source), "-o", str(target), "--detectors", "account.model",
              "--campaigns"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Found 1 campaign(s) with 4 member rows" in result.output
    rows = [json.loads(line) for line in target.read_text().splitlines()]
    assert [row["campaign"] for row in rows] == [1, 1, 1, 1, None, None]
    assert {row["campaign_size"] for row in rows[:4]} == {3}  # "a" twice is one profile
    members = pq.read_table(campaign_folder(target) / "members.parquet").to_pylist()
    assert [member["duplicate_of"] for member in members] == [None, None, None, 0]


def test_attribute_links_can_be_chosen_and_bad_ones_are_refused(
    corpus: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out.parquet"
    arguments = ["batch", str(corpus), "-o", str(target), "--detectors", "account.model",
                 "--campaigns"]  # fmt: skip
    result = CliRunner().invoke(cli, [*arguments, "--attribute-links", "colour+window"])
    assert result.exit_code == 2
    assert "--attribute-links: unknown attribute link 'colour+window'" in result.output
    assert not target.exists()
    links = "employer+window,email_domain+window,pattern+window"
    result = CliRunner().invoke(
        cli, [*arguments, "--attribute-links", links, "--chunk-rows", "500"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads((campaign_folder(target) / "summary.json").read_text())
    assert summary["settings"]["attribute_links"] == links.split(",")
