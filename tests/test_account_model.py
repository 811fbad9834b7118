"""The account model: features, the shipped trees, the detector, and the figures on real data."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from linkvet.account.adapters import ADAPTERS
from linkvet.account.features import FEATURE_NAMES, features_from_columns, profile_columns
from linkvet.account.model import shipped_account_model
from linkvet.engine import Engine
from linkvet.model import Profile
from linkvet.registry import select_detectors
from tests.conftest import AS_OF, EXAMPLES


def test_unknown_stays_unknown() -> None:
    row = features_from_columns(profile_columns(Profile(), AS_OF), 1)[0]
    assert len(row) == len(FEATURE_NAMES)
    assert np.all(np.isnan(row))


def test_profile_features_read_what_the_profile_shows() -> None:
    profile = Profile.model_validate(
        {"handle": "anna1984", "name": "Anna Berg", "joined": "2016",
         "counts": {"connections": "500+", "following": 20, "posts": 0}, "about": "Engineer."}
    )  # fmt: skip
    row = dict(
        zip(
            FEATURE_NAMES, features_from_columns(profile_columns(profile, AS_OF), 1)[0], strict=True
        )
    )
    assert row["log_followers"] == pytest.approx(np.log1p(500))  # connections stand in
    assert row["log_posts"] == 0.0  # zero posts seen is not unknown
    assert row["handle_length"] == 8
    assert row["handle_digit_share"] == pytest.approx(0.5)
    assert row["log_account_age_days"] > np.log1p(365 * 10)
    assert np.isnan(row["has_url"])


def test_shipped_model_scores_are_probabilities_and_deterministic() -> None:
    model = shipped_account_model()
    rng = np.random.default_rng(1)
    rows = rng.uniform(0, 12, size=(500, len(FEATURE_NAMES)))
    rows[rng.uniform(size=rows.shape) < 0.3] = np.nan
    first = model.probability(rows)
    assert np.all((first >= 0) & (first <= 1))
    assert np.array_equal(first, model.probability(rows))


def test_the_detector_names_its_top_features() -> None:
    engine = Engine(detectors=select_detectors(["account.model"]))
    recruiter = json.loads((EXAMPLES / "ordinary-recruiter.json").read_text())
    assessment = engine.assess(Profile.model_validate(recruiter), as_of=AS_OF)
    (signal,) = assessment.signals
    assert signal.code == "account.model_genuine_like"
    assert signal.weight == 0  # shown, never counted: a persona is built to look ordinary
    assert "It weighs most:" in signal.explanation


def test_too_little_metadata_is_not_scored() -> None:
    engine = Engine(detectors=select_detectors(["account.model"]))
    assessment = engine.assess(Profile.model_validate({"counts": {"followers": 3}}), as_of=AS_OF)
    assert assessment.signals == ()


@pytest.mark.parametrize("name", sorted(ADAPTERS))
def test_adapters_map_every_row_with_a_label(datasets_dir: Path, name: str) -> None:
    columns = ADAPTERS[name](datasets_dir)
    rows = len(columns["label"])
    assert rows > 500
    assert set(np.unique(columns["label"])) == {0.0, 1.0}
    assert all(len(values) == rows for values in columns.values())
    assert "about" not in columns or name == "cresci2015"  # adapters never invent text


def test_shipped_figures_meet_the_published_ones() -> None:
    metrics = shipped_account_model().metrics
    within = metrics["within_dataset_cv"]
    assert within["cresci2015"]["accuracy"] > 0.95
    assert within["cresci2015"]["f1"] > 0.9876
    assert within["instafake"]["accuracy"] >= 0.96
    assert metrics["kaggle_fixed_split"]["accuracy"] >= 0.92
    assert set(metrics["across_datasets"]) == set(ADAPTERS)
