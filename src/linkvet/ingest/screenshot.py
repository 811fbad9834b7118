"""A profile screenshot → a `Profile`, with where on the picture each field was read.

LinkedIn's profile page has the same anatomy on a desktop and a phone, in light and dark themes
and in every interface language: the photo above the name; the name in the largest type of the
header card; the headline under it in the same dark ink; the location in grey ink followed by
"Contact info"; then the follower and connection counts; then cards headed "About",
"Experience", ... The reader finds those anchors in the OCR lines (see `ocr.py`) rather than
trusting fixed positions, so a different window size or zoom does not matter.

What it cannot see is said in `ScreenshotReading.skipped`: a field outside the capture, a
photo without a detectable face, counts that were cut off.
"""

from __future__ import annotations

import base64
import io
import re
import statistics
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from linkvet._counts import CountError, parse_count
from linkvet._dates import DateError, PartialDate, is_present_word
from linkvet.errors import InputError
from linkvet.ingest.ocr import Box, Line, prepare, read_lines
from linkvet.model import Count, Counts, Experience, Photo, Platform, Profile
from linkvet.photo.image import DECODER_ERRORS

MAX_SCREENSHOT_BYTES: Final = 30_000_000
# A full-page capture of a long profile on a 3x phone is about 1,200 x 12,000.
MAX_SCREENSHOT_PIXELS: Final = 40_000_000
MIN_SCREENSHOT_SIDE: Final = 200
# The profile photo is handed to the photo checks at least this wide.
PHOTO_SIDE: Final = 320

# Interface words, accent-free and lower case (see `fold`), in the languages `ocr.LANGUAGES` reads.
CONTACT_INFO: Final = ("contact info", "kontaktinfo", "coordonnees", "informacion de contacto")
FOLLOWER_WORDS: Final = ("followers", "follower", "follower:innen", "abonnes", "seguidores")
CONNECTION_WORDS: Final = ("connections", "kontakte", "relations", "contactos")
HEADINGS: Final[dict[str, tuple[str, ...]]] = {
    "about": ("about", "info", "infos", "acerca de"),
    "experience": ("experience", "berufserfahrung", "experiencia"),
    "education": ("education", "ausbildung", "formation", "educacion"),
    "other": (
        "activity", "aktivitaten", "activite", "actividad", "featured", "im fokus", "en vedette",
        "destacado", "skills", "kenntnisse", "competences", "aptitudes", "languages", "sprachen",
        "langues", "idiomas", "licenses & certifications", "recommendations", "interests",
        "people also viewed", "mitglieder haben sich auch angesehen", "autres profils consultes",
        "otros perfiles vistos", "volunteering", "projects", "publications", "honors & awards",
    ),
}  # fmt: skip
SEE_MORE: Final = re.compile(r"\s*(?:\.\.\.|…)\s*(?:see more|mehr anzeigen|voir plus|ver mas)\s*$")
# "·" is read as "-", ":", "." or "•"; a separator always has spaces on both sides.
SEPARATOR: Final = re.compile(r"\s+[·•:\-\u2013\u2014.]\s+")
# Pronouns after the name ("She/Her", "er/ihm"); OCR may misread the letters but keeps the slash.
PRONOUNS: Final = re.compile(r"\s+\(?[^\s/()]{1,5}\s?/\s?[^\s/()]{1,6}\)?\s*$")
# A lone "|" in prose is almost always the word "I" misread.
LONE_BAR: Final = re.compile(r"(?:(?<=^)|(?<=[.!?]\s)|(?<=\s))\|(?=\s+[a-z])")
DATE_PARTS: Final = re.compile(r"\s+[-\u2013\u2014]\s+|\s*[·•:]\s+|\s+\.\s+")
YEAR: Final = re.compile(r"\b(?:19|20)\d\d\b")
EMPLOYMENT_TYPES: Final = (
    "full-time", "part-time", "self-employed", "freelance", "contract", "internship",
    "vollzeit", "teilzeit", "temps plein", "temps partiel", "jornada completa",
    "media jornada",
)  # fmt: skip


