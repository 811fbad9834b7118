"""The conformance suite every registered detector must pass, in the spirit of scikit-learn's
`check_estimator`: stable declared identity, valid inputs, no exception on an empty or a maximal
profile, and signals that carry an explanation and evidence and match the rule files."""

from __future__ import annotations

import inspect
import re
import time
import typing
from typing import Any

import pytest
from pydantic import BaseModel

from linkvet.config import load_config
from linkvet.detector import AnalysisContext, Detector
from linkvet.model import Profile, Signal
from linkvet.registry import available_detector_classes
from tests.conftest import AS_OF

CLASSES = available_detector_classes()
IDS = [cls.id for cls in CLASSES]
CONFIG = load_config()
CONTEXT = AnalysisContext(as_of=AS_OF, config=CONFIG)


def maximal_profile() -> Profile:
    """Every field given, long lists, odd Unicode: the most a detector will ever be handed."""
    role = {
        "title": "Senior Director of Strategy",
        "organisation": "Global Insight Consulting Group",
        "location": "London",
        "employment_type": "full-time",
        "start": "Jan 2019",
        "end": "Present",
        "duration_months": "1 yr 2 mos",
        "description": "Advisory work " * 200,
    }
    past = [
        {
            "title": f"Analyst {index} \u202e\u200b",
            "organisation": f"Firm {index % 7}",
            "employment_type": "full-time" if index % 2 else None,
            "start": f"{1990 + index % 30}",
            "end": f"{1989 + index % 35}",
        }
        for index in range(498)
    ]
    data: dict[str, Any] = {
        "platform": "linkedin",
        "url": "https://www.linkedin.com/in/émma-cla\u0441ke-12345678",
        "handle": "emma-cla\u0441ke-12345678",
        "name": "Emma Cla\u0441ke 007 \U0001f600",
        "headline": "Chief Executive Officer | Board Member | Investor",
        "location": "London",
        "about": "مرحبا 你好 " * 5_000,
        "photo": {"path": "/nonexistent/photo.jpg", "url": "https://example.com/photo.jpg"},
        "banner": {"url": "https://example.org/banner.jpg"},
        "experience": [role, *past, {**role, "start": "2030", "end": "2029", "current": None}],
        "education": [
            {"school": "Uni", "degree": "PhD", "start": "2001", "end": "2004"},
            {"school": "Uni", "degree": "BSc", "start": "2010", "end": "2013"},
            {"school": "School", "degree": "MBA", "start": "2018", "end": "2035"},
        ],
        "skills": [{"name": f"Skill {index}", "endorsements": index} for index in range(500)],
        "recommendations": [{"author": "A", "text": "Great", "date": "2020"}] * 50,
        "certifications": [{"name": "Cert", "issuer": "Body", "date": "2021"}],
        "languages": [{"name": "English", "proficiency": "Native"}],
        "counts": {"connections": 3, "followers": "12K", "following": 7000, "posts": 0},
        "joined": "2026-11-01",
        "verifications": [{"kind": "identity"}],
        "last_active": "2026-11",
        "contact": {"emails": ["a@b.c"], "websites": ["https://x"], "phones": ["+44"]},
        "connected_at": "2026-11-18T09:00:00Z",
        "invitation": {"text": "Hello " * 1000, "sent_at": "2026-11-18T08:00:00Z"},
        "messages": [{"text": "Hi " * 100, "channel": "linkedin"}] * 200,
        "answers": {
            "wrote_straight_after_connecting": "yes",
            "shared_contacts": "yes",
            "contacts_vouched": "unsure",
            "asked_to_move_channel": "yes",
            "asked_about_work_access": "yes",
            "offered_money_travel_gifts": "yes",
        },
        "observed_at": "2026-11-20",
    }
    return Profile.model_validate(data)


MAXIMAL = maximal_profile()


def valid_field_paths(model: type[BaseModel], prefix: str = "") -> set[str]:
    paths = set()
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        paths.add(path)
        for inner in _models_in(field.annotation):
            paths |= valid_field_paths(inner, f"{path}.")
    return paths


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in typing.get_args(annotation) for model in _models_in(arg)]


