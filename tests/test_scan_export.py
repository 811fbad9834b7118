"""`linkvet scan-export` on a realistic export, run as a user runs it: a real process, the real
engine, the HTML report on disk, and the exit code of the worst band."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from linkvet.cli import BAND_EXIT, ExitCode
from linkvet.model import Band
from tests.conftest import ROOT
from tests.export_fixture import FixtureFacts, write_fixture_export

# The report's table rows: rank, band, then the contact's name.
REPORT_ROW = re.compile(
    r'<tr><td>(\d+)</td><td><span class="band"[^>]*>(\w+)</span>.*?</td><td>([^<]*)', re.DOTALL
)
# Generous for a slow CI machine; on a laptop the scan takes about a second.
MAX_SECONDS = 20


def scan(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "linkvet", "scan-export", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "160"},
        check=False,
    )
    return result, time.perf_counter() - started


@pytest.fixture(scope="module")
def scanned(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[FixtureFacts, subprocess.CompletedProcess[str], str]:
    folder = tmp_path_factory.mktemp("scan")
    archive = folder / "Basic_LinkedInDataExport_11-21-2026.zip"
    facts = write_fixture_export(archive)
    report = folder / "report.html"
    result, seconds = scan(str(archive), "--report", str(report), "--top", "100")
    print(f"scan-export of the fixture took {seconds:.2f} s")
    assert seconds < MAX_SECONDS
    return facts, result, report.read_text(encoding="utf-8")


def test_exit_code_is_that_of_the_high_band(
    scanned: tuple[FixtureFacts, subprocess.CompletedProcess[str], str],
) -> None:
    _, result, _ = scanned
    assert result.returncode == BAND_EXIT[Band.HIGH], result.stderr
    assert "Traceback" not in result.stderr


def test_the_planted_approach_is_ranked_first_and_high(
    scanned: tuple[FixtureFacts, subprocess.CompletedProcess[str], str],
) -> None:
    facts, result, page = scanned
    rows = [(int(rank), band, html.unescape(name)) for rank, band, name in REPORT_ROW.findall(page)]
    assert rows[0] == (1, "high", facts.hostile_name)
    assert [band for _, band, _ in rows].count("high") == 1
    # In the terminal too: the first row of the table names it.
    first_row = next(line for line in result.stdout.splitlines() if re.match(r"\W+1\W", line))
    assert facts.hostile_name in first_row
    assert "high" in first_row


def test_the_genuine_recruiter_is_low(
    scanned: tuple[FixtureFacts, subprocess.CompletedProcess[str], str],
) -> None:
    facts, result, page = scanned
    bands = {name: band for _, band, name in REPORT_ROW.findall(page)}
    assert bands[facts.recruiter_name] == "low"
    recruiter_row = next(
        line for line in result.stdout.splitlines() if facts.recruiter_name in line
    )
    assert " low " in recruiter_row


def test_the_formula_is_shown_only_escaped(
    scanned: tuple[FixtureFacts, subprocess.CompletedProcess[str], str],
) -> None:
    facts, _, page = scanned
    assert html.escape(facts.formula_text) in page
    assert facts.formula_text not in page
    assert "<a " not in page  # nothing from the export became a link


def test_the_report_lists_what_was_left_out(
    scanned: tuple[FixtureFacts, subprocess.CompletedProcess[str], str],
) -> None:
    facts, result, page = scanned
    assert f"{facts.drafts} draft(s), never sent, were left out" in page
    assert "note: messages.csv" in result.stdout


def test_an_unusable_archive_is_a_clear_error(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    archive.write_bytes(b"PK\x03\x04 this is not really a zip")
    report = tmp_path / "report.html"
    result, _ = scan(str(archive), "--report", str(report))
    assert result.returncode == ExitCode.BAD_INPUT
    assert "not a readable zip archive" in result.stderr
    assert "Traceback" not in result.stderr
    assert not report.exists()
