"""How a profile was read: what kind of file it came from, which field was read from where, and
what was skipped. Shown beside the assessment, so that a person can check the reading."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

InputKind = Literal["json", "json-resume", "linkedin-pdf", "screenshot"]


class FieldReadout(BaseModel):
    model_config = ConfigDict(frozen=True)

    field: str = Field(description='the profile field, e.g. "name" or "experience[0].title"')
    text: str = Field(description="what was read, after cleaning")
    box: tuple[int, int, int, int] | None = Field(
        default=None, description="left, top, right, bottom in the screenshot's pixels"
    )
    confidence: float | None = Field(default=None, description="the OCR's own confidence, 0-100")


class InputReading(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: InputKind
    fields: tuple[FieldReadout, ...] = ()
    skipped: tuple[str, ...] = Field(default=(), description="what could not be read, and why")
    picture: str | None = Field(
        default=None, description="a copy of the screenshot with each field's box drawn on it"
    )