@dataclass(frozen=True)
class FieldRead:
    """One field of the profile and the text it came from."""

    field: str
    text: str
    box: Box
    confidence: float


@dataclass(frozen=True)
class ScreenshotReading:
    profile: Profile
    fields: tuple[FieldRead, ...]
    skipped: tuple[str, ...]
    photo_box: Box | None
    width: int
    height: int


@dataclass
class _Page:
    """The lines of one screenshot and how dark their ink is."""

    lines: list[Line]
    ink: list[float]
    width: int
    fields: list[FieldRead] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def note(self, name: str, lines: Sequence[Line], text: str) -> None:
        box = lines[0].box
        for line in lines[1:]:
            box = box.union(line.box)
        confidence = statistics.fmean(line.confidence for line in lines)
        self.fields.append(FieldRead(name, text, box, round(confidence, 1)))


def fold(text: str) -> str:
    """Lower case without accents: OCR drops and adds them ("Bäumer" read as "Baumer")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def load_screenshot(data: bytes, *, source: str) -> Image.Image:
    """The screenshot as RGB, after checking size and pixel count before decoding."""
    if len(data) > MAX_SCREENSHOT_BYTES:
        raise InputError(
            f"the screenshot is larger than {MAX_SCREENSHOT_BYTES // 1_000_000} MB", source=source
        )
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in ("PNG", "JPEG", "WEBP"):
            raise InputError(
                f"a screenshot must be PNG, JPEG or WebP, not {image.format}", source=source
            )
        if image.width * image.height > MAX_SCREENSHOT_PIXELS:
            raise InputError(
                f"the screenshot has {image.width} x {image.height} pixels, more than the "
                f"{MAX_SCREENSHOT_PIXELS // 1_000_000} million a profile capture needs",
                source=source,
            )
        if min(image.width, image.height) < MIN_SCREENSHOT_SIDE:
            raise InputError(
                f"the screenshot is only {image.width} x {image.height} pixels: too small to read",
                source=source,
            )
        upright = ImageOps.exif_transpose(image).convert("RGB")
        upright.load()
    except InputError:
        raise
    except Image.DecompressionBombError:
        raise InputError(
            f"the screenshot claims more pixels than the {MAX_SCREENSHOT_PIXELS // 1_000_000} "
            "million a profile capture needs (a decompression bomb?)",
            source=source,
        ) from None
    except UnidentifiedImageError:
        raise InputError(
            "not an image linkvet can read: a screenshot must be PNG, JPEG or WebP", source=source
        ) from None
    except DECODER_ERRORS as error:
        raise InputError(f"cannot read the screenshot: {error}", source=source) from None
    return upright


def read_screenshot(data: bytes, *, source: str) -> ScreenshotReading:
    """Read a LinkedIn profile screenshot; InputError when no profile can be found in it."""
    image = load_screenshot(data, source=source)
    prepared, scale = prepare(image)
    lines = read_lines(prepared, scale=scale, source=source)
    page = _Page(lines, [_ink(prepared, line.box, image.width) for line in lines], image.width)
    return _read_page(page, image, source=source)


def _ink(prepared: Image.Image, box: Box, width: int) -> float:
    """How dark a line's text is on the prepared (dark-on-light) copy: the 5th percentile."""
    scale = prepared.width / width
    crop = prepared.crop(
        (round(box.left * scale), round(box.top * scale), round(box.right * scale),
         round(box.bottom * scale))
    )  # fmt: skip
    values = np.asarray(crop, dtype=np.uint8)
    return float(np.percentile(values, 5)) if values.size else 255.0


