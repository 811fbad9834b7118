"""A copy of a screenshot with a labelled box around each field read from it, so that a person
can see at a glance what linkvet took for the name, the headline, the counts, ..."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Final

from PIL import Image, ImageDraw, ImageFont

if TYPE_CHECKING:
    from linkvet.ingest.screenshot import ScreenshotReading

# The picture is for looking at, not for forensics: a phone capture is shown at half size.
MAX_WIDTH: Final = 1000
COLOURS: Final = {
    "name": (214, 39, 40),
    "headline": (255, 127, 14),
    "location": (44, 160, 44),
    "employer": (148, 103, 189),
    "counts": (31, 119, 180),
    "about": (140, 86, 75),
    "experience": (227, 119, 194),
    "photo": (23, 190, 207),
}
OTHER: Final = (127, 127, 127)


def _colour(field: str) -> tuple[int, int, int]:
    family = field.split(".")[0].split("[")[0]
    return COLOURS.get(family, OTHER)


def draw_reading(data: bytes, reading: ScreenshotReading) -> bytes:
    """PNG bytes: the screenshot, shrunk to at most MAX_WIDTH wide, with each field boxed."""
    with Image.open(io.BytesIO(data)) as opened:
        image = opened.convert("RGB")
    scale = min(1.0, MAX_WIDTH / image.width)
    if scale < 1.0:
        image = image.resize(
            (round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS
        )
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=13)
    # Fields read from one line (followers and connections) share a box and a label.
    labels: dict[tuple[int, int, int, int], list[str]] = {}
    for item in reading.fields:
        key = (item.box.left, item.box.top, item.box.right, item.box.bottom)
        labels.setdefault(key, []).append(item.field)
    for (left, top, right, bottom), fields in labels.items():
        colour = _colour(fields[0])
        box = (
            round(left * scale) - 2,
            round(top * scale) - 2,
            round(right * scale) + 2,
            round(bottom * scale) + 2,
        )
        draw.rectangle(box, outline=colour, width=2)
        # The label goes to the right of the box, so that it never hides the text read.
        label = ", ".join(fields)
        text_box = draw.textbbox((box[2] + 6, box[1]), label, font=font, anchor="lt")
        if text_box[2] > image.width:
            shift = text_box[2] - image.width + 2
            text_box = (text_box[0] - shift, text_box[1], text_box[2] - shift, text_box[3])
        draw.rectangle(
            (text_box[0] - 3, text_box[1] - 2, text_box[2] + 3, text_box[3] + 2), fill=colour
        )
        draw.text((text_box[0], text_box[1]), label, fill=(255, 255, 255), font=font, anchor="lt")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
