"""Shared machinery of the per-detector case tables: run one detector on one profile and compare
its signals (codes and evidence fields) with what a case expects.

Every case runs against the real rule files and a fixed reference date, so results never depend on
today's date. Detectors are called directly, so an exception fails the test instead of being
recorded as a skip.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any, Final

import pytest

from linkvet.config import Config, load_config
from linkvet.detector import AnalysisContext, Detector
from linkvet.detectors import BUILTIN_DETECTORS
from linkvet.engine import Engine
from linkvet.model import Profile, Signal

AS_OF: Final = dt.date(2026, 11, 20)

# (code, field paths of its evidence, in order), one per signal expected.
Expected = list[tuple[str, tuple[str, ...]]]
# The codes a negative case may raise (reassuring ones only), or None: the detector is skipped.
Allowed = frozenset[str] | None
NONE: Final[frozenset[str]] = frozenset()
SKIPPED: Final = None


@cache
def _config() -> Config:
    return load_config()


@cache
def _detector(detector_id: str) -> Detector:
    classes = {cls.id: cls for cls in BUILTIN_DETECTORS}
    detector = classes[detector_id]()
    detector.load(_config())
    return detector


def _findings(detector_id: str, data: dict[str, Any]) -> list[Signal] | None:
    """The detector's signals for `data`, or None when the engine would skip it."""
    detector = _detector(detector_id)
    profile = Profile.model_validate(data)
    if detector.missing_inputs(profile):
        return None
    return detector.analyze(profile, AnalysisContext(as_of=AS_OF, config=_config()))


def _shape(signals: list[Signal]) -> list[tuple[str, tuple[str, ...]]]:
    return sorted((signal.code, tuple(e.field for e in signal.evidence)) for signal in signals)


def assert_positive(detector_id: str, data: dict[str, Any], expected: Expected) -> None:
    signals = _findings(detector_id, data)
    assert signals is not None, (
        f"{detector_id} was skipped: it needs {_detector(detector_id).requires}"
    )
    assert {signal.code for signal in signals} == {code for code, _ in expected}
    assert _shape(signals) == sorted(expected)
    for signal in signals:
        assert signal.detector == detector_id
        assert signal.weight > 0
        assert "{" not in signal.explanation, signal.explanation


def assert_negative(detector_id: str, data: dict[str, Any], allowed: Allowed) -> None:
    signals = _findings(detector_id, data)
    if allowed is SKIPPED:
        assert signals is None, f"expected a skip, got {_shape(signals or [])}"
        return
    assert signals is not None, f"{detector_id} was skipped"
    assert {signal.code for signal in signals} == allowed
    assert all(signal.weight <= 0 for signal in signals)


def assert_engine_agrees(detector_id: str, data: dict[str, Any]) -> None:
    """The engine, running only this detector, reports what calling it directly finds."""
    fresh = {cls.id: cls for cls in BUILTIN_DETECTORS}[detector_id]()
    assessment = Engine(detectors=[fresh], config=_config()).assess(
        Profile.model_validate(data), as_of=AS_OF
    )
    direct = _findings(detector_id, data)
    assert direct is not None
    assert assessment.detectors_skipped == ()
    assert [run.signals for run in assessment.detectors_run] == [len(direct)]
    assert set(assessment.signals) == set(direct)


def engine_cases(tables: dict[str, list[Any]]) -> list[Any]:
    """One `(detector_id, profile)` case per positive case of each detector's table."""
    return [
        pytest.param(detector_id, case.values[0], id=f"{detector_id}-{case.id}")
        for detector_id, table in tables.items()
        for case in table
    ]
