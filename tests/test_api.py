"""The Python API: a small public surface, the same answer for the same input, plug-ins welcome."""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

import linkvet
from linkvet import AnalysisContext, Assessment, Band, Detector, Engine, Evidence, Profile, Signal
from linkvet.api import load_profile
from linkvet.config import load_config
from linkvet.registry import available_detector_classes, default_detectors
from tests.conftest import AS_OF, EXAMPLES


def test_public_api_is_pinned() -> None:
    assert linkvet.__all__ == [
        "AnalysisContext",
        "Assessment",
        "Band",
        "Config",
        "ConfigError",
        "Detector",
        "Engine",
        "Evidence",
        "IndicatorGroup",
        "InputError",
        "LinkvetError",
        "Profile",
        "Signal",
        "__version__",
        "assess",
        "load_config",
        "load_profile",
    ]
    assert linkvet.__all__ == sorted(linkvet.__all__)


def test_assess_takes_a_path_a_dict_or_a_profile() -> None:
    path = EXAMPLES / "fake-persona.json"
    data = json.loads(path.read_text())
    # A file's relative photo path is read from the file's folder; a dict has no folder.
    data["photo"]["path"] = str(EXAMPLES / data["photo"]["path"])
    from_path = linkvet.assess(path)
    from_text_path = linkvet.assess(str(path))
    from_dict = linkvet.assess(data)
    from_profile = linkvet.assess(Profile.model_validate(data))
    assert from_path.band == Band.HIGH
    assert (
        from_path.without_timings()
        == from_text_path.without_timings()
        == from_dict.without_timings()
        == from_profile.without_timings()
    )


def test_same_input_same_assessment() -> None:
    first = Engine().assess(load_profile(EXAMPLES / "fake-persona.json"))
    second = Engine().assess(load_profile(EXAMPLES / "fake-persona.json"))
    assert first.without_timings() == second.without_timings()
    assert json.dumps(first.without_timings(), sort_keys=True) == json.dumps(
        second.without_timings(), sort_keys=True
    )


def test_assessment_round_trips_through_json() -> None:
    assessment = linkvet.assess(EXAMPLES / "fake-persona.json")
    again = Assessment.model_validate_json(assessment.model_dump_json())
    assert again == assessment


def test_assessment_records_versions_and_skips() -> None:
    assessment = linkvet.assess({"name": "Sam Lee"}, as_of=AS_OF)
    assert assessment.versions.linkvet == linkvet.__version__
    assert assessment.versions.rules == load_config().version
    skipped = {skip.id: skip.reason for skip in assessment.detectors_skipped}
    assert skipped["profile.account_age"] == "needs joined, which the profile does not give"
    assert "experience or education" in skipped["timeline.dates"]
    ran = {run.id for run in assessment.detectors_run}
    assert ran.isdisjoint(skipped)
    local = {cls.id for cls in available_detector_classes() if not cls.remote}
    assert ran | set(skipped) == local
    assert assessment.limitations


def test_signals_are_identified_by_detector_code_and_evidence() -> None:
    evidence = (Evidence(field="name", excerpt="x", start=0, end=1),)
    one = Signal(
        detector="d", code="c", group="identity", weight=1, explanation="a", evidence=evidence
    )
    same = one.model_copy(update={"explanation": "worded differently", "weight": 2})
    other = one.model_copy(update={"evidence": (Evidence(field="about"),)})
    assert one == same
    assert hash(one) == hash(same)
    assert len({one, same, other}) == 2


class ExplodingDetector(Detector):
    id: ClassVar[str] = "test.exploding"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = "Always fails."

    def analyze(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        raise RuntimeError("boom")


def test_a_failing_detector_is_reported_not_fatal() -> None:
    engine = Engine(detectors=[*default_detectors(), ExplodingDetector()])
    assessment = engine.assess(load_profile(EXAMPLES / "fake-persona.json"))
    failed = {skip.id: skip.reason for skip in assessment.detectors_skipped}
    assert failed["test.exploding"] == "failed: RuntimeError: boom"
    assert assessment.band == Band.HIGH


@pytest.fixture
def installed_plugin(tmp_path: Path) -> Iterator[None]:
    """A real distribution on sys.path that registers a detector through the entry point."""
    (tmp_path / "linkvet_demo_plugin.py").write_text(
        textwrap.dedent(
            """
            from typing import ClassVar
            from linkvet import Detector, Evidence

            class ShoutingNameDetector(Detector):
                id: ClassVar[str] = "demo.shouting_name"
                version: ClassVar[str] = "0.1"
                requires: ClassVar[tuple[str, ...]] = ("name",)
                description: ClassVar[str] = "Names in capitals."

                def analyze(self, profile, context):
                    return []
            """
        )
    )
    info = tmp_path / "linkvet_demo_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: linkvet-demo-plugin\nVersion: 0.1\n"
    )
    (info / "entry_points.txt").write_text(
        "[linkvet.detectors]\nshouting = linkvet_demo_plugin:ShoutingNameDetector\n"
    )
    sys.path.insert(0, str(tmp_path))
    try:
        yield
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("linkvet_demo_plugin", None)


@pytest.mark.usefixtures("installed_plugin")
def test_third_party_detectors_come_through_entry_points() -> None:
    ids = [cls.id for cls in available_detector_classes()]
    assert "demo.shouting_name" in ids
    assessment = Engine().assess(Profile(name="ANNA"), as_of=AS_OF)
    assert "demo.shouting_name" in {run.id for run in assessment.detectors_run}
