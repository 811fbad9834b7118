"""Scoring the rows of a batch file: each row's band, probability and top reasons.

Two paths give the same kind of answer:
- the account model alone (`--detectors account.model`) scores a whole chunk at once, vectorised,
  from the columns (including derived numbers such as `about_length`): hundreds of thousands of
  rows a second;
- any other selection turns each row into a `Profile` and runs the engine on it. A `Profile` has
  no place for derived numbers, so on this path the account model sees only what a profile
  shows (texts and counts), never `about_length` and its kind: docs/batch-format.md says so.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from linkvet.account.features import features_from_columns
from linkvet.account.model import shipped_account_model
from linkvet.config import Config, load_config
from linkvet.engine import Engine
from linkvet.errors import InputError
from linkvet.model import Band, Profile
from linkvet.registry import select_detectors

ACCOUNT_MODEL: Final = "account.model"
OUTPUT_COLUMNS: Final = ("id", "band", "probability", "reasons", "error")
TEXT_COLUMNS: Final = ("platform", "url", "handle", "name", "headline", "location", "about")
COUNT_COLUMNS: Final = ("followers", "following", "connections", "posts")


@dataclass(frozen=True)
class Scorer:
    """What to score with: detector ids (or families) and the rules in force."""

    detector_ids: tuple[str, ...]
    config_path: str | None = None
    as_of: dt.date | None = None

    @property
    def vectorised(self) -> bool:
        return self.detector_ids == (ACCOUNT_MODEL,)

    def engine(self) -> Engine:
        return Engine(detectors=select_detectors(self.detector_ids), config=self.config())

    def config(self) -> Config:
        return load_config(self.config_path)


def score_columns(
    scorer: Scorer, columns: Mapping[str, np.ndarray], rows: int, engine: Engine | None
) -> dict[str, list[Any]]:
    """Output columns for one chunk: id, band, probability, reasons (JSON list), error."""
    if scorer.vectorised:
        return _score_account_model(scorer, columns, rows)
    assert engine is not None
    out: dict[str, list[Any]] = {name: [] for name in OUTPUT_COLUMNS}
    ids = columns.get("id")
    for index in range(rows):
        out["id"].append(None if ids is None else ids[index])
        try:
            profile = row_profile(columns, index)
            assessment = engine.assess(profile, as_of=scorer.as_of)
        except InputError as error:
            out["band"].append(None)
            out["probability"].append(math.nan)
            out["reasons"].append("[]")
            out["error"].append(error.detail)
            continue
        top = [reason.signal.code for reason in assessment.reasons if reason.contribution > 0][:3]
        out["band"].append(assessment.band.value)
        out["probability"].append(round(assessment.probability, 6))
        out["reasons"].append(json.dumps(top))
        out["error"].append(None)
    return out


def _score_account_model(
    scorer: Scorer, columns: Mapping[str, np.ndarray], rows: int
) -> dict[str, list[Any]]:
    """The account model's signal and the scoring of docs/scoring.md, for every row at once."""
    config = scorer.config()
    params = config.params("account")
    model = shipped_account_model()
    features = features_from_columns(columns, rows)
    known = np.sum(~np.isnan(features), axis=1)
    probability = model.probability(features)
    ratio = _logit(probability) - _logit(np.array(model.training_fake_share))
    weight = np.clip(ratio * params["weight_scale"], -params["max_weight"], params["max_weight"])
    counted = (known >= params["min_known_features"]) & (np.abs(weight) >= params["min_weight"])
    weight = np.where(counted, weight, 0.0)
    if not params["count_genuine_like"]:
        weight = np.maximum(weight, 0.0)
    scoring = config.scoring
    limit = min(scoring.correlation.group_cap, scoring.correlation.max_evidence)
    log_odds = math.log(scoring.prior / (1 - scoring.prior)) + np.clip(weight, -limit, limit)
    posterior = 1 / (1 + np.exp(-log_odds))
    bands = np.where(
        posterior >= scoring.bands.high,
        Band.HIGH.value,
        np.where(posterior >= scoring.bands.medium, Band.MEDIUM.value, Band.LOW.value),
    )
    reasons = np.where(weight > 0, '["account.model_fake_like"]', "[]")
    ids = columns.get("id")
    return {
        "id": [None] * rows if ids is None else list(ids),
        "band": bands.tolist(),
        "probability": np.round(posterior, 6).tolist(),
        "reasons": reasons.tolist(),
        "error": [None] * rows,
    }


def row_profile(columns: Mapping[str, np.ndarray], index: int) -> Profile:
    """Row `index` as a Profile: the `profile` JSON column, with the flat columns over it."""
    data: dict[str, Any] = {}
    nested = _cell(columns, "profile", index)
    if isinstance(nested, str) and nested:
        try:
            parsed = json.loads(nested)
        except json.JSONDecodeError as error:
            raise InputError(f"column profile: not valid JSON ({error.msg})") from None
        if not isinstance(parsed, dict):
            raise InputError("column profile: expected a JSON object")
        data.update(parsed)
    for name in TEXT_COLUMNS:
        value = _cell(columns, name, index)
        if isinstance(value, str) and value:
            data[name] = value
    counts = {
        name: int(value)
        for name in COUNT_COLUMNS
        if isinstance(value := _cell(columns, name, index), float | int) and not math.isnan(value)
    }
    if counts:
        data["counts"] = {**data.get("counts", {}), **counts}
    for name, field in (("joined", "joined"), ("observed_at", "observed_at")):
        value = _cell(columns, name, index)
        if isinstance(value, str) and value:
            data[field] = value[:10] if field == "observed_at" else value
    photo = _cell(columns, "has_photo", index)
    if isinstance(photo, float) and not math.isnan(photo) and "photo" not in data:
        data["has_photo"] = bool(photo)
    from linkvet.api import profile_from_dict

    return profile_from_dict(data, source=f"row {index + 1}")


def _cell(columns: Mapping[str, np.ndarray], name: str, index: int) -> Any:
    values = columns.get(name)
    return None if values is None else values[index]


def _logit(probability: np.ndarray) -> np.ndarray:
    clipped = np.clip(probability, 1e-4, 1 - 1e-4)
    result: np.ndarray = np.log(clipped / (1 - clipped))
    return result


def merge(parts: Sequence[dict[str, list[Any]]]) -> dict[str, list[Any]]:
    return {name: [value for part in parts for value in part[name]] for name in OUTPUT_COLUMNS}
