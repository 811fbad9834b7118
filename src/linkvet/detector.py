"""The detector interface: small classes that look at a `Profile` and return `Signal`s.

A detector has a stable `id` (stored cases and analyst labels refer to it: never rename one), a
`version` bumped whenever its behaviour changes, and `requires`, the profile fields it cannot work
without (the engine skips it, and says so, when one is unknown). Heavy resources are read once in
`load()`; `analyze()` must be fast, pure and deterministic.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

from linkvet.config import Config
from linkvet.errors import ConfigError, describe_validation_error
from linkvet.model import Evidence, JsonScalar, Profile, Signal


@dataclass(frozen=True, slots=True)
class AnalysisContext:
    """What a detector may know besides the profile: the reference date, the rules in force, and
    where it may write pictures of its evidence."""

    as_of: dt.date
    config: Config
    # Where detectors may write pictures of their evidence (the photo overlay); None: nowhere.
    artifacts_dir: Path | None = None


class Detector(ABC):
    """Base class of every detector; subclasses set the class attributes and `analyze`."""

    id: ClassVar[str]
    version: ClassVar[str]
    # Dotted field paths; "photo|has_photo" is satisfied when either is known.
    requires: ClassVar[tuple[str, ...]] = ()
    description: ClassVar[str]
    # Remote detectors make network look-ups; they are off unless asked for by id.
    remote: ClassVar[bool] = False
    # Opt-in detectors are costly to load; built with `enabled=True` only when asked for by id.
    opt_in: ClassVar[bool] = False

    def __init__(self) -> None:
        # Built-in detectors take no arguments; third-party ones may add keyword-only ones.
        self.loaded_ = False

    def load(self, config: Config) -> None:
        """Read resources once, before the first `analyze`. The default reads nothing."""
        self.loaded_ = True

    def unavailable_reason(self) -> str | None:
        """Why the detector cannot run at all (an extra not installed, switched off), or None."""
        return None

    def missing_inputs(self, profile: Profile) -> list[str]:
        """The required fields that `profile` does not give; the engine skips the detector if any."""
        return [
            path
            for path in self.requires
            if not any(profile.has(choice) for choice in path.split("|"))
        ]

    @abstractmethod
    def analyze(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        """The signals this detector finds in `profile`; an empty list when it finds none."""

    def signal(
        self,
        context: AnalysisContext,
        code: str,
        *evidence: Evidence,
        **values: JsonScalar,
    ) -> Signal:
        """A signal for `code`, with weight and texts from the rule files in force."""
        spec = context.config.signal_spec(code)
        return Signal(
            detector=self.id,
            code=code,
            group=spec.group,
            weight=spec.weight,
            explanation=spec.explanation.format_map(values),
            evidence=evidence,
            advice=spec.advice,
        )


ParamsT = TypeVar("ParamsT", bound=BaseModel)


class Params(BaseModel):
    """Base of a detector family's parameter block in its rule file."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class RuleDetector(Detector, Generic[ParamsT]):
    """A detector whose thresholds come from its family's rule file (`rules/<family>.yaml`)."""

    family: ClassVar[str]
    params_model: ClassVar[type[BaseModel]]

    def load(self, config: Config) -> None:
        raw: dict[str, Any] = config.params(self.family)
        try:
            self.params_: ParamsT = self.params_model.model_validate(raw)  # type: ignore[assignment]
        except ValidationError as error:
            raise ConfigError(
                f"rules/{self.family}.yaml params: {describe_validation_error(error)}"
            ) from None
        super().load(config)
