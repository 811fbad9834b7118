"""Evidence → probability → band.

Each signal's weight is a log-likelihood ratio. Naive Bayes would add them to the prior log-odds,
but cues in one indicator group are correlated (a thin history and a missing education are much the
same observation), so within a group the strongest cue counts in full, the next `damping` times its
weight, the next `damping**2`, and the group's total is capped. Cues for and against a fake are
damped separately, and the evidence as a whole is capped too, so that no rating is near-certain. docs/scoring.md explains the choice and the numbers.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from linkvet.config import ScoringSettings
from linkvet.model import Band, IndicatorGroup, Reason, Signal


@dataclass(frozen=True, slots=True)
class Score:
    probability: float
    log_odds: float
    band: Band
    reasons: tuple[Reason, ...]


def logit(probability: float) -> float:
    return math.log(probability / (1 - probability))


def sigmoid(log_odds: float) -> float:
    if log_odds >= 0:
        return 1 / (1 + math.exp(-log_odds))
    exp = math.exp(log_odds)
    return exp / (1 + exp)


def score(signals: Iterable[Signal], settings: ScoringSettings) -> Score:
    """Combine signals (duplicates counted once) into a probability, a band and ranked reasons."""
    unique = list(dict.fromkeys(signals))
    by_side: dict[tuple[IndicatorGroup, bool], list[Signal]] = defaultdict(list)
    for signal in unique:
        if signal.weight != 0:
            by_side[(signal.group, signal.weight > 0)].append(signal)

    reasons: list[Reason] = []
    for (_, _), members in sorted(by_side.items()):
        reasons.extend(_damped(members, settings))
    for signal in unique:
        if signal.weight == 0:
            reasons.append(Reason(signal=signal, contribution=0.0))

    evidence = math.fsum(reason.contribution for reason in reasons)
    # However many cues agree, a rating from what a profile shows is never near-certain.
    limit = settings.correlation.max_evidence
    log_odds = logit(settings.prior) + max(-limit, min(limit, evidence))
    probability = sigmoid(log_odds)
    ranked = sorted(reasons, key=_rank_key)
    return Score(
        probability=probability,
        log_odds=log_odds,
        band=settings.bands.band(probability),
        reasons=tuple(ranked),
    )


def _damped(members: list[Signal], settings: ScoringSettings) -> list[Reason]:
    """Contributions of the same-sign signals of one group, strongest first, damped and capped."""
    damping = settings.correlation.damping
    room = settings.correlation.group_cap
    reasons = []
    for rank, signal in enumerate(sorted(members, key=_strength_key)):
        magnitude = min(abs(signal.weight) * damping**rank, room)
        room -= magnitude
        reasons.append(Reason(signal=signal, contribution=math.copysign(magnitude, signal.weight)))
    return reasons


def _strength_key(signal: Signal) -> tuple[float, str, str]:
    # Ties broken by code and explanation so that the same input always gives the same order.
    return (-abs(signal.weight), signal.code, signal.explanation)


def _rank_key(reason: Reason) -> tuple[bool, float, str, str]:
    # Warning signs first, strongest first; then reassuring cues, strongest first.
    contribution = reason.contribution
    return (contribution <= 0, -abs(contribution), reason.signal.code, reason.signal.explanation)