PROFILE_PATHS = valid_field_paths(Profile)


def loaded(cls: type[Detector]) -> Detector:
    detector = cls()
    detector.load(CONFIG)
    return detector


def test_ids_are_unique() -> None:
    assert len(IDS) == len(set(IDS))


@pytest.mark.parametrize("cls", CLASSES, ids=IDS)
def test_declares_identity(cls: type[Detector]) -> None:
    assert re.fullmatch(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*", cls.id)
    assert isinstance(cls.version, str)
    assert cls.version
    assert cls.description.strip()
    assert isinstance(cls.requires, tuple)


@pytest.mark.parametrize("cls", CLASSES, ids=IDS)
def test_requires_names_real_fields(cls: type[Detector]) -> None:
    for path in cls.requires:
        for choice in path.split("|"):
            assert choice in PROFILE_PATHS, f"{cls.id} requires unknown field {choice!r}"


@pytest.mark.parametrize("cls", CLASSES, ids=IDS)
def test_constructor_is_keyword_only(cls: type[Detector]) -> None:
    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    for parameter in parameters:
        assert parameter.kind is inspect.Parameter.KEYWORD_ONLY, parameter.name


@pytest.mark.parametrize("cls", CLASSES, ids=IDS)
def test_empty_profile_gives_no_signal_or_is_skipped(cls: type[Detector]) -> None:
    detector = loaded(cls)
    empty = Profile()
    if detector.missing_inputs(empty):
        return
    assert detector.analyze(empty, CONTEXT) == []


@pytest.mark.parametrize("cls", CLASSES, ids=IDS)
def test_maximal_profile_is_handled_quickly(cls: type[Detector]) -> None:
    detector = loaded(cls)
    assert detector.missing_inputs(MAXIMAL) == []
    started = time.perf_counter()
    signals = detector.analyze(MAXIMAL, CONTEXT)
    assert time.perf_counter() - started < 2.0
    assert all(isinstance(signal, Signal) for signal in signals)
    check_signals(detector, signals)


@pytest.mark.parametrize("cls", CLASSES, ids=IDS)
def test_analysis_is_deterministic(cls: type[Detector]) -> None:
    first = loaded(cls).analyze(MAXIMAL, CONTEXT)
    second = loaded(cls).analyze(MAXIMAL, CONTEXT)
    assert [s.model_dump() for s in first] == [s.model_dump() for s in second]


def check_signals(detector: Detector, signals: list[Signal]) -> None:
    for signal in signals:
        spec = CONFIG.signal_spec(signal.code)
        assert signal.detector == detector.id
        assert signal.weight == spec.weight
        assert signal.group == spec.group
        assert signal.explanation.strip()
        assert "{" not in signal.explanation, "unfilled placeholder"
        assert signal.evidence
        for item in signal.evidence:
            root = re.sub(r"\[\d+\]", "", item.field)
            assert root in PROFILE_PATHS, f"evidence names unknown field {item.field!r}"


def test_every_signal_code_in_rules_is_emitted_by_some_detector() -> None:
    """Rule files hold no dead entries: every code is referenced by a built-in detector (or, for
    campaign.member, by the batch job's campaign detection)."""
    import linkvet.batch.campaign_output
    import linkvet.detectors as package

    sources = "".join(
        inspect.getsource(module)
        for module in {inspect.getmodule(cls) for cls in CLASSES}
        if module is not None
    ) + inspect.getsource(linkvet.batch.campaign_output)
    assert package
    phrase_codes = {
        code for family in CONFIG.families.values() for code in family.params.get("phrases", {})
    }
    for family in CONFIG.families.values():
        for code in family.signals:
            emitted = f'"{code}"' in sources or code in phrase_codes
            assert emitted, f"signal {code!r} is never emitted"


def test_every_phrase_rule_has_a_signal() -> None:
    """A phrase rule without a signal entry (weight, texts) would fail at the first match."""
    for name, family in CONFIG.families.items():
        for code in family.params.get("phrases", {}):
            assert code in family.signals, f"rules/{name}.yaml: phrase rule {code!r} has no signal"