def _read_page(page: _Page, image: Image.Image, *, source: str) -> ScreenshotReading:
    location_index = _find_location(page)
    counts_index = _find_counts_line(page)
    anchor = location_index if location_index is not None else counts_index
    if anchor is None:
        raise InputError(
            "no LinkedIn profile found in this screenshot: neither a 'Contact info' line nor "
            "follower or connection counts could be read. Capture the top of the profile page "
            "(photo, name, headline and counts).",
            source=source,
        )
    profile: dict[str, object] = {"platform": Platform.LINKEDIN}
    name_index = _find_name(page, anchor)
    if name_index is None:
        page.skipped.append("name: no line in large type above the location")
    else:
        name = _name_text(page.lines[name_index])
        profile["name"] = name
        page.note("name", [page.lines[name_index]], name)
        headline_lines = _headline_lines(page, name_index, anchor)
        if headline_lines:
            headline = _join([page.lines[i] for i in headline_lines])
            profile["headline"] = headline
            page.note("headline", [page.lines[i] for i in headline_lines], headline)
        else:
            page.skipped.append("headline: nothing between the name and the location")
    if location_index is not None:
        location = _location(page, location_index)
        if location:
            profile["location"] = location
    else:
        page.skipped.append("location: no 'Contact info' line")
    counts = _counts(page, counts_index)
    if counts is not None:
        profile["counts"] = counts
    sections = _sections(page)
    about = sections.get("about")
    if about:
        text = LONE_BAR.sub("I", SEE_MORE.sub("", _join(about)))
        profile["about"] = text
        page.note("about", about, text)
        if SEE_MORE.search(_join(about)):
            page.skipped.append("about: shortened by the platform ('see more'); the rest unseen")
    experience = _experience(page, sections.get("experience", []))
    if experience:
        profile["experience"] = experience
    elif "experience" not in sections:
        page.skipped.append("experience: not in the capture")
    employer = _employer(page, experience, name_index, anchor)
    if employer and not experience:
        profile["experience"] = [Experience(organisation=employer, current=True)]
    photo_box = _find_photo(image, page, name_index)
    if photo_box is not None:
        crop = image.crop((photo_box.left, photo_box.top, photo_box.right, photo_box.bottom))
        if crop.width < PHOTO_SIDE:
            # Shown at screen size the face is too small for the photo checks' face finder.
            side = round(PHOTO_SIDE * crop.height / crop.width)
            crop = crop.resize((PHOTO_SIDE, side), Image.Resampling.LANCZOS)
            page.skipped.append(
                "photo: cut from the screenshot at screen resolution; the photo checks see less "
                "than they would in the original file (save the photo itself for a full check)"
            )
        buffer = io.BytesIO()
        crop.save(buffer, format="PNG")
        # `Photo.data` is Base64Bytes: it takes base64 and holds the decoded bytes.
        profile["photo"] = Photo(data=base64.b64encode(buffer.getvalue()))
        page.fields.append(FieldRead("photo", "(profile photo)", photo_box, 100.0))
    else:
        page.skipped.append(
            "photo: no face found above the name, so the photo was not checked (a default "
            "silhouette, a logo, or a face too small or turned away)"
        )
    try:
        result = Profile.model_validate(profile)
    except ValueError as error:
        raise InputError(f"the text read does not form a profile: {error}", source=source) from None
    return ScreenshotReading(
        profile=result,
        fields=tuple(page.fields),
        skipped=tuple(page.skipped),
        photo_box=photo_box,
        width=image.width,
        height=image.height,
    )


def _contact_info_at(page: _Page, index: int) -> int | None:
    """Where "Contact info" starts in the text of line `index` (it may run on into the next
    line on a narrow phone), or None. The search is on folded text, whose length can differ
    ("ß" folds to "ss"), so the place is mapped back to the line's own characters."""
    original = page.lines[index].text
    # The folded text character by character, each piece remembering where it came from.
    pieces = [
        (fold(character) if character.strip() else " ", at) for at, character in enumerate(original)
    ]
    folded = "".join(piece for piece, _ in pieces)
    origin = [at for piece, at in pieces for _ in piece]
    following = fold(page.lines[index + 1].text) if index + 1 < len(page.lines) else ""
    joined = f"{folded} {following}"
    starts = [joined.find(word) for word in CONTACT_INFO if word in joined]
    start = min(starts, default=-1)
    if not 0 <= start <= len(folded):
        return None
    return origin[start] if start < len(origin) else len(original)


def _find_location(page: _Page) -> int | None:
    for index in range(len(page.lines)):
        if _contact_info_at(page, index) is not None:
            return index
    return None


