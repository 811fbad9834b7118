"""The shapes of the learning content: modules (lessons and case studies) and the "Spot the fake"
quiz. Every file a security team writes is checked against these models, so a typo in a key is
an error naming the file and the field, never content that silently goes missing.

All text is plain text: whatever shows it (a web page, a PDF) escapes it.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Final, Literal, Self
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

# Identifiers appear in URLs of the web app and in a team's override files.
ID_PATTERN: Final = r"^[a-z0-9][a-z0-9-]{0,63}$"
# Indicator codes as in docs/indicators.md ("offer.paid_reports").
CODE_PATTERN: Final = r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$"

Answer = Literal["likely_fake", "likely_genuine"]
ANSWERS: Final[tuple[Answer, ...]] = ("likely_fake", "likely_genuine")

# The three steps of the public "Think Before You Link" guidance.
Theme = Literal["recognise", "realise", "report"]


def _text(max_length: int) -> object:
    return StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length)


Identifier = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Label = Annotated[str, _text(80)]
ShortText = Annotated[str, _text(200)]
Fact = Annotated[str, _text(400)]
Summary = Annotated[str, _text(600)]
Explanation = Annotated[str, _text(1500)]
Paragraph = Annotated[str, _text(3000)]
IndicatorCode = Annotated[str, StringConstraints(pattern=CODE_PATTERN)]


def _https_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc or any(ch.isspace() for ch in value):
        raise ValueError("must be an https:// address")
    return value


HttpsUrl = Annotated[str, StringConstraints(max_length=500), AfterValidator(_https_url)]


class _Content(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(_Content):
    """A public source the content relies on, cited by name and address."""

    title: ShortText
    url: HttpsUrl


class Section(_Content):
    """A heading, paragraphs, then an optional simple list (numbered for steps)."""

    heading: ShortText
    paragraphs: tuple[Paragraph, ...] = Field(min_length=1, max_length=20)
    bullets: tuple[Paragraph, ...] = Field(default=(), max_length=30)
    numbered: bool = False
    theme: Theme | None = None


class Module(_Content):
    """One learning module: a lesson or a case study told as a story with its lessons."""

    id: Identifier
    title: ShortText
    summary: Summary
    minutes: int = Field(ge=1, le=120, description="estimated reading time")
    kind: Literal["lesson", "case_study"] = "lesson"
    # A case study either retells a public case or is a composite built from several.
    scenario: Literal["public_case", "composite"] | None = None
    order: int = Field(default=100, ge=0, le=10_000, description="position in the list")
    sections: tuple[Section, ...] = Field(min_length=1, max_length=30)
    key_points: tuple[Paragraph, ...] = Field(min_length=1, max_length=12)
    sources: tuple[Source, ...] = Field(min_length=1, max_length=20)

    @model_validator(mode="after")
    def _scenario_only_for_case_studies(self) -> Self:
        if (self.kind == "case_study") != (self.scenario is not None):
            raise ValueError(
                "scenario (public_case or composite) is required for a case study "
                "and only for a case study"
            )
        return self


class ProfileCard(_Content):
    """What a quiz taker sees of a contact: the profile and, optionally, what they wrote."""

    name: Label
    headline: ShortText
    platform: Label = "LinkedIn"
    facts: tuple[Fact, ...] = Field(min_length=1, max_length=10)
    message: Paragraph | None = None


class QuizItem(_Content):
    id: Identifier
    card: ProfileCard
    answer: Answer
    explanation: Explanation
    # The linkvet indicator codes the explanation names (docs/indicators.md).
    indicators: tuple[IndicatorCode, ...] = Field(default=(), max_length=20)
    hard: bool = False


class QuizFile(_Content):
    """One quiz file: items, and optionally the quiz's title and summary."""

    title: ShortText | None = None
    summary: Summary | None = None
    items: tuple[QuizItem, ...] = Field(default=(), max_length=200)


class Quiz(_Content):
    title: ShortText
    summary: Summary
    items: tuple[QuizItem, ...] = Field(min_length=1, max_length=500)

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        counts = Counter(item.id for item in self.items)
        twice = sorted(item_id for item_id, count in counts.items() if count > 1)
        if twice:
            raise ValueError(f"quiz item id(s) {twice} appear more than once")
        return self
