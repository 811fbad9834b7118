"""The JSON that `linkvet check --format json` prints: one envelope for every file checked.

Each result is either an assessment or an error, never both, so that a consumer can process a
batch in which some files were bad. Its JSON Schema is published (`linkvet schema check-report`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from linkvet.ingest.reading import InputReading
from linkvet.model import Assessment


class ErrorDetail(BaseModel):
    model_config = ConfigDict(frozen=True)

    kind: Literal["input", "config", "internal"]
    message: str


class CheckResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: str = Field(description='the file checked, or "-" for standard input')
    ok: bool
    assessment: Assessment | None = None
    read: InputReading | None = Field(
        default=None, description="how the file was read: its kind, fields and what was skipped"
    )
    error: ErrorDetail | None = None


class CheckReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    linkvet: str = Field(description="the linkvet version that wrote the report")
    results: tuple[CheckResult, ...]
