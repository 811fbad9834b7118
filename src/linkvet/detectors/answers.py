"""The person's own answers: what only they can say about the approach (`Profile.answers`).

A "yes" to a realise-stage question raises the signal of that cue in the same indicator group as
the matching text cue of `approach.phrases`, so that an offer both pasted and reported is damped
as one observation rather than counted twice. Shared contacts count only when one of them knows
the person; "no" and "unsure" raise nothing. `rules/answers.yaml` gives the weights and why.
"""

from __future__ import annotations

from typing import ClassVar, Final

from linkvet.detector import AnalysisContext, Detector
from linkvet.model import Evidence, PersonAnswers, Profile, Signal

# Question -> the signal a "yes" raises, in the order of the typical approach.
_WARNING_SIGNS: Final = (
    ("wrote_straight_after_connecting", "answers.wrote_straight_after_connecting"),
    ("offered_money_travel_gifts", "answers.offered_money_travel_gifts"),
    ("asked_about_work_access", "answers.asked_about_work_access"),
    ("asked_to_move_channel", "answers.asked_to_move_channel"),
)
# An offer, questions about work, a private channel: together, the typical sequence.
_SEQUENCE: Final = (
    "offered_money_travel_gifts",
    "asked_about_work_access",
    "asked_to_move_channel",
)


class PersonAnswersDetector(Detector):
    id: ClassVar[str] = "answers.person"
    version: ClassVar[str] = "1"
    requires: ClassVar[tuple[str, ...]] = ("answers",)
    description: ClassVar[str] = (
        "The person's own answers: offers, questions about their work, moving to another app, "
        "and whether shared contacts know the contact."
    )

    def analyze(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        answers = profile.answers
        assert answers is not None
        signals = [
            self.signal(context, code, _said(answers, question))
            for question, code in _WARNING_SIGNS
            if _answer(answers, question) == "yes"
        ]
        if all(_answer(answers, question) == "yes" for question in _SEQUENCE):
            evidence = (_said(answers, question) for question in _SEQUENCE)
            signals.append(self.signal(context, "answers.offer_probe_move", *evidence))
        shared = self._shared_contacts(answers, context)
        if shared is not None:
            signals.append(shared)
        return signals

    def _shared_contacts(self, answers: PersonAnswers, context: AnalysisContext) -> Signal | None:
        """Shared contacts who know the person are weak reassurance; shared contacts alone are a
        note, since fake personas collect them on purpose."""
        if answers.contacts_vouched == "yes":
            evidence = [_said(answers, "contacts_vouched")]
            if answers.shared_contacts is not None:
                evidence.append(_said(answers, "shared_contacts"))
            return self.signal(context, "answers.contacts_vouched", *evidence)
        if answers.shared_contacts == "yes":
            evidence = [_said(answers, "shared_contacts")]
            if answers.contacts_vouched is not None:
                evidence.append(_said(answers, "contacts_vouched"))
            return self.signal(context, "answers.shared_contacts_unvouched", *evidence)
        return None


def _answer(answers: PersonAnswers, question: str) -> str | None:
    value: str | None = getattr(answers, question)
    return value


def _said(answers: PersonAnswers, question: str) -> Evidence:
    return Evidence(field=f"answers.{question}", value=_answer(answers, question))
