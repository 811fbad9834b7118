"""`linkvet convert`: any profile file in, linkvet JSON or JSON Resume out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

LINKVET = str(Path(sys.executable).parent / "linkvet")
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "genuine-contact.json"


def _run(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([LINKVET, *arguments], capture_output=True, text=True, check=False)


def test_json_resume_out_and_back_keeps_the_profile(tmp_path: Path) -> None:
    resume = tmp_path / "resume.json"
    assert _run("convert", str(EXAMPLE), "--to", "json-resume", "-o", str(resume)).returncode == 0
    written = json.loads(resume.read_text(encoding="utf-8"))
    assert written["basics"]["name"] == "Priya Raman"
    assert written["work"], "experience becomes JSON Resume work"
    back = _run("convert", str(resume))
    assert back.returncode == 0, back.stderr
    profile = json.loads(back.stdout)
    original = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    for field in ("name", "headline", "location", "about"):
        assert profile[field] == original[field]
    assert [e.get("organisation") for e in profile["experience"]] == [
        e.get("organisation") for e in original["experience"]
    ]


def test_convert_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    archive.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    result = _run("convert", str(archive))
    assert result.returncode == 5
    assert "scan-export" in result.stderr
    assert not list(tmp_path.glob("*.tmp"))