def _location(page: _Page, index: int) -> str | None:
    """The text before "Contact info"; on a narrow phone it may be the whole line above."""
    line = page.lines[index]
    cut = _contact_info_at(page, index) or 0
    before = SEPARATOR.split(" " + line.text[:cut].strip() + " ")
    text = " ".join(part for part in before if part.strip()).strip(" ·-:•")
    used = [line]
    above = page.lines[index - 1] if index > 0 else None
    if above is not None and not text:
        text = above.text.strip().rstrip("·-:•. ").strip()
        used = [above, line]
    elif above is not None and _wrapped_location(page, index - 1, index):
        text = f"{above.text.strip()} {text}"
        used = [above, line]
    if not text:
        page.skipped.append("location: the line before 'Contact info' is empty")
        return None
    page.note("location", used, text)
    return text


def _wrapped_location(page: _Page, upper: int, lower: int) -> bool:
    """Whether line `upper` holds the start of a location that wrapped ("Greater Manchester,
    England, United" / "Kingdom · Contact info"): same grey ink and column, close above, a
    comma-separated place name rather than the "employer · school" line."""
    above, below = page.lines[upper], page.lines[lower]
    return (
        abs(above.box.left - below.box.left) <= page.width * 0.02
        and below.box.top - above.box.bottom < 0.8 * below.text_height
        and abs(page.ink[upper] - page.ink[lower]) < 30
        and "," in above.text
        and SEPARATOR.search(f" {above.text} ") is None
    )


def _find_counts_line(page: _Page) -> int | None:
    for index, line in enumerate(page.lines):
        folded = fold(line.text)
        if any(re.search(rf"\d\+?\s*{re.escape(word)}\b", folded) for word in
               (*FOLLOWER_WORDS, *CONNECTION_WORDS)):  # fmt: skip
            return index
    return None


_COUNT_BEFORE: Final = re.compile(
    r"(?:(?P<over>\+\s*de|mas\s*de|more\s*than|uber)\s*)?(?P<number>\d[\d.,\s]*[km]?)(?P<plus>\+)?\s*$"
)


def _counts(page: _Page, index: int | None) -> Counts | None:
    if index is None:
        page.skipped.append("counts: no follower or connection counts in the capture")
        return None
    line = page.lines[index]
    folded = fold(line.text)
    found: dict[str, Count] = {}
    for kind, words in (("followers", FOLLOWER_WORDS), ("connections", CONNECTION_WORDS)):
        for word in words:
            position = folded.find(word)
            if position < 0:
                continue
            # The number just before the word, after the previous separator.
            before = SEPARATOR.split(folded[:position])[-1].strip()
            match = _COUNT_BEFORE.search(before[-40:])
            if match is None:
                continue
            number = re.sub(r"[\s.,](?=\d{3}\b)", "", match["number"].strip())
            try:
                value, at_least = parse_count(number + ("+" if match["plus"] else ""))
            except CountError:
                continue
            at_least = at_least or bool(match["over"])
            found[kind] = Count(value=value, at_least=at_least)
            shown = f"{value:,}{'+' if at_least else ''}"
            page.note(f"counts.{kind}", [line], shown)
            break
    if not found:
        page.skipped.append(f"counts: could not read numbers in '{line.text[:80]}'")
        return None
    return Counts.model_validate(found)


def _aligned(line: Line, left: int, tolerance: float) -> bool:
    return abs(line.box.left - left) <= tolerance


def _find_name(page: _Page, anchor: int) -> int | None:
    """The line in the largest type, left-aligned with the anchor, a little above it."""
    anchor_line = page.lines[anchor]
    tolerance = max(page.width * 0.03, anchor_line.text_height * 2)
    window = anchor_line.text_height * 14
    candidates = [
        index
        for index in range(anchor)
        if _aligned(page.lines[index], anchor_line.box.left, tolerance)
        and anchor_line.box.top - page.lines[index].box.top <= window
        and any(character.isalpha() for character in page.lines[index].text)
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda i: (page.lines[i].text_height, -i))


def _name_text(line: Line) -> str:
    """The name without what LinkedIn sets beside it in smaller type (pronouns, "· 2nd")."""
    tallest = max(word.box.height for word in line.words)
    words = [word.text for word in line.words if word.box.height >= 0.75 * tallest]
    return PRONOUNS.sub("", " ".join(words)).strip(" ·-")


