"""Seconds to read a profile screenshot on one core, against bare Tesseract on the same file.

Run: `.venv/bin/python -m benchmarks.bench_screenshot` (renders the development screenshots in
Debian's Chromium first; about two minutes).

linkvet's reader = decoding, preparing the copy Tesseract reads (grey, dark themes inverted,
1x desktop captures enlarged twice), Tesseract with four languages, finding the fields, cutting
out the photo and finding its face. The obvious alternative, in the same run: the `tesseract`
command on the original file with English only and default settings, which gives text but no
fields. The ratio says what the preparation, the four languages and the field finding cost.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from linkvet.ingest.ocr import tesseract_path
from linkvet.ingest.screenshot import read_screenshot
from scripts.render_screenshot_fixtures import render


def _seconds(action: object, repeats: int = 2) -> float:
    assert callable(action)
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    tesseract = tesseract_path()
    with tempfile.TemporaryDirectory() as folder:
        images = render(Path(folder), which="dev")
        ours: dict[str, list[float]] = {}
        bare: dict[str, list[float]] = {}
        for image in images:
            layout = image.stem.split(".")[1]
            data = image.read_bytes()
            ours.setdefault(layout, []).append(
                _seconds(lambda data=data: read_screenshot(data, source="bench"))
            )
            bare.setdefault(layout, []).append(
                _seconds(
                    lambda image=image: subprocess.run(
                        [tesseract, str(image), "stdout", "-l", "eng"],
                        capture_output=True,
                        check=True,
                        env=environment,
                    )
                )
            )
    print("| layout | linkvet reader, median s | bare tesseract (eng), median s | ratio |")
    print("|---|---|---|---|")
    for layout in ours:
        mine, theirs = statistics.median(ours[layout]), statistics.median(bare[layout])
        print(f"| {layout} | {mine:.2f} | {theirs:.2f} | {mine / theirs:.2f}x |")
    every_ours = [s for values in ours.values() for s in values]
    every_bare = [s for values in bare.values() for s in values]
    print(
        f"| all ({len(every_ours)}) | {statistics.median(every_ours):.2f} | "
        f"{statistics.median(every_bare):.2f} | "
        f"{statistics.median(every_ours) / statistics.median(every_bare):.2f}x |"
    )


if __name__ == "__main__":
    main()
