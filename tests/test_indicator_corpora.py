"""Detection quality on the labelled corpora stays where docs/evaluation.md reports it.

The thresholds sit a little below the measured figures, so that a rule change which costs
precision, recall or false positives fails here before it reaches users.
"""

from __future__ import annotations

import pytest

from scripts.evaluate_indicators import CORPORA, Result, evaluate, load_corpus, text_engine

# corpus: (least micro precision, least micro recall, most genuine flagged, least hostile flagged)
FLOORS = {"dev": (0.93, 0.75, 0.07, 0.85), "heldout": (0.90, 0.58, 0.07, 0.60)}


@pytest.fixture(scope="module")
def results() -> dict[str, Result]:
    engine = text_engine(semantic=False)
    return {
        name: evaluate(name, load_corpus(path), engine, semantic=False)
        for name, path in CORPORA.items()
    }


@pytest.mark.parametrize("corpus", sorted(FLOORS))
def test_quality_holds(results: dict[str, Result], corpus: str) -> None:
    result = results[corpus]
    tallies = result.by_code.values()
    true_positive = sum(t.true_positive for t in tallies)
    precision = true_positive / (true_positive + sum(t.false_positive for t in tallies))
    recall = true_positive / sum(t.positives for t in tallies)
    least_precision, least_recall, most_genuine, least_hostile = FLOORS[corpus]
    assert precision >= least_precision
    assert recall >= least_recall
    assert result.rate("genuine") <= most_genuine
    assert result.rate("hostile") >= least_hostile


def test_corpora_are_balanced_as_documented() -> None:
    for name, path in CORPORA.items():
        items = load_corpus(path)
        genuine = sum(item.kind == "genuine" for item in items)
        assert genuine >= len(items) - genuine, f"{name}: fewer canaries than hostile items"
        assert len({item.id for item in items}) == len(items)
