"""How well campaign detection found the campaigns planted in a generated corpus (corpus.py).

Only for benchmarks: the corpus is synthetic, so these figures say whether detection works at a
scale and how it degrades with obfuscation, never how well it does on real profiles.

Measured per row and per campaign, against the truth file written beside the corpus:

- row recall: the share of planted members found in some campaign;
- row precision: the share of rows found in campaigns that are planted members (also among
  campaigns scoring at least `strong`, the ones a member's band feels most);
- campaigns found: planted campaigns with at least half their members in one found campaign,
  overall and by obfuscation grade;
- pure campaigns: found campaigns with more than half their members from one planted campaign;
  genuine campaigns: found campaigns with more than half their members genuine (false alarms).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq

from linkvet.campaigns.corpus import truth_path


@dataclass(frozen=True)
class PlantedScores:
    rows: int
    planted_rows: int
    found_rows: int
    row_recall: float
    row_precision: float
    strong_rows: int
    strong_precision: float  # among rows of campaigns scoring at least `strong`
    planted_campaigns: int
    campaigns_found: int
    found_by_obfuscation: dict[str, tuple[int, int]]  # grade: (found, planted)
    found_campaigns: int
    pure_campaigns: int  # more than half their members from one planted campaign
    genuine_campaigns: int  # more than half their members genuine profiles

    def as_dict(self) -> dict[str, Any]:
        return {
            name: value if not isinstance(value, float) else round(value, 4)
            for name, value in vars(self).items()
        }


def measure_output(output: Path, corpus: Path, *, strong: float = 0.5) -> PlantedScores:
    """`measure` of a `linkvet batch --campaigns` output (its campaign column, in row order)
    against the truth of `corpus`."""
    table = pq.read_table(output, columns=["campaign", "campaign_score"])
    campaign = pc.fill_null(table.column("campaign"), 0).to_numpy()
    score = pc.fill_null(table.column("campaign_score"), 0.0).to_numpy()
    return measure(campaign, score, truth_path(Path(corpus)), strong=strong)


def measure(
    campaign: np.ndarray, score: np.ndarray, truth: Path, *, strong: float = 0.5
) -> PlantedScores:
    """Found campaign numbers per row (0: none) and their scores, against a truth file."""
    table = pq.read_table(truth, columns=["campaign", "obfuscation"])
    if table.num_rows != len(campaign):
        raise ValueError(
            f"{truth} has {table.num_rows:,} rows where the output has {len(campaign):,}"
        )
    planted_names = pc.fill_null(table.column("campaign"), "").to_numpy(zero_copy_only=False)
    planted = np.unique(planted_names, return_inverse=True)[1]  # 0: genuine ("" sorts first)
    has_genuine = bool((planted_names == "").any())
    if not has_genuine:
        planted = planted + 1
    grade = pc.fill_null(table.column("obfuscation"), "").to_numpy(zero_copy_only=False)
    is_planted = planted > 0
    found = campaign > 0
    strong_rows = found & (score >= strong)

    # Planted campaign -> the largest share of its members in one found campaign.
    member = is_planted & found
    pairs, counts = np.unique(
        np.stack([planted[member], campaign[member]]), axis=1, return_counts=True
    )
    sizes = np.bincount(planted, minlength=int(planted.max(initial=0)) + 1)
    best = np.zeros(len(sizes), dtype=np.int64)
    np.maximum.at(best, pairs[0], counts)
    was_found = 2 * best >= sizes
    was_found[0] = False
    by_grade: dict[str, tuple[int, int]] = {}
    first_row_of = np.zeros(len(sizes), dtype=np.int64)
    first_row_of[planted[::-1]] = np.arange(len(planted))[::-1]  # the first write wins last
    for number in range(1, len(sizes)):
        name = str(grade[first_row_of[number]])
        hit, total = by_grade.get(name, (0, 0))
        by_grade[name] = (hit + int(was_found[number]), total + 1)

    # Found campaign -> the largest share of its members from one planted campaign.
    numbers = campaign[found]
    pure = mostly_genuine = 0
    if len(numbers):
        found_pairs, found_counts = np.unique(
            np.stack([numbers, planted[found]]), axis=1, return_counts=True
        )
        planted_part = found_pairs[1] > 0
        top = np.zeros(int(numbers.max()) + 1, dtype=np.int64)
        np.maximum.at(top, found_pairs[0][planted_part], found_counts[planted_part])
        found_sizes = np.bincount(numbers, minlength=len(top))
        pure = int(((2 * top > found_sizes) & (found_sizes > 0)).sum())
        genuine = np.bincount(numbers[planted[found] == 0], minlength=len(top))
        mostly_genuine = int(((2 * genuine > found_sizes) & (found_sizes > 0)).sum())
    return PlantedScores(
        rows=len(campaign),
        planted_rows=int(is_planted.sum()),
        found_rows=int(found.sum()),
        row_recall=_share(is_planted & found, is_planted),
        row_precision=_share(is_planted & found, found),
        strong_rows=int(strong_rows.sum()),
        strong_precision=_share(is_planted & strong_rows, strong_rows),
        planted_campaigns=len(sizes) - 1,
        campaigns_found=int(was_found.sum()),
        found_by_obfuscation=dict(sorted(by_grade.items())),
        found_campaigns=len(np.unique(numbers)),
        pure_campaigns=pure,
        genuine_campaigns=mostly_genuine,
    )


def _share(hits: np.ndarray, of: np.ndarray) -> float:
    total = int(of.sum())
    return float(hits.sum()) / total if total else float("nan")
