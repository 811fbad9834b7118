"""Messages analysed per second on one core: phrase rules alone, and with the semantic layer.

Run: `.venv/bin/python benchmarks/bench_text.py` (add `--no-semantic` where the extra is missing).

The messages are every message of the labelled corpora (tests/corpus/*.yaml: 250 conversations,
367 messages, median 206 characters), each assessed as a one-message conversation by an engine
holding only the approach detectors. The process pins itself to one core. The semantic
layer is timed in the same run, so the ratio between the two stands even on a noisy machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path

import yaml

from linkvet.engine import Engine
from linkvet.model import Profile
from linkvet.registry import select_detectors

ROOT = Path(__file__).resolve().parent.parent
CORPORA = sorted((ROOT / "tests" / "corpus").glob("*.yaml"))


def corpus_messages() -> list[Profile]:
    profiles = []
    for path in CORPORA:
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            for message in item["messages"]:
                profiles.append(Profile.model_validate({"invitation": {"text": message["text"]}}))
    return profiles


def messages_per_second(engine: Engine, profiles: list[Profile], rounds: int) -> list[float]:
    for profile in profiles[:20]:  # warm up: compiled rules, model weights in cache
        engine.assess(profile)
    rates = []
    for _ in range(rounds):
        started = time.perf_counter()
        for profile in profiles:
            engine.assess(profile)
        rates.append(len(profiles) / (time.perf_counter() - started))
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-semantic", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    profiles = corpus_messages()
    characters = [len(p.invitation.text) for p in profiles if p.invitation is not None]
    results: dict[str, object] = {
        "python": platform.python_version(),
        "messages": len(profiles),
        "median_characters": statistics.median(characters),
    }
    phrases = messages_per_second(
        Engine(detectors=select_detectors(["approach.phrases"])), profiles, args.rounds
    )
    results["phrases_per_second"] = round(statistics.median(phrases), 1)
    if not args.no_semantic:
        semantic_engine = Engine(
            detectors=select_detectors(["approach.phrases", "approach.semantic"])
        )
        semantic = messages_per_second(semantic_engine, profiles, max(1, args.rounds // 2))
        results["with_semantic_per_second"] = round(statistics.median(semantic), 1)
        results["phrases_over_semantic"] = round(
            statistics.median(phrases) / statistics.median(semantic), 1
        )
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