def _headline_lines(page: _Page, name_index: int, anchor: int) -> list[int]:
    """The lines under the name in the same dark ink (the grey lines are the employer and
    the location)."""
    name = page.lines[name_index]
    tolerance = max(page.width * 0.03, name.text_height)
    dark = page.ink[name_index]
    muted = page.ink[anchor]
    threshold = (dark + muted) / 2 if muted - dark > 20 else dark + 40
    chosen = []
    for index in range(name_index + 1, anchor):
        line = page.lines[index]
        if not _aligned(line, name.box.left, tolerance):
            continue
        if page.ink[index] > threshold:
            break
        chosen.append(index)
    return chosen


def _join(lines: Sequence[Line]) -> str:
    """Lines of one paragraph as one text; a word broken at a hyphen is put together again."""
    text = ""
    for line in lines:
        part = line.text.strip()
        if text.endswith("-") and not text.endswith(" -"):
            text += part
        else:
            text = f"{text} {part}" if text else part
    return text


def _heading(line: Line) -> str | None:
    folded = fold(line.text).rstrip(":")
    for section, words in HEADINGS.items():
        if folded in words:
            return section
    return None


def _sections(page: _Page) -> dict[str, list[Line]]:
    """Lines under each known card heading, in the heading's column, up to the next heading."""
    sections: dict[str, list[Line]] = {}
    current: str | None = None
    column = 0
    # Card headings are set larger than the text under them ("Info" is also a word in
    # "Contact info" wrapped onto its own line).
    body_height = statistics.median(line.text_height for line in page.lines)
    for line in page.lines:
        heading = _heading(line) if line.text_height >= 1.2 * body_height else None
        if heading is not None:
            current = heading if heading not in sections else None
            column = line.box.left
            if current is not None and current != "other":
                sections[current] = []
            continue
        if current in (None, "other"):
            continue
        if column - page.width * 0.02 <= line.box.left < column + page.width * 0.45:
            sections[current].append(line)
    return sections


def _date_range(text: str) -> tuple[PartialDate | None, PartialDate | None, bool] | None:
    """(start, end, current) from "Jan 2021 - Present · 4 yrs 11 mos"; None if not a range."""
    parts = [part.strip() for part in DATE_PARTS.split(text) if part.strip()]
    if len(parts) < 2 or not YEAR.search(parts[0]):
        return None
    try:
        start = PartialDate.parse(parts[0])
    except DateError:
        return None
    second = parts[1].strip().rstrip(".")
    if is_present_word(fold(second).replace("\u2019", "'")):
        return start, None, True
    try:
        return start, PartialDate.parse(second), False
    except DateError:
        return start, None, False


def _organisation(text: str) -> str:
    """The employer from "Horizon Strategic Consulting · Full-time"."""
    parts = SEPARATOR.split(f" {text} ")
    kept = [part.strip() for part in parts if part.strip() and fold(part) not in EMPLOYMENT_TYPES]
    return kept[0] if kept else text.strip()


def _continues(upper: Line, lower: Line, tolerance: float) -> bool:
    """Whether `lower` is the wrapped rest of `upper`: same column, same type, close below."""
    return (
        abs(upper.box.left - lower.box.left) <= tolerance
        and abs(upper.text_height - lower.text_height) <= 0.2 * lower.text_height
        and lower.box.top - upper.box.bottom < 0.8 * lower.text_height
        and _date_range(upper.text) is None
    )


def _wrapped_employment_type(upper: Line, lower: Line) -> bool:
    """ "Northwind Avionics · Full-" / "time": the employer line wrapped at its end."""
    joined = fold(_join([upper, lower]))
    return any(
        joined.endswith(kind) and not fold(lower.text).endswith(kind) for kind in EMPLOYMENT_TYPES
    )


