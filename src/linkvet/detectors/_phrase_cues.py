"""What the phrase-rule detectors share: building a matcher from the rule files, and turning the
matches in many fields into one signal per indicator, each with its excerpts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from linkvet.config import Config
from linkvet.detector import AnalysisContext, Detector
from linkvet.model import Evidence, Signal
from linkvet.text.fields import TextField
from linkvet.text.phrases import Negation, PhraseMatch, PhraseMatcher, PhraseRule

LANGUAGE_FAMILY = "language"


def build_matcher(config: Config, rules: Mapping[str, PhraseRule]) -> PhraseMatcher:
    """A matcher for `rules`, reading negation from `rules/language.yaml`."""
    negation = Negation.model_validate(config.params(LANGUAGE_FAMILY))
    return PhraseMatcher(rules, negation)


@dataclass(frozen=True, slots=True)
class Cue:
    """A phrase match and the field it was found in, with the field's position in the texts."""

    field: TextField
    position: int
    match: PhraseMatch

    def evidence(self) -> Evidence:
        return Evidence(
            field=self.field.path,
            excerpt=self.match.excerpt,
            start=self.match.start,
            end=self.match.end,
        )


def find_cues(matcher: PhraseMatcher, fields: Sequence[TextField]) -> dict[str, list[Cue]]:
    """Every match in every field, by indicator code, in field order."""
    cues: dict[str, list[Cue]] = defaultdict(list)
    for position, text_field in enumerate(fields):
        for match in matcher.find(text_field.text):
            cues[match.code].append(Cue(text_field, position, match))
    return cues


def cue_signals(
    detector: Detector,
    context: AnalysisContext,
    cues: Mapping[str, Sequence[Cue]],
    *,
    max_excerpts: int,
) -> list[Signal]:
    """One signal per indicator code, its evidence the first `max_excerpts` excerpts."""
    signals = []
    for code in sorted(cues):
        found = cues[code]
        evidence = tuple(dict.fromkeys(cue.evidence() for cue in found))[:max_excerpts]
        signals.append(
            detector.signal(
                context, code, *evidence, excerpt=_quote(found[0].match.excerpt), count=len(found)
            )
        )
    return signals


def _quote(excerpt: str, limit: int = 80) -> str:
    flat = " ".join(excerpt.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
