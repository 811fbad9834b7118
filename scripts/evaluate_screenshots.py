"""Field accuracy and speed of the screenshot reader on rendered profile screenshots.

Renders both sets of test screenshots (scripts/render_screenshot_fixtures.py) into a temporary
folder, reads each with `linkvet.ingest.screenshot`, and compares field by field with what is
visible in the capture. Runs on one core, as the benchmark figures are quoted.

    .venv/bin/python -m scripts.evaluate_screenshots [--set dev|held-out|both] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from linkvet.ingest.screenshot import read_screenshot
from linkvet.model import Profile
from scripts.render_screenshot_fixtures import SETS, render

FIELDS: Final = (
    "name", "headline", "location", "employer", "followers", "connections", "about",
    "experience", "photo",
)  # fmt: skip
# Typographic quotes and dashes count as their plain forms.
QUOTES: Final = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)


def exact(text: str) -> str:
    return " ".join(text.translate(QUOTES).split())


def accent_free(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", exact(text).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def observed(profile: Profile) -> dict[str, Any]:
    """The evaluated fields of a profile, in the form the truth files use."""
    counts = profile.counts
    current = next((e.organisation for e in profile.experience or [] if e.current), None)
    return {
        "name": profile.name,
        "headline": profile.headline,
        "location": profile.location,
        "employer": current,
        "followers": counts.followers.value if counts and counts.followers else None,
        "connections": (
            {"value": counts.connections.value, "at_least": counts.connections.at_least}
            if counts and counts.connections
            else None
        ),
        "about": profile.about,
        "experience": [
            {"title": e.title, "organisation": e.organisation}
            for e in profile.experience or []
            if e.title is not None
        ],
        "photo": profile.photo is not None,
    }


def _same(got: Any, want: Any, normalise: Any) -> bool:
    if isinstance(want, str):
        return isinstance(got, str) and normalise(got) == normalise(want)
    if isinstance(want, list):
        return (
            isinstance(got, list)
            and len(got) == len(want)
            and all(_same(g, w, normalise) for g, w in zip(got, want, strict=True))
        )
    if isinstance(want, dict):
        return isinstance(got, dict) and all(
            _same(got.get(k), v, normalise) for k, v in want.items()
        )
    return bool(got == want)


@dataclass
class Tally:
    exact: int = 0
    accent_free: int = 0
    total: int = 0


def evaluate(which: str) -> dict[str, Any]:
    """Per layout and field: how many visible fields were read exactly / up to accents."""
    tallies: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    seconds: list[float] = []
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        for image in render(Path(folder), which=which):
            truth = json.loads(image.with_suffix(".json").read_text(encoding="utf-8"))
            truth["photo"] = truth.pop("has_photo")
            started = time.perf_counter()
            try:
                profile = read_screenshot(image.read_bytes(), source=image.name).profile
            except Exception as error:
                failures.append(f"{image.name}: {error}")
                profile = Profile()
            seconds.append(time.perf_counter() - started)
            got = observed(profile)
            for field in FIELDS:
                want = truth.get(field)
                if want is None or want == []:
                    continue
                tally = tallies[truth["layout"]][field]
                tally.total += 1
                tally.exact += _same(got[field], want, exact)
                tally.accent_free += _same(got[field], want, accent_free)
    return {
        "set": which,
        "screenshots": len(seconds),
        "median_seconds": statistics.median(seconds),
        "max_seconds": max(seconds),
        "failures": failures,
        "layouts": {
            layout: {field: vars(tally) for field, tally in fields.items()}
            for layout, fields in tallies.items()
        },
    }


def markdown(result: dict[str, Any]) -> str:
    layouts = result["layouts"]
    lines = [
        f"Set `{result['set']}`: {result['screenshots']} screenshots, median "
        f"{result['median_seconds']:.2f} s each on one core (slowest {result['max_seconds']:.2f} s).",
        "",
        "| field | " + " | ".join(layouts) + " | all |",
        "|---|" + "---|" * (len(layouts) + 1),
    ]
    for field in FIELDS:
        cells = []
        exact_sum = accent_sum = total_sum = 0
        for layout in layouts:
            tally = layouts[layout].get(field)
            if tally is None:
                cells.append("—")
                continue
            exact_sum += tally["exact"]
            accent_sum += tally["accent_free"]
            total_sum += tally["total"]
            cells.append(_cell(tally["exact"], tally["accent_free"], tally["total"]))
        overall = _cell(exact_sum, accent_sum, total_sum) if total_sum else "—"
        lines.append(f"| {field} | " + " | ".join(cells) + f" | {overall} |")
    if result["failures"]:
        lines += ["", "Failures:", *(f"- {failure}" for failure in result["failures"])]
    return "\n".join(lines)


def _cell(exact_count: int, accent_count: int, total: int) -> str:
    shown = f"{exact_count}/{total}"
    return shown if accent_count == exact_count else f"{shown} ({accent_count} ignoring accents)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", dest="which", choices=[*sorted(SETS), "both"], default="both")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    arguments = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, OCR included
    sets = sorted(SETS, reverse=True) if arguments.which == "both" else [arguments.which]
    results = [evaluate(which) for which in sets]
    if arguments.json:
        print(json.dumps(results, indent=2))
    else:
        print("\n\n".join(markdown(result) for result in results))


if __name__ == "__main__":
    main()
