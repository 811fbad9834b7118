"""The certificate for passing the "Spot the fake" quiz: a one-page PDF rendered from an HTML
template (Jinja2, autoescaping on) by WeasyPrint, offline.

The person's name is untrusted input. It is normalised (NFC), stripped of control and formatting
characters (terminal escapes, right-to-left overrides that reorder what is shown), collapsed to
single spaces and capped at 100 characters; the template escapes it; and the PDF renderer
refuses every resource except data: URIs, so even markup that got through could fetch nothing.

The certificate ID is a short hash of the name, the date and the score, so that a security team
can match a certificate shown to them with `certificate_id`. It is a matching code, not a
signature: anyone with linkvet can compute it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import unicodedata
from functools import cache
from typing import TYPE_CHECKING, Final

from linkvet.errors import LinkvetError
from linkvet.learn.results import QuizResult

if TYPE_CHECKING:
    import jinja2

MAX_NAME_CHARS: Final = 100
MAX_TITLE_CHARS: Final = 200
# Zero-width joiner and non-joiner are formatting characters that some scripts need to spell a
# name correctly; every other control or formatting character goes.
_KEEP: Final = frozenset("\u200c\u200d")
_DROP_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_MONTHS: Final = (
    "January February March April May June July August September October November December"
).split()
_SEAL_SVG: Final = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
    '<circle cx="32" cy="32" r="29" fill="#1f4e79"/>'
    '<circle cx="32" cy="32" r="24" fill="none" stroke="#fff" stroke-width="2"/>'
    '<path d="M20 33 l8 8 l16 -18" fill="none" stroke="#fff" stroke-width="5" '
    'stroke-linecap="round" stroke-linejoin="round"/></svg>'
)
SEAL_URI: Final = "data:image/svg+xml;base64," + base64.b64encode(_SEAL_SVG.encode()).decode()


class CertificateError(LinkvetError):
    """A certificate cannot be made: no usable name, a result that is not a pass, or the `web`
    extra (Jinja2, WeasyPrint) is not installed."""


def clean_name(value: str, *, limit: int = MAX_NAME_CHARS) -> str:
    """Untrusted text as it may be printed: NFC, no control or formatting characters, whitespace
    runs as one space, at most `limit` characters. Cleaning twice changes nothing."""
    kept = "".join(_printable(char) for char in unicodedata.normalize("NFC", value))
    return " ".join(kept.split())[:limit].rstrip()


def _printable(char: str) -> str:
    if char.isspace():  # tabs and line breaks separate words: keep them as spaces
        return " "
    if unicodedata.category(char) in _DROP_CATEGORIES and char not in _KEEP:
        return ""
    return char


def certificate_id(*, name: str, issued: dt.date, result: QuizResult) -> str:
    """The ID printed on the certificate, such as `LV-3F2A-9C1B-77D0`, from the name as printed,
    the date and the score."""
    fields = (
        "linkvet-certificate-v1",
        clean_name(name),
        _day(issued).isoformat(),
        f"{result.correct}/{result.total}",
    )
    digest = hashlib.sha256("\x1f".join(fields).encode()).hexdigest()[:12].upper()
    return f"LV-{digest[:4]}-{digest[4:8]}-{digest[8:]}"


def certificate_pdf(
    *, name: str, result: QuizResult, issued: dt.date, organisation: str | None = None
) -> bytes:
    """The certificate as PDF bytes, for a passed quiz."""
    html = certificate_html(name=name, result=result, issued=issued, organisation=organisation)
    try:
        from linkvet.learn import _pdf
    except ImportError:
        raise CertificateError(_MISSING_EXTRA) from None
    return _pdf.html_to_pdf(html)


def certificate_html(
    *, name: str, result: QuizResult, issued: dt.date, organisation: str | None = None
) -> str:
    """The certificate's HTML, self-contained (the PDF is made from it; a page may preview it)."""
    shown = clean_name(name)
    if not shown:
        raise CertificateError("the name is empty once control characters are removed")
    if not result.passed:
        raise CertificateError(
            f"a certificate is issued for a pass ({result.pass_mark}% or more); "
            f"this result is {result.percent_label}"
        )
    day = _day(issued)
    return (
        _environment()
        .get_template("certificate.html")
        .render(
            name=shown,
            organisation=clean_name(organisation) if organisation else "",
            quiz_title=clean_name(result.quiz_title, limit=MAX_TITLE_CHARS),
            issued=f"{day.day} {_MONTHS[day.month - 1]} {day.year}",
            result=result,
            certificate_id=certificate_id(name=shown, issued=day, result=result),
            seal=SEAL_URI,
        )
    )


_MISSING_EXTRA: Final = (
    "certificates need the 'web' extra (Jinja2 and WeasyPrint): pip install 'linkvet[web]'"
)


def _day(issued: dt.date) -> dt.date:
    # A datetime is a date too; the certificate and its ID use the day only.
    return issued.date() if isinstance(issued, dt.datetime) else issued


@cache
def _environment() -> jinja2.Environment:
    try:
        import jinja2
    except ImportError:
        raise CertificateError(_MISSING_EXTRA) from None
    return jinja2.Environment(
        loader=jinja2.PackageLoader("linkvet.learn", "templates"),
        autoescape=True,  # always: the name and the organisation come from the person
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
