"""Realise: the approach. The invitation note and the messages received, read as a conversation.

`approach.phrases` finds the cues of the public guidance (too-good offers, flattery, urgency,
unnamed clients, pushing off the platform, interest in your employer, requests for non-public
material, unusual payment) with the phrase rules of `rules/approach.yaml`, and then looks at their
order: an offer, then questions about your work, then a private channel, is the typical sequence
of a disguised approach and weighs more than any single cue. `approach.timing` looks only at when
the messages came.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import ClassVar

from pydantic import Field

from linkvet.config import Config
from linkvet.detector import AnalysisContext, Params, RuleDetector
from linkvet.detectors._phrase_cues import Cue, build_matcher, cue_signals, find_cues
from linkvet.model import Evidence, Profile, Signal
from linkvet.text.fields import approach_texts
from linkvet.text.phrases import PhraseRule


class SequenceStages(Params):
    offer: tuple[str, ...] = Field(min_length=1)
    probe: tuple[str, ...] = Field(min_length=1)
    move: tuple[str, ...] = Field(min_length=1)


class RapidFollowups(Params):
    count: int = Field(ge=2)
    minutes: int = Field(ge=1)


class ApproachParams(Params):
    max_excerpts: int = Field(ge=1, le=50)
    sequence: SequenceStages
    rapid_followups: RapidFollowups
    immediate_message_minutes: int = Field(ge=1)
    phrases: dict[str, PhraseRule]


class _ApproachDetector(RuleDetector[ApproachParams]):
    family: ClassVar[str] = "approach"
    params_model: ClassVar = ApproachParams


class ApproachPhrasesDetector(_ApproachDetector):
    id: ClassVar[str] = "approach.phrases"
    version: ClassVar[str] = "1"
    requires: ClassVar[tuple[str, ...]] = ("invitation|messages",)
    description: ClassVar[str] = (
        "Warning signs in the invitation and messages, and the order they come in."
    )

    def load(self, config: Config) -> None:
        super().load(config)
        self.matcher_ = build_matcher(config, self.params_.phrases)

    def analyze(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        fields = approach_texts(profile)
        cues = find_cues(self.matcher_, fields)
        signals = cue_signals(self, context, cues, max_excerpts=self.params_.max_excerpts)
        sequence = self._sequence(cues, context)
        if sequence is not None:
            signals.append(sequence)
        unread = [text_field.path for text_field in fields if text_field.truncated]
        if unread:
            evidence = tuple(Evidence(field=path, value="not read in full") for path in unread)
            signals.append(
                self.signal(context, "approach.text_not_fully_read", *evidence, count=len(unread))
            )
        return signals

    def _sequence(
        self, cues: Mapping[str, Sequence[Cue]], context: AnalysisContext
    ) -> Signal | None:
        """The offer → probe → private channel sequence, by the first message of each stage."""
        stages = self.params_.sequence
        firsts = [_first_cue(cues, codes) for codes in (stages.offer, stages.probe, stages.move)]
        offer, probe, move = firsts
        if offer is None or probe is None or move is None:
            return None
        in_order = offer.position <= probe.position <= move.position
        # All three in one message is a strong message, not a sequence; other signals cover it.
        if not in_order or offer.position == move.position:
            return None
        return self.signal(
            context,
            "sequence.offer_probe_move",
            offer.evidence(),
            probe.evidence(),
            move.evidence(),
            offer=offer.match.excerpt,
            probe=probe.match.excerpt,
            move=move.match.excerpt,
        )


def _first_cue(cues: Mapping[str, Sequence[Cue]], codes: Sequence[str]) -> Cue | None:
    found = [cues[code][0] for code in codes if cues.get(code)]
    return min(found, key=lambda cue: (cue.position, cue.match.start), default=None)


class ApproachTimingDetector(_ApproachDetector):
    id: ClassVar[str] = "approach.timing"
    version: ClassVar[str] = "1"
    requires: ClassVar[tuple[str, ...]] = ("messages",)
    description: ClassVar[str] = (
        "Messages in quick succession without a reply; a pitch straight after connecting."
    )

    def analyze(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        signals = []
        burst = self._rapid_followups(profile, context)
        if burst is not None:
            signals.append(burst)
        immediate = self._immediate_message(profile, context)
        if immediate is not None:
            signals.append(immediate)
        return signals

    def _rapid_followups(self, profile: Profile, context: AnalysisContext) -> Signal | None:
        settings = self.params_.rapid_followups
        window = dt.timedelta(minutes=settings.minutes)
        # In time order, whatever order the messages were listed in; undated ones cannot count.
        timeline = sorted(
            (_aware(message.sent_at), index, message.direction)
            for index, message in enumerate(profile.messages or [])
            if message.sent_at is not None
        )
        run: list[tuple[int, dt.datetime]] = []
        for sent_at, index, direction in timeline:
            if direction == "outgoing":
                run = []  # a reply ends the run
                continue
            run.append((index, sent_at))
            while run and run[-1][1] - run[0][1] > window:
                run.pop(0)
            if len(run) >= settings.count:
                minutes = round((run[-1][1] - run[0][1]).total_seconds() / 60)
                return self.signal(
                    context,
                    "urgency.rapid_followups",
                    *(Evidence(field=f"messages[{i}].sent_at", value=str(at)) for i, at in run),
                    count=len(run),
                    minutes=minutes,
                )
        return None

    def _immediate_message(self, profile: Profile, context: AnalysisContext) -> Signal | None:
        """A first message within minutes of connecting (or, when the time of connecting is not
        known, of the invitation: the person must have accepted in between)."""
        if profile.connected_at is not None:
            since, since_field = profile.connected_at, "connected_at"
        elif profile.invitation is not None and profile.invitation.sent_at is not None:
            since, since_field = profile.invitation.sent_at, "invitation.sent_at"
        else:
            return None
        for index, message in enumerate(profile.messages or []):
            if message.direction != "incoming" or message.sent_at is None:
                continue
            gap = _aware(message.sent_at) - _aware(since)
            if (
                dt.timedelta(0)
                <= gap
                <= dt.timedelta(minutes=self.params_.immediate_message_minutes)
            ):
                return self.signal(
                    context,
                    "urgency.immediate_message",
                    Evidence(field=since_field, value=str(since)),
                    Evidence(field=f"messages[{index}].sent_at", value=str(message.sent_at)),
                    minutes=round(gap.total_seconds() / 60),
                )
            return None
        return None


def _aware(moment: dt.datetime) -> dt.datetime:
    """Times without a zone are taken as UTC, so that they compare with those that have one."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
