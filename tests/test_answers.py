"""`answers.person`: the person's own answers as signals. A "yes" to a realise-stage question is
the matching text cue told by the person, so it sits in that cue's group and is damped with it;
shared contacts count only when one of them knows the contact; "no" and "unsure" raise nothing."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from linkvet.config import load_config
from linkvet.detector import AnalysisContext
from linkvet.detectors.answers import PersonAnswersDetector
from linkvet.engine import Engine
from linkvet.model import Evidence, IndicatorGroup, Profile, Signal
from linkvet.scoring import score
from tests.conftest import AS_OF

CONFIG = load_config()
CONTEXT = AnalysisContext(as_of=AS_OF, config=CONFIG)
QUESTIONS = (
    "wrote_straight_after_connecting",
    "shared_contacts",
    "contacts_vouched",
    "asked_to_move_channel",
    "asked_about_work_access",
    "offered_money_travel_gifts",
)


@pytest.fixture(scope="module")
def detector() -> PersonAnswersDetector:
    loaded = PersonAnswersDetector()
    loaded.load(CONFIG)
    return loaded


def answered(**answers: str) -> Profile:
    return Profile.model_validate({"answers": answers})


def found(detector: PersonAnswersDetector, **answers: str) -> dict[str, Signal]:
    signals = detector.analyze(answered(**answers), CONTEXT)
    by_code = {signal.code: signal for signal in signals}
    assert len(by_code) == len(signals), "one signal per code"
    return by_code


# ---------------------------------------------------------------------------------------------
# The model field.


def test_answers_are_optional_and_unknown_by_default() -> None:
    assert Profile().answers is None
    assert answered().answers is not None
    assert all(getattr(answered().answers, question) is None for question in QUESTIONS)


@pytest.mark.parametrize("value", ["maybe", "YES!", "true", "1"])
def test_answers_refuse_other_values(value: str) -> None:
    with pytest.raises(ValidationError):
        answered(shared_contacts=value)


def test_answers_refuse_unknown_questions() -> None:
    with pytest.raises(ValidationError, match="Extra inputs"):
        Profile.model_validate({"answers": {"shared_contact": "yes"}})


def test_answers_round_trip_through_json() -> None:
    profile = answered(asked_to_move_channel="yes", shared_contacts="unsure")
    again = Profile.model_validate_json(profile.model_dump_json(exclude_none=True))
    assert again == profile


# ---------------------------------------------------------------------------------------------
# One question at a time.

WARNING_SIGNS = [
    ("offered_money_travel_gifts", "answers.offered_money_travel_gifts", IndicatorGroup.OFFER),
    ("asked_to_move_channel", "answers.asked_to_move_channel", IndicatorGroup.CHANNEL),
    ("asked_about_work_access", "answers.asked_about_work_access", IndicatorGroup.IMBALANCE),
    (
        "wrote_straight_after_connecting",
        "answers.wrote_straight_after_connecting",
        IndicatorGroup.URGENCY,
    ),
]


@pytest.mark.parametrize(("question", "code", "group"), WARNING_SIGNS)
def test_a_yes_raises_the_cue_in_the_group_of_the_matching_text_cue(
    detector: PersonAnswersDetector, question: str, code: str, group: IndicatorGroup
) -> None:
    signals = found(detector, **{question: "yes"})
    assert list(signals) == [code]
    signal = signals[code]
    assert signal.detector == "answers.person"
    assert signal.group is group
    assert signal.weight > 0
    assert signal.evidence == (Evidence(field=f"answers.{question}", value="yes"),)
    assert signal.explanation.startswith("You said")


@pytest.mark.parametrize(("question", "code", "group"), WARNING_SIGNS)
@pytest.mark.parametrize("value", ["no", "unsure"])
def test_no_and_unsure_raise_nothing(
    detector: PersonAnswersDetector, question: str, code: str, group: IndicatorGroup, value: str
) -> None:
    assert found(detector, **{question: value}) == {}


def test_the_realise_answers_weigh_like_the_text_cues_they_match() -> None:
    """Told or read, the same cue should weigh about the same."""
    pairs = {
        "answers.asked_to_move_channel": ["channel.off_platform"],
        "answers.asked_about_work_access": ["imbalance.employer_interest"],
        "answers.wrote_straight_after_connecting": ["urgency.immediate_message"],
        "answers.offered_money_travel_gifts": [
            "offer.paid_reports",
            "offer.paid_travel",
            "payment.unusual",
        ],
    }
    for answer_code, text_codes in pairs.items():
        answer = CONFIG.signal_spec(answer_code)
        texts = [CONFIG.signal_spec(code) for code in text_codes]
        assert all(text.group == answer.group for text in texts), answer_code
        low, high = min(t.weight for t in texts), max(t.weight for t in texts)
        assert low <= answer.weight <= high, answer_code


def test_nothing_answered_raises_nothing(detector: PersonAnswersDetector) -> None:
    assert found(detector) == {}
    everything_unsure = dict.fromkeys(QUESTIONS, "unsure")
    assert found(detector, **everything_unsure) == {}
    everything_no = dict.fromkeys(QUESTIONS, "no")
    assert found(detector, **everything_no) == {}


# ---------------------------------------------------------------------------------------------
# Shared contacts.


def test_contacts_who_vouched_are_weak_reassurance(detector: PersonAnswersDetector) -> None:
    signals = found(detector, shared_contacts="yes", contacts_vouched="yes")
    assert list(signals) == ["answers.contacts_vouched"]
    signal = signals["answers.contacts_vouched"]
    assert -1.0 < signal.weight < 0
    assert {item.field for item in signal.evidence} == {
        "answers.contacts_vouched",
        "answers.shared_contacts",
    }


@pytest.mark.parametrize("vouched", [None, "no", "unsure"])
def test_shared_contacts_alone_are_a_note_not_evidence(
    detector: PersonAnswersDetector, vouched: str | None
) -> None:
    answers = {"shared_contacts": "yes"} | ({"contacts_vouched": vouched} if vouched else {})
    signals = found(detector, **answers)
    assert list(signals) == ["answers.shared_contacts_unvouched"]
    note = signals["answers.shared_contacts_unvouched"]
    assert note.weight == 0
    assert note.evidence[0] == Evidence(field="answers.shared_contacts", value="yes")
    assert len(note.evidence) == (2 if vouched else 1)
    assert note.advice


@pytest.mark.parametrize("shared", ["no", "unsure"])
def test_no_shared_contacts_is_no_evidence(detector: PersonAnswersDetector, shared: str) -> None:
    assert found(detector, shared_contacts=shared) == {}


# ---------------------------------------------------------------------------------------------
# Combinations, and how scoring treats them.

ALL_THREE: dict[str, Any] = {
    "offered_money_travel_gifts": "yes",
    "asked_about_work_access": "yes",
    "asked_to_move_channel": "yes",
}


def test_offer_probe_and_move_together_are_the_typical_pattern(
    detector: PersonAnswersDetector,
) -> None:
    signals = found(detector, **ALL_THREE)
    assert set(signals) == {
        "answers.offered_money_travel_gifts",
        "answers.asked_about_work_access",
        "answers.asked_to_move_channel",
        "answers.offer_probe_move",
    }
    pattern = signals["answers.offer_probe_move"]
    assert pattern.group is IndicatorGroup.SEQUENCE
    assert [item.field for item in pattern.evidence] == [
        "answers.offered_money_travel_gifts",
        "answers.asked_about_work_access",
        "answers.asked_to_move_channel",
    ]


@pytest.mark.parametrize("missing", sorted(ALL_THREE))
def test_two_of_three_are_not_the_pattern(detector: PersonAnswersDetector, missing: str) -> None:
    answers = {**ALL_THREE, missing: "unsure"}
    assert "answers.offer_probe_move" not in found(detector, **answers)


def test_the_three_answers_alone_make_a_high_rating(engine: Engine) -> None:
    assessment = engine.assess(answered(**ALL_THREE), as_of=AS_OF)
    assert assessment.band == "high"
    assert {"answers.offer_probe_move", "answers.asked_to_move_channel"} <= {
        signal.code for signal in assessment.signals
    }


def test_one_answer_alone_does_not_make_a_high_rating(engine: Engine) -> None:
    for question in ALL_THREE:
        assessment = engine.assess(answered(**{question: "yes"}), as_of=AS_OF)
        assert assessment.band != "high", question


def test_a_cue_both_pasted_and_answered_is_not_counted_twice_in_full(engine: Engine) -> None:
    """The message asks for WhatsApp and the person says so too: one observation, damped."""
    text_only = Profile.model_validate(
        {"messages": [{"text": "Let's continue on WhatsApp, it is more private."}]}
    )
    both = text_only.model_copy(update={"answers": answered(asked_to_move_channel="yes").answers})
    channel = IndicatorGroup.CHANNEL

    def channel_total(profile: Profile) -> float:
        reasons = engine.assess(profile, as_of=AS_OF).reasons
        return sum(r.contribution for r in reasons if r.signal.group is channel)

    read = channel_total(text_only)
    told_too = channel_total(both)
    answer_weight = CONFIG.signal_spec("answers.asked_to_move_channel").weight
    assert read > 0
    assert read < told_too < read + answer_weight
    assert told_too <= CONFIG.scoring.correlation.group_cap


def test_reassurance_lowers_but_cannot_clear(detector: PersonAnswersDetector) -> None:
    hostile = detector.analyze(answered(**ALL_THREE), CONTEXT)
    vouched = detector.analyze(
        answered(**ALL_THREE, shared_contacts="yes", contacts_vouched="yes"), CONTEXT
    )
    settings = CONFIG.scoring
    assert score(vouched, settings).probability < score(hostile, settings).probability
    assert score(vouched, settings).band != "low"


def test_engine_skips_the_detector_when_nothing_was_asked(engine: Engine) -> None:
    assessment = engine.assess(Profile(name="Ada Example"), as_of=AS_OF)
    skipped = {skip.id: skip.reason for skip in assessment.detectors_skipped}
    assert "answers.person" in skipped
    assert "answers" in skipped["answers.person"]
