"""One entry point for every kind of profile file, chosen by content rather than by name:
linkvet JSON, JSON Resume, LinkedIn's "Save to PDF", or a screenshot of the profile page."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from linkvet._files import write_atomically
from linkvet.errors import InputError
from linkvet.ingest.detect import IMAGE_MAGIC, PDF_MAGIC, ZIP_MAGIC
from linkvet.ingest.json_resume import looks_like_json_resume, profile_from_json_resume
from linkvet.ingest.reading import FieldReadout, InputReading
from linkvet.model import Profile


@dataclass(frozen=True)
class ReadInput:
    profile: Profile
    reading: InputReading


def read_input(data: bytes, *, source: str, pictures: Path | None = None) -> ReadInput:
    """The profile in `data` and how it was read. `pictures`, when given, receives a copy of a
    screenshot with the box of each field read drawn on it."""
    head = data[:16]
    if head.startswith(PDF_MAGIC):
        from linkvet.ingest.linkedin_pdf import read_linkedin_pdf_reading

        pdf = read_linkedin_pdf_reading(data, source=source)
        reading = InputReading(
            kind="linkedin-pdf", fields=_readouts(pdf.profile), skipped=pdf.skipped
        )
        return ReadInput(pdf.profile, reading)
    if head.startswith(IMAGE_MAGIC):
        return _read_screenshot(data, source=source, pictures=pictures)
    if head.startswith(ZIP_MAGIC):
        raise InputError(
            "this is a zip archive, not one profile: for LinkedIn's data export use "
            "`linkvet scan-export ARCHIVE.zip`",
            source=source,
        )
    from linkvet.api import parse_json_object, profile_from_dict

    parsed = parse_json_object(data, source=source)
    if looks_like_json_resume(parsed):
        return ReadInput(
            profile_from_json_resume(parsed, source=source), InputReading(kind="json-resume")
        )
    return ReadInput(profile_from_dict(parsed, source=source), InputReading(kind="json"))


def _readouts(profile: Profile) -> tuple[FieldReadout, ...]:
    """The main fields found in a document without positions (a PDF), for the person to check."""
    found = [
        FieldReadout(field=name, text=value)
        for name in ("name", "headline", "location", "about")
        if isinstance(value := getattr(profile, name), str)
    ]
    for index, role in enumerate(profile.experience or []):
        dates = " - ".join(str(d) for d in (role.start, role.end) if d is not None)
        shown = " · ".join(
            part for part in (role.title, role.organisation, dates, "current" if role.current else "")
            if part
        )  # fmt: skip
        found.append(FieldReadout(field=f"experience[{index}]", text=shown))
    for index, school in enumerate(profile.education or []):
        found.append(FieldReadout(field=f"education[{index}]", text=school.school or "?"))
    if profile.skills:
        found.append(FieldReadout(field="skills", text=", ".join(s.name for s in profile.skills)))
    return tuple(found)


def _read_screenshot(data: bytes, *, source: str, pictures: Path | None) -> ReadInput:
    from linkvet.ingest.screenshot import read_screenshot
    from linkvet.report.reading_picture import draw_reading

    reading = read_screenshot(data, source=source)
    picture = None
    if pictures is not None:
        target = pictures / f"{hashlib.sha256(data).hexdigest()[:16]}-read.png"
        picture = str(write_atomically(target, draw_reading(data, reading)))
    fields = tuple(
        FieldReadout(
            field=item.field,
            text=item.text,
            box=(item.box.left, item.box.top, item.box.right, item.box.bottom),
            confidence=item.confidence,
        )
        for item in reading.fields
    )
    return ReadInput(
        reading.profile,
        InputReading(kind="screenshot", fields=fields, skipped=reading.skipped, picture=picture),
    )
