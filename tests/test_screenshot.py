"""Reading profile screenshots: rendered LinkedIn-like pages in Chromium, read back with OCR."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageFont

from linkvet.errors import InputError
from linkvet.ingest.ocr import OcrUnavailable, parse_tsv
from linkvet.ingest.reader import read_input
from linkvet.ingest.screenshot import fold, read_screenshot
from scripts.render_screenshot_fixtures import render

LINKVET = str(Path(sys.executable).parent / "linkvet")


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The development set: six people, four layouts each, rendered once per test run."""
    return render(tmp_path_factory.mktemp("screenshots"), which="dev")


def _truth(image: Path) -> dict[str, object]:
    truth: dict[str, object] = json.loads(image.with_suffix(".json").read_text(encoding="utf-8"))
    return truth


def test_every_layout_gives_name_headline_and_counts(screenshots: list[Path]) -> None:
    assert len(screenshots) == 24
    layouts = {_truth(image)["layout"] for image in screenshots}
    assert layouts == {"desktop-light", "desktop-dark", "phone-light", "phone-dark"}
    for image in screenshots:
        truth = _truth(image)
        profile = read_screenshot(image.read_bytes(), source=image.name).profile
        # OCR may drop an accent ("Bäumer" read as "Baumer"); evaluation.md counts both ways.
        assert fold(profile.name or "") == fold(str(truth["name"])), image.name
        assert fold(profile.headline or "") == fold(str(truth["headline"])), image.name
        assert profile.counts is not None, image.name
        assert profile.counts.followers is not None, image.name
        assert profile.counts.followers.value == truth["followers"], image.name
        connections = profile.counts.connections
        assert connections is not None, image.name
        assert connections.model_dump() == truth["connections"], image.name


def test_reading_says_where_each_field_came_from(screenshots: list[Path]) -> None:
    image = next(path for path in screenshots if path.name == "consultant-en.desktop-light.png")
    reading = read_screenshot(image.read_bytes(), source=image.name)
    fields = {item.field: item for item in reading.fields}
    assert {"name", "headline", "location", "counts.followers", "photo"} <= set(fields)
    name, headline = fields["name"].box, fields["headline"].box
    assert name.bottom <= headline.top, "the name is read above the headline"
    assert 0 <= name.left < name.right <= reading.width
    assert reading.photo_box is not None
    assert reading.photo_box.bottom <= name.top
    assert reading.profile.experience
    assert reading.profile.experience[0].current is True
    assert reading.profile.experience[0].organisation == "Horizon Strategic Consulting"


def test_a_profile_without_photo_says_the_photo_was_not_checked(screenshots: list[Path]) -> None:
    image = next(path for path in screenshots if path.name == "engineer-en.phone-light.png")
    reading = read_screenshot(image.read_bytes(), source=image.name)
    assert reading.profile.photo is None
    assert any(note.startswith("photo:") for note in reading.skipped)


def test_check_reads_a_screenshot_and_draws_the_boxes(
    screenshots: list[Path], tmp_path: Path
) -> None:
    image = next(path for path in screenshots if path.name == "thinktank-en.phone-dark.png")
    # Named .json on purpose: the reader goes by content, not by extension.
    disguised = tmp_path / "profile.json"
    shutil.copy(image, disguised)
    store = tmp_path / "var" / "linkvet.sqlite"
    finished = subprocess.run(
        [LINKVET, "check", str(disguised), "--format", "json", "--store", str(store)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert finished.returncode in (0, 3, 4), finished.stderr
    result = json.loads(finished.stdout)["results"][0]
    assert result["ok"] is True
    assert result["read"]["kind"] == "screenshot"
    assert result["assessment"]["subject"]["name"] == "Michael Chen"
    picture = Path(result["read"]["picture"])
    assert picture.is_file()
    assert picture.parent == store.parent / "pictures"
    with Image.open(picture) as drawn:
        assert drawn.format == "PNG"
        assert drawn.width <= 1000


def test_text_report_shows_what_was_read(screenshots: list[Path], tmp_path: Path) -> None:
    image = next(path for path in screenshots if path.name == "recruiter-de.desktop-light.png")
    finished = subprocess.run(
        [LINKVET, "check", str(image), "--store", str(tmp_path / "store.sqlite")],
        capture_output=True, text=True, check=False, env={"COLUMNS": "160", "PATH": "/usr/bin"},
    )  # fmt: skip
    assert "Read from the screenshot" in finished.stdout
    assert "Vantor Systems GmbH" in finished.stdout
    assert "boxes drawn on:" in finished.stdout


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_screenshot_of_something_else_is_refused_with_a_reason() -> None:
    image = Image.new("RGB", (900, 500), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=28)
    draw.text((40, 40), "Quarterly report: sales rose in the north.", fill="black", font=font)
    draw.text((40, 120), "Meeting notes, Tuesday 14:00, room 3.", fill="black", font=font)
    with pytest.raises(InputError, match="no LinkedIn profile found"):
        read_screenshot(_png(image), source="other.png")


def test_a_blank_picture_is_refused() -> None:
    with pytest.raises(InputError, match="no LinkedIn profile found"):
        read_screenshot(_png(Image.new("RGB", (800, 600), "white")), source="blank.png")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_png(Image.new("RGB", (800, 600)))[:100], "cannot read the screenshot"),
        (_png(Image.new("RGB", (100, 50))), "too small"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "not an image linkvet can read"),
    ],
    ids=["truncated", "tiny", "garbage-after-magic"],
)
def test_broken_images_get_a_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_screenshot(data, source="bad.png")


def test_a_decompression_bomb_is_refused_before_decoding() -> None:
    # A PNG header claiming 50,000 x 50,000 pixels: refused from the header alone.
    image = Image.new("1", (50_000, 50_000))
    with pytest.raises(InputError, match="million a profile capture needs"):
        read_screenshot(_png(image), source="bomb.png")


def test_other_image_formats_are_named() -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 400), "white").save(buffer, format="GIF")
    with pytest.raises(InputError, match="PNG, JPEG or WebP, not GIF"):
        read_input(buffer.getvalue(), source="anim.gif")


def test_missing_tesseract_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    image = Image.new("RGB", (800, 600), "white")
    with pytest.raises(OcrUnavailable, match="apt-get install tesseract-ocr"):
        read_screenshot(_png(image), source="x.png")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_tesseract_output_parsing_never_crashes(text: str) -> None:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    for line in parse_tsv(header + text, scale=2.0):
        assert line.text.strip()
        assert line.box.left <= line.box.right
