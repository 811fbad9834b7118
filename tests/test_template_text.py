"""Template text: a second persona reusing another's text is flagged, across processes, through
the real SQLite store; short or unrelated texts are not."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from linkvet.campaigns.text_index import TextIndex, fingerprint, profile_key
from linkvet.detectors.template import TemplateTextDetector
from linkvet.engine import Engine
from linkvet.model import Profile
from tests.conftest import AS_OF, EXAMPLES, ROOT

ABOUT = (
    "Passionate about connecting world-class experts with forward-looking clients across Asia. "
    "We offer flexible, well-paid advisory work for professionals with policy and technology "
    "insight, and we value discretion above all."
)


def persona(handle: str, name: str, about: str) -> Profile:
    return Profile.model_validate(
        {"platform": "linkedin", "handle": handle, "name": name, "about": about}
    )


def template_engine(index: TextIndex) -> Engine:
    return Engine(detectors=[TemplateTextDetector(index=index)])


def test_a_reused_about_text_is_flagged_even_lightly_edited(tmp_path: Path) -> None:
    index = TextIndex(tmp_path / "store.sqlite")
    first = persona("emma-clarke-1", "Emma Clarke", ABOUT)
    index.remember(first)
    edited = ABOUT.replace("world-class", "leading").replace("Asia", "ASIA")
    second = persona("daniel-wu-7", "Daniel Wu", edited)
    assessment = template_engine(index).assess(second, as_of=AS_OF)
    (signal,) = assessment.signals
    assert signal.code == "template.similar_text"
    assert "emma-clarke-1" in signal.explanation
    assert signal.evidence[0].field == "about"


def test_a_profile_never_matches_itself(tmp_path: Path) -> None:
    index = TextIndex(tmp_path / "store.sqlite")
    first = persona("emma-clarke-1", "Emma Clarke", ABOUT)
    index.remember(first)
    index.remember(first)  # seen twice: still one profile
    assert template_engine(index).assess(first, as_of=AS_OF).signals == ()
    assert len(index) == 1


def test_unrelated_and_short_texts_are_not_flagged(tmp_path: Path) -> None:
    index = TextIndex(tmp_path / "store.sqlite")
    index.remember(persona("a", "Ann Lee", ABOUT))
    other = persona(
        "b",
        "Bo Kim",
        "I build perception software for warehouse robots and mentor at Code Club in Bristol "
        "on Saturdays, mostly Python and a little C++.",
    )
    assert template_engine(index).assess(other, as_of=AS_OF).signals == ()
    assert fingerprint("Thanks for connecting!") is None


def test_the_store_persists_between_openings(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    index = TextIndex(path)
    index.remember(persona("emma-clarke-1", "Emma Clarke", ABOUT))
    index.close()
    reopened = TextIndex(path)
    assert len(reopened) == 1
    second = persona("daniel-wu-7", "Daniel Wu", ABOUT)
    assert [s.code for s in template_engine(reopened).assess(second).signals] == [
        "template.similar_text"
    ]


def test_without_a_store_the_assessment_says_so() -> None:
    assessment = Engine(detectors=[TemplateTextDetector()]).assess(persona("a", "Ann", ABOUT))
    (skip,) = assessment.detectors_skipped
    assert "no store" in skip.reason


def test_profile_key_prefers_url_then_handle() -> None:
    by_url = Profile(url="https://www.linkedin.com/in/x/", handle="y")
    assert profile_key(by_url) == profile_key(Profile(url="https://WWW.linkedin.com/in/x"))
    assert profile_key(Profile(handle="@y")) == profile_key(Profile(handle="y"))


def test_the_cli_flags_the_second_persona_across_runs(tmp_path: Path) -> None:
    fake: dict[str, Any] = json.loads((EXAMPLES / "fake-persona.json").read_text())
    twin = {**fake, "url": "https://www.linkedin.com/in/dw-77", "handle": "dw-77", "name": "D Wu"}
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    first.write_text(json.dumps(fake))
    second.write_text(json.dumps(twin))
    env = {**os.environ, "LINKVET_STORE": str(tmp_path / "store.sqlite")}

    def codes(path: Path) -> set[str]:
        done = subprocess.run(
            [sys.executable, "-m", "linkvet", "check", str(path), "--format", "json"],
            capture_output=True, text=True, cwd=ROOT, env=env, timeout=120, check=False,
        )  # fmt: skip
        result = json.loads(done.stdout)["results"][0]["assessment"]
        return {reason["signal"]["code"] for reason in result["reasons"]}

    assert "template.similar_text" not in codes(first)
    assert "template.similar_text" in codes(second)
