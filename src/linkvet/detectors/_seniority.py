"""How senior a job title is, on a 0-6 scale read from `rules/seniority.yaml`."""

from __future__ import annotations

import re
from typing import Final

from pydantic import BaseModel, ConfigDict, Field

from linkvet.config import Config

LEVEL_NAMES: Final = (
    "student",
    "junior",
    "mid-level",
    "senior",
    "manager",
    "director",
    "executive",
)


class SeniorityRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    level: int = Field(ge=0, le=6)
    patterns: tuple[str, ...] = Field(min_length=1)


class SeniorityParams(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    default_level: int = Field(ge=0, le=6)
    levels: tuple[SeniorityRule, ...]


class SeniorityScale:
    """First matching rule wins; titles that match none get the default level."""

    def __init__(self, params: SeniorityParams) -> None:
        self.default_level = params.default_level
        self._rules = [
            (rule.level, re.compile(rf"(?<!\w)(?:{'|'.join(rule.patterns)})(?!\w)", re.IGNORECASE))
            for rule in params.levels
        ]

    @classmethod
    def from_config(cls, config: Config) -> SeniorityScale:
        return cls(SeniorityParams.model_validate(config.params("seniority")))

    def level(self, title: str) -> int:
        for level, pattern in self._rules:
            if pattern.search(title):
                return level
        return self.default_level


def level_name(level: int) -> str:
    return LEVEL_NAMES[level]