def _experience(page: _Page, lines: list[Line]) -> list[Experience]:
    """Entries as title, employer, date range: found from each date-range line upwards."""
    entries: list[Experience] = []
    previous_end = 0
    tolerance = page.width * 0.02
    for index, line in enumerate(lines):
        dates = _date_range(line.text)
        if dates is None:
            continue
        organisation_start = index - 1
        if organisation_start - 1 >= previous_end and _wrapped_employment_type(
            lines[organisation_start - 1], lines[organisation_start]
        ):
            organisation_start -= 1
        title_start = organisation_start - 1
        if title_start < previous_end:
            previous_end = index + 1
            continue
        if title_start - 1 >= previous_end and _continues(
            lines[title_start - 1], lines[title_start], tolerance
        ):
            title_start -= 1
        previous_end = index + 1
        title_lines = lines[title_start:organisation_start]
        organisation_lines = lines[organisation_start:index]
        title = _join(title_lines)
        organisation = _organisation(_join(organisation_lines))
        position = len(entries)
        page.note(f"experience[{position}].title", title_lines, title)
        page.note(f"experience[{position}].organisation", organisation_lines, organisation)
        page.note(f"experience[{position}].dates", [line], line.text)
        start, end, current = dates
        entries.append(
            Experience(title=title, organisation=organisation, start=start, end=end,
                       current=current)
        )  # fmt: skip
    return entries


def _employer(
    page: _Page, experience: list[Experience], name_index: int | None, anchor: int
) -> str | None:
    """The current employer: the current role if the capture shows one, else the employer
    named beside the name (desktop) or under the headline (phone)."""
    for entry in experience:
        if entry.current and entry.organisation:
            return entry.organisation
    if name_index is None:
        return None
    name = page.lines[name_index]
    beside = [
        line
        for line in page.lines[:anchor]
        if line.box.left > name.box.left + page.width * 0.35
        and name.box.top - 8 * name.text_height <= line.box.top <= page.lines[anchor].box.bottom
    ]
    if beside:
        employer = beside[0].text.strip()
        page.note("employer", [beside[0]], employer)
        return employer
    headline_end = max([name_index, *_headline_lines(page, name_index, anchor)])
    if headline_end + 1 < anchor:
        line = page.lines[headline_end + 1]
        shown = SEPARATOR.split(f" {line.text} ")[0].strip()
        if shown:
            page.note("employer", [line], shown)
        return shown or None
    return None


def _find_photo(image: Image.Image, page: _Page, name_index: int | None) -> Box | None:
    """The profile photo: a face in the band above the name, cropped with its surroundings."""
    if name_index is None:
        return None
    try:
        from linkvet.photo.faces import FaceModelsMissing, face_finder
    except ImportError:
        return None
    name = page.lines[name_index]
    band_top = max(0, round(name.box.top - 16 * name.text_height))
    band = Box(0, band_top, min(image.width, round(image.width * 0.7)), name.box.top)
    if band.height < 16:
        return None
    crop = image.crop((band.left, band.top, band.right, band.bottom))
    # A photo on a 1x desktop capture is about 150 pixels with a 50-pixel face: too small for
    # the detector, so it looks at the band enlarged.
    zoom = 2 if name.text_height < 30 else 1
    if zoom != 1:
        crop = crop.resize((crop.width * zoom, crop.height * zoom), Image.Resampling.LANCZOS)
    try:
        faces = face_finder().find(np.asarray(crop))
    except FaceModelsMissing:
        page.skipped.append("photo: the photo extra is not installed")
        return None
    if not faces:
        return None
    left, top, right, bottom = (value / zoom for value in faces[0].box)
    # Profile photos are head and shoulders: the face sits above the photo's centre.
    centre_x, centre_y = (left + right) / 2, (top + bottom) / 2 + band.top + (bottom - top) / 2
    # The crop should hold the photo, not only the face: a head-and-shoulders photo's face is
    # a third of its width; a photo is at least about six name-heights across.
    side = max((right - left) * 2.6, name.text_height * 6)
    photo = Box(
        max(0, round(centre_x - side / 2)),
        max(band.top, round(centre_y - side / 2)),
        min(image.width, round(centre_x + side / 2)),
        min(name.box.top, round(centre_y + side / 2)),
    )
    return photo if photo.height > 16 and photo.right - photo.left > 16 else None
