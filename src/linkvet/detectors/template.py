"""Template text: the profile's About, experience or messages nearly copy another profile's, seen
before by this installation. Needs a `TextIndex` (the CLI keeps one in the local store)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from linkvet.campaigns.text_index import TextIndex
from linkvet.detector import AnalysisContext, Params, RuleDetector
from linkvet.model import Evidence, Profile, Signal
from linkvet.text.fields import describe_field


class TemplateParams(Params):
    max_matches: int = Field(ge=1, le=50)
    min_similarity: float = Field(gt=0, le=1)


class TemplateTextDetector(RuleDetector[TemplateParams]):
    id: ClassVar[str] = "campaign.template_text"
    version: ClassVar[str] = "1"
    family: ClassVar[str] = "template"
    params_model: ClassVar = TemplateParams
    requires: ClassVar[tuple[str, ...]] = ("about|experience|invitation|messages",)
    description: ClassVar[str] = (
        "About, experience or message text copied from another profile seen before."
    )

    def __init__(self, *, index: TextIndex | None = None) -> None:
        super().__init__()
        self.index = index

    def unavailable_reason(self) -> str | None:
        if self.index is None:
            return "no store of earlier profiles to compare with (linkvet check keeps one)"
        return None

    def analyze(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        if self.index is None:
            return []
        matches = [
            match
            for match in self.index.similar(profile)
            if match.similarity >= self.params_.min_similarity
        ]
        return [
            self.signal(
                context,
                "template.similar_text",
                Evidence(
                    field=match.field,
                    value=f"{match.similarity:.2f} similar to {match.other_field} of "
                    f"{match.other_profile}",
                ),
                field=describe_field(match.field),
                other=match.other_profile,
                other_field=describe_field(match.other_field),
                similarity=f"{match.similarity:.0%}",
            )
            for match in matches[: self.params_.max_matches]
        ]
