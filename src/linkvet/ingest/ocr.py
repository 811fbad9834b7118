"""Text and where it sits, read from a screenshot with Tesseract (Debian's `tesseract-ocr`).

Tesseract runs as a separate program on a copy of the image prepared for it: grey, dark themes
inverted to dark text on light (Tesseract's models are trained on print), and small desktop text
enlarged. Every position is given back in the original image's pixels, so that the report can
show where each field was read.
"""

from __future__ import annotations

import io
import os
import shutil
import statistics
import subprocess
from dataclasses import dataclass
from typing import Final

import numpy as np
from PIL import Image, ImageOps

from linkvet.errors import InputError

# Languages read at once: LinkedIn's interface strings in the languages we parse. Each adds
# about a tenth to the time (docs/benchmarks.md).
LANGUAGES: Final = "eng+deu+fra+spa"
OCR_TIMEOUT_SECONDS: Final = 120
# Desktop captures at 1x carry 14-pixel text; Tesseract reads it far better twice as large.
SMALL_TEXT_WIDTH: Final = 2000
DARK_MEAN: Final = 110
INSTALL_HINT: Final = (
    "reading screenshots needs Tesseract OCR: on Debian `apt-get install tesseract-ocr "
    "tesseract-ocr-eng tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-spa` (`make run` does this)"
)


class OcrUnavailable(InputError):
    """Tesseract or one of its language files is not installed."""


@dataclass(frozen=True)
class Box:
    """A rectangle in the screenshot's pixels."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def height(self) -> int:
        return self.bottom - self.top

    def union(self, other: Box) -> Box:
        return Box(
            min(self.left, other.left),
            min(self.top, other.top),
            max(self.right, other.right),
            max(self.bottom, other.bottom),
        )


@dataclass(frozen=True)
class Word:
    text: str
    box: Box
    confidence: float  # 0..100, Tesseract's own


@dataclass(frozen=True)
class Line:
    """Words Tesseract put on one line, left to right."""

    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)

    @property
    def box(self) -> Box:
        box = self.words[0].box
        for word in self.words[1:]:
            box = box.union(word.box)
        return box

    @property
    def text_height(self) -> float:
        """The median word height: the font size, robust to one tall glyph or a stray mark."""
        return statistics.median(word.box.height for word in self.words)

    @property
    def confidence(self) -> float:
        return statistics.fmean(word.confidence for word in self.words)


def tesseract_path() -> str:
    path = shutil.which("tesseract")
    if path is None:
        raise OcrUnavailable(INSTALL_HINT)
    return path


def prepare(image: Image.Image) -> tuple[Image.Image, float]:
    """The copy Tesseract reads, and the factor from original to prepared pixels."""
    grey = ImageOps.grayscale(image)
    mean = float(np.asarray(grey.resize((64, 64))).mean())
    if mean < DARK_MEAN:
        grey = ImageOps.invert(grey)
    portrait = grey.height > grey.width * 1.3
    scale = 2.0 if not portrait and grey.width < SMALL_TEXT_WIDTH else 1.0
    if scale != 1.0:
        grey = grey.resize(
            (round(grey.width * scale), round(grey.height * scale)), Image.Resampling.LANCZOS
        )
    return grey, scale


def read_lines(
    prepared: Image.Image, *, scale: float, source: str, languages: str = LANGUAGES
) -> list[Line]:
    """Every line of text in an image made ready by `prepare` (which also gave `scale`), top to
    bottom, in the original image's pixel coordinates."""
    buffer = io.BytesIO()
    prepared.save(buffer, format="PNG")
    command = [tesseract_path(), "stdin", "stdout", "-l", languages, "--psm", "3", "tsv"]
    # One thread: the caller decides the parallelism (a batch runs one screenshot per core).
    environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        finished = subprocess.run(  # noqa: S603 (a fixed command; the image goes in on stdin)
            command,
            input=buffer.getvalue(),
            capture_output=True,
            timeout=OCR_TIMEOUT_SECONDS,
            env=environment,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise InputError(
            f"reading the text took longer than {OCR_TIMEOUT_SECONDS} s", source=source
        ) from None
    if finished.returncode != 0:
        errors = finished.stderr.decode("utf-8", "replace")
        message = errors.strip().splitlines()
        detail = message[-1] if message else f"exit status {finished.returncode}"
        if "Failed loading language" in errors:
            raise OcrUnavailable(f"{INSTALL_HINT} ({detail})", source=source)
        raise InputError(f"the OCR program failed: {detail[:200]}", source=source)
    return parse_tsv(finished.stdout.decode("utf-8", "replace"), scale=scale)


def parse_tsv(tsv: str, *, scale: float = 1.0) -> list[Line]:
    """Lines from Tesseract's TSV output, coordinates divided by `scale`."""
    grouped: dict[tuple[str, str, str, str], list[Word]] = {}
    # Tesseract's TSV has no quoting: split on tabs, and take columns by the header's names.
    rows = tsv.split("\n")
    header = rows[0].rstrip("\r").split("\t") if rows else []
    for raw in rows[1:]:
        row = dict(zip(header, raw.rstrip("\r").split("\t"), strict=False))
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        try:
            left, top = int(row["left"]), int(row["top"])
            width, height = int(row["width"]), int(row["height"])
            confidence = float(row["conf"])
        except (KeyError, TypeError, ValueError):
            continue
        if width <= 0 or height <= 0 or not 0 <= confidence <= 100:
            continue
        box = Box(
            round(left / scale),
            round(top / scale),
            round((left + width) / scale),
            round((top + height) / scale),
        )
        key = (
            row.get("page_num", ""),
            row.get("block_num", ""),
            row.get("par_num", ""),
            row.get("line_num", ""),
        )
        grouped.setdefault(key, []).append(Word(text, box, confidence))
    lines = [Line(tuple(sorted(words, key=lambda w: w.box.left))) for words in grouped.values()]
    return sorted(lines, key=lambda line: (line.box.top, line.box.left))
