"""The rule and scoring files: signal weights, priors, band thresholds and detector parameters.

Defaults ship in `linkvet/rules/*.yaml`, one file per detector family plus `scoring.yaml`. A
security team overrides any part with a YAML file of the same shape (`--config PATH` or the
`LINKVET_CONFIG` variable); only the keys it names change. Every file is validated, and an error
names the file and the key.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Final, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from linkvet.errors import ConfigError, describe_validation_error
from linkvet.model import Band, IndicatorGroup

CONFIG_ENV: Final = "LINKVET_CONFIG"
SCORING_FILE: Final = "scoring.yaml"
MAX_CONFIG_BYTES: Final = 5_000_000


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SignalSpec(_Frozen):
    """What a signal code means: its group, its weight (a log-likelihood ratio) and its texts.

    `explanation` may name values the detector supplies, in braces: "{days} days".
    """

    group: IndicatorGroup
    weight: float = Field(ge=-10, le=10)
    explanation: str = Field(min_length=1)
    advice: str | None = None


class BandThresholds(_Frozen):
    medium: float = Field(gt=0, lt=1)
    high: float = Field(gt=0, lt=1)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.medium >= self.high:
            raise ValueError("the medium threshold must be below the high one")
        return self

    def band(self, probability: float) -> Band:
        if probability >= self.high:
            return Band.HIGH
        if probability >= self.medium:
            return Band.MEDIUM
        return Band.LOW


class Correlation(_Frozen):
    """How cues in one indicator group are damped: the k-th strongest counts damping**k of its
    weight, and the group's total is capped, so that correlated cues do not add up without limit.
    The sum over all groups is capped as well: a rating from what a profile shows is never
    near-certain."""

    damping: float = Field(gt=0, le=1)
    group_cap: float = Field(gt=0, le=20)
    max_evidence: float = Field(gt=0, le=50, description="cap on the summed log-odds of all cues")


class ScoringSettings(_Frozen):
    version: str
    prior: float = Field(gt=0, lt=1, description="probability of a fake before any evidence")
    bands: BandThresholds
    correlation: Correlation
    advice: dict[Band, tuple[str, ...]]
    limitations: tuple[str, ...]


class RuleFile(_Frozen):
    """One detector family's file: its signals and its parameters."""

    version: str
    signals: dict[str, SignalSpec] = Field(default_factory=dict)
    params: dict[str, Any] = Field(default_factory=dict)


class Config(_Frozen):
    """Everything the engine and scoring read from files, merged and validated."""

    scoring: ScoringSettings
    families: dict[str, RuleFile]
    digest: str

    @property
    def version(self) -> str:
        return f"{self.scoring.version}+{self.digest}"

    def signal_spec(self, code: str) -> SignalSpec:
        for family in self.families.values():
            if code in family.signals:
                return family.signals[code]
        raise KeyError(f"no signal '{code}' in the rule files")

    def params(self, family: str) -> dict[str, Any]:
        return self.families[family].params if family in self.families else {}


def load_config(override: Path | str | None = None) -> Config:
    """The default rules, with `override` (or the file named by LINKVET_CONFIG) laid over them."""
    chosen = override if override is not None else os.environ.get(CONFIG_ENV) or None
    if chosen is None:
        return _default_config()
    return _build(_default_data(), _read_yaml(Path(chosen)), source=str(chosen))


@cache
def _default_config() -> Config:
    return _build(_default_data(), {}, source="built-in rules")


@cache
def _default_texts() -> dict[str, str]:
    folder = resources.files("linkvet") / "rules"
    return {
        entry.name: entry.read_text(encoding="utf-8")
        for entry in sorted(folder.iterdir(), key=lambda item: item.name)
        if entry.name.endswith(".yaml")
    }


def _default_data() -> dict[str, Any]:
    data: dict[str, Any] = {"families": {}}
    for name, text in _default_texts().items():
        parsed = _parse_yaml(text, source=f"linkvet/rules/{name}")
        if name == SCORING_FILE:
            data["scoring"] = parsed
        else:
            data["families"][name.removesuffix(".yaml")] = parsed
    return data


def _build(defaults: dict[str, Any], override: dict[str, Any], *, source: str) -> Config:
    unknown = set(override) - {"scoring", "families"}
    if unknown:
        raise ConfigError(f"{source}: unknown top-level key(s) {sorted(unknown)}; "
                          "expected 'scoring' and/or 'families'")  # fmt: skip
    merged = _deep_merge(defaults, override)
    digest = hashlib.sha256(json.dumps(merged, sort_keys=True, default=str).encode()).hexdigest()
    try:
        config = Config.model_validate({**merged, "digest": digest[:12]})
    except ValidationError as error:
        raise ConfigError(f"{source}: {describe_validation_error(error)}") from None
    _check_unique_codes(config, source)
    return config


def _check_unique_codes(config: Config, source: str) -> None:
    seen: dict[str, str] = {}
    for family, rules in config.families.items():
        for code in rules.signals:
            if code in seen:
                raise ConfigError(f"{source}: signal '{code}' is defined by both "
                                  f"'{seen[code]}' and '{family}'")  # fmt: skip
            seen[code] = family


def _deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the config file ({error.strerror})") from None
    if size > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: config file larger than {MAX_CONFIG_BYTES} bytes")
    return _parse_yaml(path.read_text(encoding="utf-8", errors="replace"), source=str(path))


def _parse_yaml(text: str, *, source: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ConfigError(f"{source}: not valid YAML ({error})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: expected a mapping at the top level")
    return data
