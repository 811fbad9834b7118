"""The `linkvet` command, run as a user runs it: a real process, real files, real exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import EXAMPLES, ROOT

LINKVET = [sys.executable, "-m", "linkvet"]


def run(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*LINKVET, *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "120", **(env or {})},
        check=False,
    )


def schema_of(which: str) -> dict[str, object]:
    result = run("schema", which)
    assert result.returncode == 0, result.stderr
    schema: dict[str, object] = json.loads(result.stdout)
    return schema


def test_examples_rate_as_designed() -> None:
    fake = run("check", str(EXAMPLES / "fake-persona.json"))
    genuine = run("check", str(EXAMPLES / "genuine-contact.json"))
    assert fake.returncode == 4, fake.stderr
    assert "HIGH" in fake.stdout
    assert "Reasons, strongest first" in fake.stdout
    assert genuine.returncode == 0, genuine.stderr
    assert "LOW" in genuine.stdout
    # Honest output: it says what it cannot see.
    assert "never proof" in genuine.stdout


def test_json_output_matches_published_schema() -> None:
    result = run(
        "check", *sorted(str(path) for path in EXAMPLES.glob("*.json")), "--format", "json"
    )
    assert result.returncode == 4
    report = json.loads(result.stdout)
    jsonschema.validate(report, schema_of("check-report"))
    bands = {Path(item["source"]).name: item["assessment"]["band"] for item in report["results"]}
    assert bands == {
        "case-study-consultancy.json": "high",
        "fake-persona.json": "high",
        "genuine-contact.json": "low",
        "ordinary-recruiter.json": "low",
    }
    for item in report["results"]:
        jsonschema.validate(item["assessment"], schema_of("assessment"))


def test_examples_match_the_profile_schema() -> None:
    schema = schema_of("profile")
    for path in EXAMPLES.glob("*.json"):
        jsonschema.validate(json.loads(path.read_text()), schema)


def test_stdin_is_read_with_dash() -> None:
    result = run(
        "check", "-", "--format", "json", stdin=(EXAMPLES / "fake-persona.json").read_bytes()
    )
    assert result.returncode == 4
    assert json.loads(result.stdout)["results"][0]["source"] == "-"


def test_medium_has_its_own_exit_code(tmp_path: Path) -> None:
    profile = tmp_path / "medium.json"
    profile.write_text(
        json.dumps(
            {
                "name": "Alex Morgan",
                "headline": "Director of Partnerships",
                "counts": {"connections": 40},
                "joined": "2026-06",
                "observed_at": "2026-11-20",
            }
        )
    )
    result = run("check", str(profile), "--format", "json")
    assert json.loads(result.stdout)["results"][0]["assessment"]["band"] == "medium"
    assert result.returncode == 3


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"{not json", "not valid JSON"),
        (b"[1, 2]", "expected a JSON object"),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
        (b'{"counts": {"connections": -5}}', "counts.connections"),
        (b'{"joined": "9999"}', "joined"),
        (b"[" * 10_000 + b"]" * 10_000, "nested too deeply"),
        (json.dumps({"about": "x" * 10_000_000}).encode(), "about"),
        (b'{"experience": [{"start": "Smarch 2019"}]}', "experience[0].start"),
    ],
    ids=["malformed", "array", "binary", "negative", "year-9999", "deep", "10mb-about", "bad-date"],
)
def test_bad_input_gets_a_clear_message(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    started = time.monotonic()
    result = run("check", str(path))
    assert time.monotonic() - started < 30
    assert result.returncode == 5
    assert "Traceback" not in result.stderr
    assert words in result.stderr
    assert str(path) in result.stderr
    assert len(result.stderr) < 2000


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(1024**3)  # sparse: 1 GB that takes no disk
    started = time.monotonic()
    result = run("check", str(path))
    assert time.monotonic() - started < 30
    assert result.returncode == 5
    assert "larger than the 32 MB limit" in result.stderr


def test_huge_stdin_is_refused() -> None:
    result = run("check", "-", stdin=b" " * (33 * 1024 * 1024))
    assert result.returncode == 5
    assert "larger than" in result.stderr


@pytest.mark.parametrize(("target", "words"), [("missing.json", "no such file"), (".", "folder")])
def test_unreadable_paths(target: str, words: str) -> None:
    result = run("check", target)
    assert result.returncode == 5
    assert words in result.stderr


def test_good_files_are_still_reported_beside_a_bad_one(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    result = run("check", str(EXAMPLES / "genuine-contact.json"), str(bad), "--format", "json")
    assert result.returncode == 5
    results = json.loads(result.stdout)["results"]
    assert [item["ok"] for item in results] == [True, False]
    assert results[1]["error"]["kind"] == "input"


def test_usage_errors_exit_2() -> None:
    assert run("check").returncode == 2
    assert run("check", "x.json", "--format", "xml").returncode == 2
    assert run("frobnicate").returncode == 2


def test_unknown_detector_is_a_usage_error() -> None:
    result = run("check", str(EXAMPLES / "fake-persona.json"), "--detectors", "nope")
    assert result.returncode == 2
    assert "no detector 'nope'" in result.stderr


def test_detector_selection_by_family() -> None:
    result = run(
        "check", str(EXAMPLES / "fake-persona.json"), "--detectors", "timeline", "--format", "json"
    )
    ran = {
        item["id"]
        for item in json.loads(result.stdout)["results"][0]["assessment"]["detectors_run"]
    }
    assert ran == {"timeline.dates", "timeline.overlap", "timeline.seniority", "timeline.education"}


def test_config_override_changes_the_band(tmp_path: Path) -> None:
    override = tmp_path / "team.yaml"
    override.write_text("scoring:\n  prior: 0.001\n  bands:\n    medium: 0.9\n    high: 0.99\n")
    result = run("check", str(EXAMPLES / "fake-persona.json"), "--config", str(override))
    assert result.returncode == 0
    via_env = run(
        "check", str(EXAMPLES / "fake-persona.json"), env={"LINKVET_CONFIG": str(override)}
    )
    assert via_env.returncode == 0


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("scoring:\n  bands:\n    medium: 0.8\n    high: 0.5\n", "medium threshold must be below"),
        ("scoring: [1, 2\n", "not valid YAML"),
        ("weights: {}\n", "unknown top-level key"),
        (
            "families:\n  profile:\n    signals:\n      account.new:\n        weight: 99\n",
            "less than or equal to 10",
        ),
        ("families:\n  profile:\n    params:\n      new_days: -1\n", "new_days"),
    ],
)
def test_bad_config_exits_6(tmp_path: Path, text: str, words: str) -> None:
    override = tmp_path / "team.yaml"
    override.write_text(text)
    result = run("check", str(EXAMPLES / "fake-persona.json"), "--config", str(override))
    assert result.returncode == 6, result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.stderr


def test_detectors_lists_ids_versions_and_inputs() -> None:
    result = run("detectors", "--format", "json")
    assert result.returncode == 0
    rows = json.loads(result.stdout)["detectors"]
    by_id = {row["id"]: row for row in rows}
    assert by_id["profile.account_age"]["requires"] == ["joined"]
    assert all(row["version"] for row in rows)
    text = run("detectors")
    assert "timeline.overlap" in text.stdout


def test_profile_text_is_never_console_markup(tmp_path: Path) -> None:
    path = tmp_path / "markup.json"
    path.write_text(
        json.dumps(
            {"name": "[bold red]Boss[/] [link=http://x]y[/link]", "observed_at": "2026-11-20"}
        )
    )
    result = run("check", str(path))
    assert "[bold red]Boss[/]" in result.stdout
