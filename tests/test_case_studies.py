"""The published case studies rate high with every cue shown by its excerpt; ordinary contacts
rate low. The examples are the ones `make run` prints."""

from __future__ import annotations

import json
from typing import Any

import pytest

from linkvet import assess
from linkvet.model import Assessment, Band
from tests.conftest import AS_OF, EXAMPLES

TEXT_FIELDS = ("invitation", "messages", "about", "headline", "experience")


def _text_at(document: dict[str, Any], path: str) -> str:
    """The text a dotted evidence path such as `messages[1].text` names in the JSON document."""
    value: Any = document
    for part in path.replace("]", "").replace("[", ".").split("."):
        value = value[int(part)] if part.isdigit() else value[part]
    assert isinstance(value, str)
    return value


def _assessed(name: str) -> tuple[dict[str, Any], Assessment]:
    path = EXAMPLES / name
    return json.loads(path.read_text()), assess(path, as_of=AS_OF)


def test_consultancy_case_study_rates_high_with_every_cue_excerpted() -> None:
    document, assessment = _assessed("case-study-consultancy.json")
    assert assessment.band == Band.HIGH
    codes = {signal.code for signal in assessment.signals}
    # The sequence of the public case study: paid reports, then questions, then e-mail, then a trip.
    assert {
        "offer.paid_reports",
        "imbalance.employer_interest",
        "channel.off_platform",
        "offer.paid_travel",
        "sequence.offer_probe_move",
    } <= codes
    for signal in assessment.signals:
        for evidence in signal.evidence:
            if evidence.excerpt is None or not evidence.field.startswith(TEXT_FIELDS):
                continue
            assert evidence.start is not None
            assert evidence.end is not None
            text = _text_at(document, evidence.field)
            assert text[evidence.start : evidence.end] == evidence.excerpt


def test_the_sequence_names_its_three_steps() -> None:
    _, assessment = _assessed("case-study-consultancy.json")
    (sequence,) = [s for s in assessment.signals if s.code == "sequence.offer_probe_move"]
    assert [evidence.field for evidence in sequence.evidence] == [
        "invitation.text",
        "messages[0].text",
        "messages[1].text",
    ]


@pytest.mark.parametrize("name", ["ordinary-recruiter.json", "genuine-contact.json"])
def test_ordinary_contacts_rate_low(name: str) -> None:
    _, assessment = _assessed(name)
    assert assessment.band == Band.LOW
    assert not [s for s in assessment.signals if s.weight > 0]


def test_no_rating_claims_certainty() -> None:
    _, assessment = _assessed("case-study-consultancy.json")
    assert assessment.probability < 0.95
    assert any("never proof" in text for text in assessment.limitations)
