"""Measure the text indicators on the labelled corpora in tests/corpus/.

    .venv/bin/python scripts/evaluate_indicators.py                  # both corpora, tables to stdout
    .venv/bin/python scripts/evaluate_indicators.py --semantic       # with the semantic layer
    .venv/bin/python scripts/evaluate_indicators.py --json out.json  # figures as JSON too

Each corpus item is a conversation (the invitation note first) and, for some, the contact's
profile text, labelled by a person with the indicator codes of docs/indicators.md. `dev.yaml` was
written by one helper and used while writing the rules; `heldout.yaml` was written separately,
by a writer who never saw the rules, and was run only to measure. Per indicator: precision and
recall of the codes linkvet raises against the labels. Per conversation: the share of genuine
ones that the text detectors alone rate medium or high (the false-positive rate), and of hostile
ones that they rate medium or high.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import yaml

from linkvet.config import load_config
from linkvet.engine import Engine
from linkvet.model import Assessment, Band, Profile
from linkvet.registry import select_detectors

ROOT = Path(__file__).resolve().parent.parent
CORPORA: Final = {
    "dev": ROOT / "tests/corpus/dev.yaml",
    "heldout": ROOT / "tests/corpus/heldout.yaml",
}
TEXT_DETECTORS: Final = ("approach.phrases", "profile.text", "profile.employer", "text.obfuscation")
SEMANTIC_DETECTOR: Final = "approach.semantic"
# Codes computed from more than text, never labelled in the corpora.
UNLABELLED: Final = frozenset(
    {"sequence.offer_probe_move", "urgency.rapid_followups", "urgency.immediate_message",
     "template.similar_text", "approach.text_not_fully_read"}
)  # fmt: skip
START: Final = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
AS_OF: Final = dt.date(2026, 11, 20)


@dataclass(frozen=True)
class Item:
    id: str
    kind: str
    language: str
    profile: Profile
    expected: frozenset[str]


def load_corpus(path: Path) -> list[Item]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [_item(entry) for entry in data]


def _item(entry: dict[str, Any]) -> Item:
    shown = entry.get("profile") or {}
    profile: dict[str, Any] = {
        "platform": "linkedin",
        "headline": shown.get("headline"),
        "about": shown.get("about"),
        "experience": shown.get("experience"),
    }
    if shown.get("websites"):
        profile["contact"] = {"websites": shown["websites"]}
    moment = START
    messages = []
    for message in entry["messages"]:
        moment += dt.timedelta(minutes=message.get("minutes_after_previous", 24 * 60))
        messages.append({"text": message["text"], "sent_at": moment.isoformat()})
    profile["invitation"] = messages[0]
    profile["messages"] = messages[1:]
    return Item(
        id=entry["id"],
        kind=entry["kind"],
        language=entry.get("language", "en"),
        profile=Profile.model_validate({k: v for k, v in profile.items() if v is not None}),
        expected=frozenset(entry.get("expected") or ()),
    )


@dataclass
class Tally:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    positives: int = 0  # items labelled with the code
    negatives: int = 0

    @property
    def precision(self) -> float | None:
        raised = self.true_positive + self.false_positive
        return self.true_positive / raised if raised else None

    @property
    def recall(self) -> float | None:
        return self.true_positive / self.positives if self.positives else None


@dataclass
class Result:
    corpus: str
    semantic: bool
    items: int
    by_code: dict[str, Tally] = field(default_factory=dict)
    flagged: Counter[str] = field(default_factory=Counter)  # kind -> rated medium or high
    kinds: Counter[str] = field(default_factory=Counter)
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # (item, code, fp|fn)

    def rate(self, kind: str) -> float:
        return self.flagged[kind] / self.kinds[kind] if self.kinds[kind] else 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "corpus": self.corpus,
            "semantic": self.semantic,
            "items": self.items,
            "genuine_flagged_rate": self.rate("genuine"),
            "hostile_flagged_rate": self.rate("hostile"),
            "by_code": {
                code: {
                    "positives": tally.positives,
                    "negatives": tally.negatives,
                    "precision": tally.precision,
                    "recall": tally.recall,
                    "tp": tally.true_positive,
                    "fp": tally.false_positive,
                    "fn": tally.false_negative,
                }
                for code, tally in sorted(self.by_code.items())
            },
        }


def text_engine(*, semantic: bool) -> Engine:
    ids = [*TEXT_DETECTORS, *([SEMANTIC_DETECTOR] if semantic else [])]
    return Engine(detectors=select_detectors(ids), config=load_config())


def evaluate(name: str, items: Sequence[Item], engine: Engine, *, semantic: bool) -> Result:
    result = Result(corpus=name, semantic=semantic, items=len(items))
    codes = sorted({code for item in items for code in item.expected} | _raisable(engine))
    for code in codes:
        result.by_code[code] = Tally()
    for item in items:
        assessment = engine.assess(item.profile, as_of=AS_OF)
        if semantic:
            _require_semantic(assessment)
        raised = {signal.code for signal in assessment.signals if signal.weight > 0} - UNLABELLED
        result.kinds[item.kind] += 1
        if assessment.band != Band.LOW:
            result.flagged[item.kind] += 1
        for code in codes:
            tally = result.by_code[code]
            labelled, found = code in item.expected, code in raised
            tally.positives += labelled
            tally.negatives += not labelled
            tally.true_positive += labelled and found
            tally.false_positive += found and not labelled
            tally.false_negative += labelled and not found
            if labelled != found:
                result.misses.append((item.id, code, "fn" if labelled else "fp"))
    return result


def _raisable(engine: Engine) -> set[str]:
    codes: set[str] = set()
    for family in ("approach", "recognise", "obfuscation"):
        codes |= set(engine.config.families[family].signals)
    return codes - UNLABELLED


def _require_semantic(assessment: Assessment) -> None:
    for skip in assessment.detectors_skipped:
        if skip.id == SEMANTIC_DETECTOR:
            raise SystemExit(f"the semantic layer did not run: {skip.reason}")


def markdown(results: Iterable[Result]) -> str:
    lines = []
    for result in results:
        layer = "with the semantic layer" if result.semantic else "phrase rules only"
        lines.append(f"### {result.corpus} corpus, {layer} ({result.items} conversations)\n")
        lines.append(
            f"Genuine conversations rated medium or high by the text detectors alone: "
            f"**{result.rate('genuine'):.1%}** ({result.flagged['genuine']} of "
            f"{result.kinds['genuine']}); hostile ones: **{result.rate('hostile'):.1%}** "
            f"({result.flagged['hostile']} of {result.kinds['hostile']}).\n"
        )
        lines.append("| indicator | labelled + | labelled - | precision | recall | TP | FP | FN |")
        lines.append("|---|---|---|---|---|---|---|---|")
        for code, tally in sorted(result.by_code.items()):
            lines.append(
                f"| `{code}` | {tally.positives} | {tally.negatives} | {_percent(tally.precision)} "
                f"| {_percent(tally.recall)} | {tally.true_positive} | {tally.false_positive} "
                f"| {tally.false_negative} |"
            )
        total = Tally(
            true_positive=sum(t.true_positive for t in result.by_code.values()),
            false_positive=sum(t.false_positive for t in result.by_code.values()),
            false_negative=sum(t.false_negative for t in result.by_code.values()),
            positives=sum(t.positives for t in result.by_code.values()),
        )
        lines.append(
            f"| **all (micro)** | {total.positives} | | **{_percent(total.precision)}** "
            f"| **{_percent(total.recall)}** | {total.true_positive} | {total.false_positive} "
            f"| {total.false_negative} |\n"
        )
    return "\n".join(lines)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=[*CORPORA, "all"], default="all")
    parser.add_argument("--semantic", action="store_true", help="add the semantic layer")
    parser.add_argument("--misses", action="store_true", help="list every miss (dev corpus only)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    names = list(CORPORA) if args.corpus == "all" else [args.corpus]
    engine = text_engine(semantic=args.semantic)
    results = [
        evaluate(name, load_corpus(CORPORA[name]), engine, semantic=args.semantic) for name in names
    ]
    print(markdown(results))
    if args.misses:
        for result in results:
            if result.corpus == "dev":
                for item_id, code, kind in result.misses:
                    print(kind, item_id, code)
    if args.json:
        args.json.write_text(json.dumps([result.as_json() for result in results], indent=2))


if __name__ == "__main__":
    main()
