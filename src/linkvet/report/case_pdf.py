"""A case as a PDF for the organisation's protective-security team: the rating and the reasons,
the profile as it was read, what the checks cannot see, related cases, analyst notes and the
reporter's note. Rendered from an HTML template (Jinja2, autoescaping on) by WeasyPrint, offline.

Everything from the reported profile, the reporter and the analysts is untrusted text. The
template escapes it; control characters and bidirectional overrides are shown as \\uXXXX
escapes, so that they cannot hide or reorder words; long texts and lists are capped, saying how
much was left out. The photo is decoded by Pillow, checked, downscaled and re-encoded as PNG
before it is embedded as a data: URI: WeasyPrint never sees the stored bytes. The renderer
refuses every resource but data: URIs, so nothing in a case can make it fetch or read a file.

The persona is *reported*: the document rates risk and shows evidence, and asserts nothing of
who is behind the account. The reporter's name and contact appear only when asked for.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Final

from PIL import Image

from linkvet.errors import LinkvetError
from linkvet.model import Photo
from linkvet.photo.image import PhotoError, load_photo
from linkvet.report.html_report import BAND_COLOUR
from linkvet.report.text import VERDICT, printable
from linkvet.store import LinkRecord, NoteRecord, ReportRecord, profile_of

if TYPE_CHECKING:
    import jinja2

__all__ = ["CaseReportError", "case_html", "case_pdf"]

FOOTER_CLAIM: Final = "linkvet rates risk and shows evidence; it never claims certainty"
# Formats embedded as they are shown on profiles; anything else is left out with a note.
EMBEDDED_FORMATS: Final = frozenset({"PNG", "JPEG", "WEBP"})
PHOTO_SIDE: Final = 320  # pixels: sharp at the 40 mm it is printed
# Caps on untrusted text and lists, so that a hostile or huge case still makes a readable PDF.
MAX_TEXT: Final = 4000
MAX_EXCERPT: Final = 300
MAX_MESSAGES: Final = 50
MAX_ENTRIES: Final = 50
CUT: Final = " … (cut short here; the case store holds the full text)"


class CaseReportError(LinkvetError):
    """A case report cannot be made: the `web` extra (Jinja2, WeasyPrint) is not installed."""


@dataclass(frozen=True, slots=True)
class _Photo:
    """The profile photo as it may be printed: a data: URI of a re-encoded PNG, or why not."""

    uri: str | None = None
    left_out: str | None = None


def case_pdf(
    case: ReportRecord,
    *,
    organisation_name: str,
    photos: Mapping[str, bytes],
    notes: Sequence[NoteRecord],
    related: Sequence[LinkRecord],
    generated_by: str,
    generated_at: dt.datetime,
    include_reporter: bool = False,
) -> bytes:
    """The case report as PDF bytes. `photos` maps the sha256 named in `case.profile_json` to
    the picture's bytes (`Store.photos` gives them); `notes` and `related` are printed in the
    order given. The reporter's name and contact are printed only if `include_reporter`."""
    html = case_html(
        case,
        organisation_name=organisation_name,
        photos=photos,
        notes=notes,
        related=related,
        generated_by=generated_by,
        generated_at=generated_at,
        include_reporter=include_reporter,
    )
    try:
        from linkvet.learn import _pdf
    except ImportError:
        raise CaseReportError(_MISSING_EXTRA) from None
    return _pdf.html_to_pdf(html)


def case_html(
    case: ReportRecord,
    *,
    organisation_name: str,
    photos: Mapping[str, bytes],
    notes: Sequence[NoteRecord],
    related: Sequence[LinkRecord],
    generated_by: str,
    generated_at: dt.datetime,
    include_reporter: bool = False,
) -> str:
    """The case report's HTML, self-contained (the PDF is made from it)."""
    assessment = case.assessment
    profile = profile_of(case.profile_json, photos)
    return (
        _environment()
        .get_template("case.html")
        .render(
            case=case,
            organisation_name=organisation_name,
            subject=case.subject_name or assessment.subject.name or "Unnamed contact",
            assessment=assessment,
            band_colour=BAND_COLOUR[case.band],
            verdict=VERDICT[case.band],
            counted=[reason for reason in assessment.reasons if reason.contribution != 0],
            noted=[reason for reason in assessment.reasons if reason.contribution == 0],
            profile=profile,
            photo=_photo(profile.photo) if profile.photo else None,
            notes=notes,
            related=related,
            include_reporter=include_reporter,
            generated_by=generated_by,
            generated_at=generated_at,
            footer_claim=FOOTER_CLAIM,
            max_text=MAX_TEXT,
            max_excerpt=MAX_EXCERPT,
            max_messages=MAX_MESSAGES,
            max_entries=MAX_ENTRIES,
            cut=CUT,
        )
    )


def _photo(photo: Photo) -> _Photo:
    if photo.data is None:
        return _Photo(left_out="The photo is not shown: the case store holds no copy of it.")
    try:
        # load_photo checks size and pixel count before decoding, and normalises the pixels.
        loaded = load_photo(photo.data)
    except PhotoError as error:
        return _Photo(left_out=f"The photo was left out: {error}.")
    if loaded.format not in EMBEDDED_FORMATS:
        return _Photo(
            left_out=f"The photo was left out: it is a {loaded.format} file, and only PNG, "
            "JPEG and WebP photos are embedded."
        )
    image = Image.fromarray(loaded.pixels)
    image.thumbnail((PHOTO_SIDE, PHOTO_SIDE), Image.Resampling.LANCZOS)
    png = io.BytesIO()
    image.save(png, "PNG")
    return _Photo(uri="data:image/png;base64," + base64.b64encode(png.getvalue()).decode())


def _when(moment: dt.datetime) -> str:
    # SQLite hands datetimes back without a zone; the store writes them in UTC.
    utc = moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)
    return utc.strftime("%d %b %Y %H:%M UTC")


def _shown(value: Any) -> Any:
    """Every value printed by the template: text with its control characters made visible."""
    return printable(value) if isinstance(value, str) else value


_MISSING_EXTRA: Final = (
    "case reports need the 'web' extra (Jinja2 and WeasyPrint): pip install 'linkvet[web]'"
)


@cache
def _environment() -> jinja2.Environment:
    try:
        import jinja2
    except ImportError:
        raise CaseReportError(_MISSING_EXTRA) from None
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("linkvet.report", "templates"),
        autoescape=True,  # always: profile, reporter and analyst texts are untrusted
        undefined=jinja2.StrictUndefined,
        finalize=_shown,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["when"] = _when
    return environment
