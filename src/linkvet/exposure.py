"""For the person themselves: what their own profile tells a hostile recruiter.

The guidance warns that naming a security clearance or sensitive work on a public profile makes a
person a target. This is not evidence about a contact, so it is not among the contact detectors:
`linkvet self-check` runs it on the person's own profile and gives advice.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from pydantic import Field

from linkvet.config import Config, load_config
from linkvet.detector import AnalysisContext, Params, RuleDetector
from linkvet.detectors._phrase_cues import build_matcher, cue_signals, find_cues
from linkvet.model import Profile, Signal
from linkvet.text.fields import profile_texts
from linkvet.text.phrases import PhraseRule


class ExposureParams(Params):
    max_excerpts: int = Field(ge=1, le=50)
    phrases: dict[str, PhraseRule]


class ExposureDetector(RuleDetector[ExposureParams]):
    id: ClassVar[str] = "self.exposure"
    version: ClassVar[str] = "1"
    family: ClassVar[str] = "exposure"
    params_model: ClassVar = ExposureParams
    requires: ClassVar[tuple[str, ...]] = ("headline|about|experience",)
    description: ClassVar[str] = "Clearances and sensitive work named on your own profile."

    def load(self, config: Config) -> None:
        super().load(config)
        self.matcher_ = build_matcher(config, self.params_.phrases)

    def analyze(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        cues = find_cues(self.matcher_, profile_texts(profile))
        return cue_signals(self, context, cues, max_excerpts=self.params_.max_excerpts)


def check_own_profile(profile: Profile, *, config: Config | None = None) -> list[Signal]:
    """What the person's own profile exposes, strongest first; empty when nothing stands out."""
    config = config if config is not None else load_config()
    detector = ExposureDetector()
    detector.load(config)
    context = AnalysisContext(as_of=profile.observed_at or dt.date.today(), config=config)
    if detector.missing_inputs(profile):
        return []
    return sorted(detector.analyze(profile, context), key=lambda signal: -signal.weight)
