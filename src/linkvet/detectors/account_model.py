"""The learned account model as a detector: what the account's metadata (counts, age, bio
length, photo, handle shape) looks like next to real fake and genuine accounts.

Its signal carries a weight derived from the model's calibrated probability (rules/account.yaml
says how much of it counts) and names the features that moved the score most.
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np
from pydantic import Field

from linkvet.account.features import features_from_columns, profile_columns
from linkvet.account.model import AccountModel, shipped_account_model
from linkvet.config import Config
from linkvet.detector import AnalysisContext, Params, RuleDetector
from linkvet.model import Evidence, Profile, Signal

FEATURE_WORDS = {
    "log_followers": "followers or connections",
    "log_following": "accounts followed",
    "log_posts": "posts",
    "follow_balance": "followers against accounts followed",
    "log_account_age_days": "account age",
    "log_about_length": "length of the about text",
    "has_photo": "photo shown",
    "has_url": "website given",
    "verified": "verification",
    "private": "private account",
    "handle_length": "handle length",
    "handle_digit_share": "digits in the handle",
    "name_words": "words in the name",
    "name_digit_share": "digits in the name",
    "name_matches_handle": "name against handle",
}


class AccountModelParams(Params):
    weight_scale: float = Field(gt=0, le=1)
    max_weight: float = Field(gt=0, le=5)
    min_weight: float = Field(ge=0, le=5)
    min_known_features: int = Field(ge=1)
    count_genuine_like: bool


class AccountModelDetector(RuleDetector[AccountModelParams]):
    id: ClassVar[str] = "account.model"
    version: ClassVar[str] = "1"
    family: ClassVar[str] = "account"
    params_model: ClassVar = AccountModelParams
    requires: ClassVar[tuple[str, ...]] = ("counts|joined",)
    description: ClassVar[str] = (
        "A model trained on real fake and genuine accounts, over counts, age and profile shape."
    )

    def load(self, config: Config) -> None:
        super().load(config)
        self.model_: AccountModel = shipped_account_model()

    def analyze(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        row = features_from_columns(profile_columns(profile, context.as_of), 1)[0]
        known = int(np.sum(~np.isnan(row)))
        params = self.params_
        if known < params.min_known_features:
            return []
        probability = float(self.model_.probability(row)[0])
        prior = self.model_.training_fake_share
        ratio = _logit(probability) - _logit(prior)
        weight = max(-params.max_weight, min(params.max_weight, ratio * params.weight_scale))
        if abs(weight) < params.min_weight:
            return []
        contributions = self.model_.contributions(row)
        features = ", ".join(
            f"{FEATURE_WORDS[name]} ({'toward fake' if effect > 0 else 'toward genuine'})"
            for name, effect in contributions
        )
        code = "account.model_fake_like" if weight > 0 else "account.model_genuine_like"
        evidence = tuple(
            Evidence(field="counts", value=f"{FEATURE_WORDS[name]}: {effect:+.2f}")
            for name, effect in contributions
        )
        signal = self.signal(
            context, code, *evidence, probability=f"{probability:.0%}", features=features
        )
        counted = weight if weight > 0 or params.count_genuine_like else 0.0
        return [signal.model_copy(update={"weight": round(counted, 3)})]


def _logit(probability: float) -> float:
    clipped = min(max(probability, 1e-4), 1 - 1e-4)
    return math.log(clipped / (1 - clipped))
