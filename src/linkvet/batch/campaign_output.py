"""Campaigns in a batch job's output (`linkvet batch --campaigns`).

Each member's assessment takes in its campaign: the cluster's score (0 to 1) becomes the
`campaign.member` signal of rules/campaign.yaml, whose log-odds are added to the row's own, within
the scoring's caps, so that a strong campaign raises a member's band and a weak one barely moves
it; the row's own probability stays in `profile_probability`. The campaign's columns go beside it.

The campaigns themselves are written to a folder beside the output, `OUT.campaigns/`: the
campaigns with their features and evidence, the members, the links with their reasons, what was
too large to link, and a summary. The folder appears whole or not at all; `linkvet campaigns`
reads it (`view.py`).
"""

from __future__ import annotations

import contextlib
import json
import math
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import numpy as np
import pyarrow.parquet as pq

from linkvet._files import replace_folder
from linkvet.campaigns.clustering import CampaignConfig, CampaignResult
from linkvet.config import Config
from linkvet.model import Band

SIGNAL: Final = "campaign.member"
CAMPAIGN_COLUMNS: Final = (
    "campaign",
    "campaign_size",
    "campaign_score",
    "campaign_reasons",
    "campaign_evidence",
)
TABLES: Final = ("campaigns", "members", "edges", "oversized")
SUMMARY: Final = "summary.json"


def campaign_folder(target: Path) -> Path:
    """Where a job writing `target` puts its campaigns: `target` with `.campaigns` added."""
    return target.with_name(f"{target.name}.campaigns")


def with_campaigns(
    scores: dict[str, list[Any]], campaign: dict[str, list[Any]], config: Config
) -> dict[str, list[Any]]:
    """One part's output columns with its rows' campaign columns (`columns_for_rows`) added and
    each member's band, probability and reasons raised by its campaign's score."""
    params = config.params("campaign")
    scoring = config.scoring
    cluster_score = np.array(
        [math.nan if value is None else value for value in campaign["campaign_score"]], dtype=float
    )
    weight = np.minimum(
        np.nan_to_num(cluster_score) * params["weight_scale"],
        min(params["max_weight"], scoring.correlation.group_cap),
    )
    own = np.asarray(scores["probability"], dtype=float)
    raised = (weight > 0) & ~np.isnan(own)
    prior = _logit(np.array(scoring.prior))
    limit = scoring.correlation.max_evidence
    evidence = np.clip(_logit(own) - prior + weight, -limit, limit)
    probability = np.where(raised, np.round(1 / (1 + np.exp(-(prior + evidence))), 6), own)
    band = [
        _band(value, config) if up else old
        for up, value, old in zip(
            raised.tolist(), probability.tolist(), scores["band"], strict=True
        )
    ]
    reasons = [
        json.dumps([SIGNAL, *json.loads(old)][:3]) if up else old
        for up, old in zip(raised.tolist(), scores["reasons"], strict=True)
    ]
    return {
        **scores,
        "band": band,
        "probability": probability.tolist(),
        "reasons": reasons,
        "profile_probability": list(scores["probability"]),
        **{name: campaign[name] for name in CAMPAIGN_COLUMNS},
    }


def _band(probability: float, config: Config) -> str:
    bands = config.scoring.bands
    if probability >= bands.high:
        return Band.HIGH.value
    return Band.MEDIUM.value if probability >= bands.medium else Band.LOW.value


def _logit(probability: np.ndarray) -> np.ndarray:
    clipped = np.clip(probability, 1e-6, 1 - 1e-6)
    result: np.ndarray = np.log(clipped / (1 - clipped))
    return result


@contextlib.contextmanager
def campaign_files(
    result: CampaignResult, target: Path, config: CampaignConfig, timings: dict[str, float]
) -> Iterator[Path]:
    """Writes the campaign folder of the job writing `target` aside, yields its final path, and
    moves it into place only if the block ends without an error (the output was written): the
    folder never appears half-written, nor without the output it belongs to."""
    final = campaign_folder(target)
    staging = final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        staging.mkdir()
        for name in TABLES:
            pq.write_table(getattr(result, name), staging / f"{name}.parquet")
        summary = {
            "rows": result.rows,
            "campaigns": result.campaigns.num_rows,
            "members": result.members.num_rows,
            "duplicate_rows": result.duplicate_rows,
            "unreadable_profiles": result.unreadable_profiles,
            "oversized_blocks": result.oversized_blocks,
            "settings": {
                name: list(value) if isinstance(value, tuple) else value
                for name, value in vars(config).items()
            },
            "seconds": {name: round(value, 3) for name, value in timings.items()},
        }
        (staging / SUMMARY).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        yield final
        replace_folder(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
