"""The optional semantic layer, with the real bundled model (installed by `make test`)."""

from __future__ import annotations

import pytest

from linkvet.detectors.semantic import SemanticDetector
from linkvet.engine import Engine
from linkvet.model import Profile
from linkvet.registry import default_detectors, select_detectors
from tests.conftest import AS_OF


@pytest.fixture(scope="module")
def semantic_engine() -> Engine:
    return Engine(detectors=select_detectors(["approach.phrases", "approach.semantic"]))


def conversation(*texts: str) -> Profile:
    return Profile.model_validate(
        {"invitation": {"text": texts[0]}, "messages": [{"text": text} for text in texts[1:]]}
    )


def test_it_is_off_by_default_and_says_so() -> None:
    engine = Engine(detectors=default_detectors())
    assessment = engine.assess(conversation("Hello, nice to meet you."), as_of=AS_OF)
    skips = {skip.id: skip.reason for skip in assessment.detectors_skipped}
    assert "--semantic" in skips["approach.semantic"]


def test_it_catches_a_paraphrase_the_phrase_rules_miss(semantic_engine: Engine) -> None:
    paraphrase = "Could we carry on this chat over a messenger app that is more secure?"
    plain = Engine(detectors=select_detectors(["approach.phrases"]))
    assert "channel.off_platform" not in {
        s.code for s in plain.assess(conversation(paraphrase), as_of=AS_OF).signals
    }
    signals = semantic_engine.assess(conversation(paraphrase), as_of=AS_OF).signals
    found = [s for s in signals if s.detector == "approach.semantic"]
    assert [s.code for s in found] == ["channel.off_platform"]
    assert "Found by meaning" in found[0].explanation
    evidence = found[0].evidence[0]
    assert evidence.start is not None
    assert evidence.end is not None
    assert paraphrase[evidence.start : evidence.end] == evidence.excerpt


def test_it_never_repeats_what_the_phrase_rules_found(semantic_engine: Engine) -> None:
    text = "Please add me on WhatsApp so we can talk privately."
    signals = semantic_engine.assess(conversation(text), as_of=AS_OF).signals
    assert [s.detector for s in signals if s.code == "channel.off_platform"] == ["approach.phrases"]


@pytest.mark.parametrize(
    "text",
    [
        "We do not pay for reports and we will never ask you to move off LinkedIn.",
        "Thanks for the talk at PyCon UK on Sunday, it was great to meet you.",
        "Our team is hiring a backend engineer in Leeds; the job description is on our site.",
    ],
)
def test_ordinary_or_negated_sentences_raise_nothing(semantic_engine: Engine, text: str) -> None:
    signals = semantic_engine.assess(conversation(text), as_of=AS_OF).signals
    assert [s for s in signals if s.detector == "approach.semantic"] == []


def test_the_model_loads_from_the_package_not_a_hub() -> None:
    detector = SemanticDetector(enabled=True)
    Engine(detectors=[detector])
    assert detector.unavailable_reason() is None
