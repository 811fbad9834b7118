"""Text dressed up to dodge filters: invisible characters and look-alike letters inside words.

Normalisation undoes both before any phrase rule runs (so "Whats\u200bApp" still counts as
WhatsApp); this detector reports the trick itself, with the word it was found in.
"""

from __future__ import annotations

from collections import defaultdict
from typing import ClassVar

from pydantic import Field

from linkvet.detector import AnalysisContext, Params, RuleDetector
from linkvet.model import Evidence, Profile, Signal
from linkvet.text.fields import TextField, approach_texts, profile_texts
from linkvet.text.normalise import is_invisible, normalise

# The kinds of trick that normalisation finds, and the signal each raises.
_CODES = {
    "hidden_characters": "obfuscation.hidden_characters",
    "homoglyphs": "obfuscation.homoglyphs",
}


class ObfuscationParams(Params):
    max_excerpts: int = Field(ge=1, le=50)


class ObfuscationDetector(RuleDetector[ObfuscationParams]):
    id: ClassVar[str] = "text.obfuscation"
    version: ClassVar[str] = "1"
    family: ClassVar[str] = "obfuscation"
    params_model: ClassVar = ObfuscationParams
    description: ClassVar[str] = (
        "Invisible characters or look-alike letters hidden in names, profile text and messages."
    )

    def analyze(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        fields = [*_identity_texts(profile), *profile_texts(profile), *approach_texts(profile)]
        found: dict[str, list[Evidence]] = defaultdict(list)
        for text_field in fields:
            normalised = normalise(text_field.text)
            for trick in normalised.obfuscations:
                start, end = _word_around(text_field.text, trick.start, trick.end)
                evidence = Evidence(
                    field=text_field.path,
                    excerpt=text_field.text[start:end],
                    start=start,
                    end=end,
                )
                if evidence not in found[trick.kind]:
                    found[trick.kind].append(evidence)
        signals = []
        for kind in sorted(found):
            places = found[kind]
            signals.append(
                self.signal(
                    context,
                    _CODES[kind],
                    *places[: self.params_.max_excerpts],
                    count=len(places),
                    excerpt=_visible(places[0].excerpt or ""),
                )
            )
        return signals


def _identity_texts(profile: Profile) -> list[TextField]:
    return [
        TextField(path, text)
        for path, text in (("name", profile.name), ("handle", profile.handle))
        if text
    ]


def _word_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to the whole word, and never past 60 characters either way."""
    low = start
    while low > 0 and start - low < 60 and not text[low - 1].isspace():
        low -= 1
    high = end
    while high < len(text) and high - end < 60 and not text[high].isspace():
        high += 1
    return low, high


def _visible(word: str) -> str:
    """The word with its invisible characters shown, for the explanation."""
    return "".join("·" if is_invisible(char) else char for char in word)
