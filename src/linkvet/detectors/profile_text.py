"""Recognise: what the profile's own text says. An employer that cannot be checked, claimed state
links, buzzword-dense or machine-sounding text, and a headline that the experience does not bear
out. Phrase rules and word lists come from `rules/recognise.yaml`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from pydantic import Field

from linkvet.config import Config
from linkvet.detector import AnalysisContext, Params, RuleDetector
from linkvet.detectors._phrase_cues import Cue, build_matcher, cue_signals, find_cues
from linkvet.model import Evidence, Experience, Profile, Signal
from linkvet.text.fields import profile_texts
from linkvet.text.normalise import normalise
from linkvet.text.phrases import PhraseRule, tokenize

# Codes whose phrases count as cues on their own; the others are counted against a threshold.
_DIRECT_CODES = ("affiliation.state_links",)
# "Engineer at Acme", "Engineer @ Acme": the employer follows these. ("en" is left out: in
# "Doctorante en sociologie" it names a field, not an employer.)
_HEADLINE_EMPLOYER = re.compile(
    r"(?:\s(?:at|@|bei|chez)\s|\s@)(?P<employer>[^|,;\u00b7\u2022\u2013\u2014]{2,80})"
)


class RecogniseParams(Params):
    max_excerpts: int = Field(ge=1, le=50)
    buzzwords_min_count: int = Field(ge=1)
    buzzwords_words_per_hit: int = Field(ge=1)
    llm_like_min_count: int = Field(ge=1)
    generic_name_words: frozenset[str]
    generic_kind_words: frozenset[str]
    generic_distinctive_words: int = Field(ge=0)
    employer_filler_words: frozenset[str]
    phrases: dict[str, PhraseRule]


class _RecogniseDetector(RuleDetector[RecogniseParams]):
    family: ClassVar[str] = "recognise"
    params_model: ClassVar = RecogniseParams


class ProfileTextDetector(_RecogniseDetector):
    id: ClassVar[str] = "profile.text"
    version: ClassVar[str] = "1"
    requires: ClassVar[tuple[str, ...]] = ("headline|about|experience",)
    description: ClassVar[str] = (
        "Claimed state links, buzzword-dense or machine-sounding text in the profile."
    )

    def load(self, config: Config) -> None:
        super().load(config)
        self.matcher_ = build_matcher(config, self.params_.phrases)

    def analyze(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        fields = profile_texts(profile)
        cues = find_cues(self.matcher_, fields)
        params = self.params_
        direct = {code: cues[code] for code in _DIRECT_CODES if code in cues}
        signals = cue_signals(self, context, direct, max_excerpts=params.max_excerpts)
        words = sum(len(tokenize(normalise(text_field.text).text)) for text_field in fields)
        buzzwords = cues.get("content.buzzwords", [])
        if (
            len(buzzwords) >= params.buzzwords_min_count
            and len(buzzwords) * params.buzzwords_words_per_hit >= words
        ):
            signals.append(self._counted(context, "content.buzzwords", buzzwords, words=words))
        stock = cues.get("style.llm_like", [])
        distinct = {cue.match.excerpt.lower() for cue in stock}
        if len(distinct) >= params.llm_like_min_count:
            signals.append(self._counted(context, "style.llm_like", stock))
        return signals

    def _counted(
        self, context: AnalysisContext, code: str, cues: Sequence[Cue], **values: int
    ) -> Signal:
        evidence = tuple(dict.fromkeys(cue.evidence() for cue in cues))[: self.params_.max_excerpts]
        return self.signal(
            context, code, *evidence, count=len(cues), excerpt=cues[0].match.excerpt, **values
        )


class EmployerDetector(_RecogniseDetector):
    id: ClassVar[str] = "profile.employer"
    version: ClassVar[str] = "1"
    requires: ClassVar[tuple[str, ...]] = ("experience",)
    description: ClassVar[str] = (
        "An employer named only in generic words with nothing to check it by; a headline "
        "employer the current role does not show."
    )

    def analyze(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        current = _current_roles(profile)
        signals = []
        generic = self._generic_employer(profile, current, context)
        if generic is not None:
            signals.append(generic)
        mismatch = self._headline_mismatch(profile, current, context)
        if mismatch is not None:
            signals.append(mismatch)
        return signals

    def _generic_employer(
        self,
        profile: Profile,
        current: Sequence[tuple[int, Experience]],
        context: AnalysisContext,
    ) -> Signal | None:
        websites = profile.contact.websites if profile.contact else None
        if websites:
            return None
        for index, entry in current:
            assert entry.organisation is not None
            if self._is_generic(_words(entry.organisation)):
                name = entry.organisation
                return self.signal(
                    context,
                    "affiliation.generic_employer",
                    Evidence(
                        field=f"experience[{index}].organisation",
                        excerpt=name,
                        start=0,
                        end=len(name),
                    ),
                    Evidence(field="contact.websites", value="none given"),
                    organisation=name,
                )
        return None

    def _is_generic(self, words: Sequence[str]) -> bool:
        """A name made of generic words, with a word that makes it a consultancy, think tank or
        recruiter. A name of three words or more may carry one distinctive word ("Lumen
        Strategic Advisory"); a shorter one may not ("Deloitte Consulting")."""
        params = self.params_
        kinds = [word for word in words if self._is_kind(word)]
        distinctive = [w for w in words if w not in params.generic_name_words and w not in kinds]
        allowed = params.generic_distinctive_words if len(words) >= 3 else 0
        return bool(kinds) and len(distinctive) <= allowed

    def _is_kind(self, word: str) -> bool:
        # German runs words together: "Strategieberatung" is a "Beratung".
        kinds = self.params_.generic_kind_words
        return word in kinds or any(len(k) >= 7 and word.endswith(k) for k in kinds)

    def _headline_mismatch(
        self,
        profile: Profile,
        current: Sequence[tuple[int, Experience]],
        context: AnalysisContext,
    ) -> Signal | None:
        if not profile.headline or not current:
            return None
        found = _HEADLINE_EMPLOYER.search(profile.headline)
        if found is None:
            return None
        claimed = found.group("employer").strip()
        filler = self.params_.employer_filler_words
        claimed_words = {word for word in _words(claimed) if word not in filler}
        if not claimed_words:
            return None
        for _, entry in current:
            assert entry.organisation is not None
            if claimed_words & {word for word in _words(entry.organisation) if word not in filler}:
                return None
        index, entry = current[0]
        start = found.start("employer")
        return self.signal(
            context,
            "consistency.headline_mismatch",
            Evidence(field="headline", excerpt=claimed, start=start, end=start + len(claimed)),
            Evidence(field=f"experience[{index}].organisation", value=entry.organisation),
            headline_employer=claimed,
            current_employer=entry.organisation,
        )


def _current_roles(profile: Profile) -> list[tuple[int, Experience]]:
    """Roles marked current; failing that, the first role listed (profiles list it first)."""
    roles = [(i, e) for i, e in enumerate(profile.experience or []) if e.organisation]
    current = [(i, e) for i, e in roles if e.current]
    if current:
        return current
    if roles and roles[0][1].end is None and roles[0][1].current is None:
        return roles[:1]
    return []


def _words(text: str) -> list[str]:
    return [token.text for token in tokenize(normalise(text).text)]
