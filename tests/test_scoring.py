"""Scoring: log-odds from weights, correlated cues damped and capped, bands from the config."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkvet.config import ScoringSettings, load_config
from linkvet.model import Band, Evidence, IndicatorGroup, Signal
from linkvet.scoring import logit, score, sigmoid


def make_signal(
    code: str, weight: float, group: IndicatorGroup = IndicatorGroup.PRESENCE
) -> Signal:
    return Signal(
        detector="test",
        code=code,
        group=group,
        weight=weight,
        explanation=f"{code} seen",
        evidence=(Evidence(field="about", excerpt=code),),
    )


@pytest.fixture
def settings() -> ScoringSettings:
    return load_config().scoring


def test_no_signals_gives_the_prior(settings: ScoringSettings) -> None:
    result = score([], settings)
    assert result.probability == pytest.approx(settings.prior)
    assert result.band == Band.LOW
    assert result.reasons == ()


def test_independent_groups_add(settings: ScoringSettings) -> None:
    signals = [
        make_signal("a", 1.0, IndicatorGroup.PRESENCE),
        make_signal("b", 0.8, IndicatorGroup.ROLE),
    ]
    result = score(signals, settings)
    assert result.log_odds == pytest.approx(logit(settings.prior) + 1.8)


def test_correlated_cues_are_damped(settings: ScoringSettings) -> None:
    damping = settings.correlation.damping
    signals = [make_signal("a", 1.0), make_signal("b", 0.8), make_signal("c", 0.6)]
    result = score(signals, settings)
    expected = 1.0 + 0.8 * damping + 0.6 * damping**2
    assert result.log_odds == pytest.approx(logit(settings.prior) + expected)


def test_a_group_never_exceeds_its_cap(settings: ScoringSettings) -> None:
    signals = [make_signal(f"s{index}", 2.0) for index in range(50)]
    result = score(signals, settings)
    moved = result.log_odds - logit(settings.prior)
    assert moved == pytest.approx(settings.correlation.group_cap)


def test_duplicates_count_once(settings: ScoringSettings) -> None:
    once = score([make_signal("a", 1.0)], settings)
    twice = score([make_signal("a", 1.0), make_signal("a", 1.0)], settings)
    assert once == twice


def test_reassuring_cues_are_ranked_after_warnings(settings: ScoringSettings) -> None:
    signals = [
        make_signal("reassure", -0.4, IndicatorGroup.PRESENCE),
        make_signal("weak", 0.3, IndicatorGroup.IDENTITY),
        make_signal("strong", 1.2, IndicatorGroup.ROLE),
    ]
    codes = [reason.signal.code for reason in score(signals, settings).reasons]
    assert codes == ["strong", "weak", "reassure"]


def test_bands_follow_thresholds(settings: ScoringSettings) -> None:
    prior = logit(settings.prior)
    for target, band in [(0.2, Band.LOW), (0.5, Band.MEDIUM), (0.9, Band.HIGH)]:
        needed = logit(target) - prior
        groups = list(IndicatorGroup)
        # Spread the evidence over groups so that no cap applies.
        per_group = needed / 4
        signals = [make_signal(f"g{i}", per_group, groups[i]) for i in range(4)]
        result = score(signals, settings)
        assert result.probability == pytest.approx(target)
        assert result.band == band


@given(st.lists(st.tuples(st.sampled_from(list(IndicatorGroup)), st.floats(-10, 10)), max_size=40))
def test_probability_is_bounded_and_order_free(weights: list[tuple[IndicatorGroup, float]]) -> None:
    settings = load_config().scoring
    signals = [make_signal(f"s{i}", weight, group) for i, (group, weight) in enumerate(weights)]
    forward = score(signals, settings)
    backward = score(list(reversed(signals)), settings)
    assert 0.0 <= forward.probability <= 1.0
    assert forward.log_odds == pytest.approx(backward.log_odds)
    bound = settings.correlation.max_evidence
    assert abs(forward.log_odds - logit(settings.prior)) <= bound + 1e-9


def test_no_rating_is_near_certain(settings: ScoringSettings) -> None:
    signals = [make_signal(f"s{group}", 5.0, group) for group in IndicatorGroup]
    result = score(signals, settings)
    ceiling = sigmoid(logit(settings.prior) + settings.correlation.max_evidence)
    assert result.band == Band.HIGH
    assert result.probability == pytest.approx(ceiling)
    assert result.probability < 0.95


def test_sigmoid_is_stable_at_extremes() -> None:
    assert sigmoid(1000) == 1.0
    assert sigmoid(-1000) == 0.0
    assert sigmoid(logit(0.3)) == pytest.approx(0.3)
    assert not math.isnan(sigmoid(-745.2))
