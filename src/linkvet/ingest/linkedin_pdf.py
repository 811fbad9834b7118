"""LinkedIn's "Save to PDF" of a profile → a `Profile`.

The PDF has two columns. A narrow sidebar on the left holds "Contact" (e-mail addresses, phone
numbers, "www.linkedin.com/in/HANDLE (LinkedIn)", websites with a label such as "(Company)"),
"Top Skills", "Languages" ("English (Native or Bilingual)"), "Certifications", and sections that
have no place in a profile ("Honors-Awards", "Publications", "Patents"). The main column starts
with the name in the largest type, the headline under it and the location in grey, then
"Summary", "Experience" and "Education" under headers in large type. In Experience each company
name is printed once, bold; each role under it has a title, a grey date line ("March 2015 -
December 2018 (3 years 10 months)"), perhaps a grey location, perhaps a description. A company
with several roles has its total duration under its name. In Education each school is bold, with
one line "Degree, Field · (2008 - 2012)" under it. Every page ends with "Page 1 of 3".

The reader finds those parts by type size, weight and colour, and by the words of the headers in
English, German, French and Spanish, rather than by fixed positions; a header it does not know is
reported in `PdfReading.skipped`. Nothing is invented: a field the PDF does not show stays `None`.
The PDF prints every entry of experience, education, languages and certifications (and the top
three skills), so when every header was understood a missing section is read as `[]`, seen and
empty; when a header was not understood, a missing section stays `None`.

pdfminer reads the file in a child process, limited in memory and time: it can loop forever on a
crafted file (two objects that refer to each other) and inflates compressed streams without limit.
"""

from __future__ import annotations

import io
import itertools
import operator
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ElementTree
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from pydantic import ValidationError

from linkvet._dates import DateError, PartialDate, is_present_word, parse_duration_months
from linkvet.errors import InputError, describe_validation_error
from linkvet.ingest.detect import PDF_MAGIC
from linkvet.model import Platform, Profile

# A real profile is a few pages and well under 1 MB; these limits keep a hostile file cheap.
MAX_PDF_BYTES: Final = 10_000_000
MAX_PAGES: Final = 30
MAX_SECONDS: Final = 30.0
# The reader needs about 50 MB for a profile; pdfminer's XML of a page is about 250 kB.
MAX_MEMORY_BYTES: Final = 512_000_000
MAX_TEXT_XML_BYTES: Final = 32_000_000
# A line of a LinkedIn PDF holds about a hundred characters; a date line, fewer.
MAX_LINE_TEXT: Final = 2_000
MAX_DATE_LINE: Final = 120
MAX_ENTRY_TEXT: Final = 1_000

# Header words as LinkedIn prints them, folded (see `_fold`), per section.
MAIN_SECTIONS: Final[dict[str, tuple[str, ...]]] = {
    "summary": ("summary", "zusammenfassung", "resume", "extracto"),
    "experience": ("experience", "berufserfahrung", "experiencia"),
    "education": ("education", "ausbildung", "formation", "educacion"),
}
SIDE_SECTIONS: Final[dict[str, tuple[str, ...]]] = {
    "contact": ("contact", "kontakt", "coordonnees", "contactar"),
    "skills": (
        "top skills", "top-kenntnisse", "top kenntnisse", "principales competences",
        "aptitudes principales",
    ),
    "languages": ("languages", "sprachen", "langues", "idiomas"),
    "certifications": (
        "certifications", "zertifikate", "zertifizierungen", "bescheinigungen",
        "certificaciones",
    ),
    "unused": (
        "honors-awards", "honors & awards", "auszeichnungen", "distinctions",
        "reconocimientos y premios", "publications", "veroffentlichungen", "publicaciones",
        "patents", "patente", "brevets", "patentes",
    ),
}  # fmt: skip
# Lists the PDF prints in full; `[]` when their section is absent (see the module docstring).
LISTED_IN_FULL: Final = ("experience", "education", "skills", "languages", "certifications")

# "Page 1 of 3", "Seite 1 von 3", "Página 1 de 3": in the bottom margin of every page.
_FOOTER: Final = re.compile(r"\D{1,20}\d{1,4}\D{1,8}(?P<total>\d{1,4})")
_RANGE: Final = re.compile(
    r"(?P<start>[^()]+?)\s+[-\u2013\u2014]\s+(?P<end>[^()]+?)(?:\s*\((?P<duration>[^()]*)\))?"
)
# Spanish and Portuguese put "de" between month and year ("enero de 2019").
_DE: Final = re.compile(r"(?<=[^\W\d_])\s+de\s+(?=\d)")
_TRAILING_DATES: Final = re.compile(r"\s*·?\s*\((?P<dates>[^()]*)\)\s*$")
_LABELLED: Final = re.compile(r"(?P<value>.*?)\s*\((?P<label>[^()]*)\)")
_LABEL: Final = re.compile(r"\([^()]*\)")
_LINKEDIN: Final = re.compile(
    r"(?:https?://)?(?:[\w-]+\.)?linkedin\.com/in/(?P<handle>[^/\s?#]+)/?", re.IGNORECASE
)
_PHONE: Final = re.compile(r"\+?[\d\s().\-/]{7,30}")
_NUMBER: Final = re.compile(r"-?\d+(?:\.\d+)?")

# The child process: pdfminer writes every character with its font, size, colour and box as
# XML. Only pdfminer is imported there, so that it starts quickly.
_EXTRACTOR: Final = """
import io, logging, sys, warnings
memory, seconds, pages, most = (int(value) for value in sys.argv[1:5])
try:
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))
except (ImportError, ValueError, OSError):
    pass
logging.disable(logging.CRITICAL)
warnings.simplefilter("ignore")
from pdfminer.high_level import extract_text_to_fp
from pdfminer.layout import LAParams
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
data = sys.stdin.buffer.read()
out = io.BytesIO()
try:
    extract_text_to_fp(io.BytesIO(data), out, output_type="xml", laparams=LAParams(boxes_flow=None),
                       maxpages=pages, strip_control=True)
except PDFPasswordIncorrect:
    sys.stderr.write("password\\n")
    sys.exit(3)
except PDFEncryptionError as error:
    sys.stderr.write(f"encrypted\\t{error}"[:300] + "\\n")
    sys.exit(3)
except MemoryError:
    sys.stderr.write("memory\\n")
    sys.exit(3)
except Exception as error:
    sys.stderr.write(f"damaged\\t{type(error).__name__}: {error}"[:200] + "\\n")
    sys.exit(3)
if out.tell() > most:
    sys.stderr.write("too-much-text\\n")
    sys.exit(3)
sys.stdout.buffer.write(out.getvalue())
"""


class PdfProfileError(InputError):
    """The file cannot be read as LinkedIn's PDF of a profile: the message says why."""


@dataclass(frozen=True)
class PdfReading:
    """The profile read from the PDF, and what was left out, and why."""

    profile: Profile
    skipped: tuple[str, ...] = ()


def looks_like_pdf(data: bytes) -> bool:
    """True when `data` starts as a PDF does (`%PDF-`)."""
    return data.startswith(PDF_MAGIC)


def read_linkedin_pdf(data: bytes, *, source: str) -> Profile:
    """The `Profile` in LinkedIn's "Save to PDF" file; `PdfProfileError` says why when the file
    is not one (not a PDF, damaged, encrypted, a scan without text, another kind of PDF)."""
    return read_linkedin_pdf_reading(data, source=source).profile


def read_linkedin_pdf_reading(data: bytes, *, source: str) -> PdfReading:
    """Like `read_linkedin_pdf`, with the notes on what was skipped (pages past `MAX_PAGES`,
    sections linkvet has no field for or does not know, lines it could not read)."""
    if len(data) > MAX_PDF_BYTES:
        raise PdfProfileError(
            f"the PDF is {len(data) / 1e6:.1f} MB; LinkedIn's PDF of a profile is well under "
            f"{MAX_PDF_BYTES // 1_000_000} MB, the most linkvet reads",
            source=source,
        )
    if not looks_like_pdf(data):
        raise PdfProfileError("this is not a PDF (it does not start with %PDF-)", source=source)
    if b"%%EOF" not in data[-1024:]:
        raise PdfProfileError(
            "the PDF is incomplete (it does not end with %%EOF), perhaps cut off while "
            "downloading: save the profile to PDF again",
            source=source,
        )
    return _reading_of(_pages_of(_extract_xml(data, source=source), source=source), source)


def _reading_of(pages: list[_Page], source: str) -> PdfReading:
    if not pages:
        raise PdfProfileError("the PDF has no pages that could be read", source=source)
    skipped: list[str] = []
    complete = len(pages) <= MAX_PAGES
    if not complete:
        pages = pages[:MAX_PAGES]
        skipped.append(f"pages after page {MAX_PAGES} were not read (the most linkvet reads)")
    if not any(page.lines for page in pages):
        raise PdfProfileError(
            "this PDF has no text layer (it may be a scan or a picture); take a screenshot "
            "of the profile page and give linkvet that instead",
            source=source,
        )
    fields = _ProfileReader(pages, skipped, complete=complete).read(source=source)
    try:
        profile = Profile.model_validate(fields)
    except ValidationError as error:
        raise PdfProfileError(describe_validation_error(error), source=source) from None
    return PdfReading(profile, tuple(skipped))


# ---------------------------------------------------------------------------------------------
# Text with its place, size, weight and colour


def _extract_xml(data: bytes, *, source: str) -> bytes:
    """pdfminer's XML of the first MAX_PAGES + 1 pages, read in a limited child process."""
    limits = (MAX_MEMORY_BYTES, int(MAX_SECONDS) + 5, MAX_PAGES + 1, MAX_TEXT_XML_BYTES)
    command = [sys.executable, "-P", "-c", _EXTRACTOR, *(str(limit) for limit in limits)]
    try:
        finished = subprocess.run(  # noqa: S603 (a fixed program; the PDF goes in on stdin)
            command, input=data, capture_output=True, timeout=MAX_SECONDS, check=False
        )
    except OSError as error:
        raise PdfProfileError(f"could not start the PDF reader: {error}", source=source) from None
    except subprocess.TimeoutExpired:
        raise PdfProfileError(
            f"reading the PDF took longer than {MAX_SECONDS:g} s (a LinkedIn profile takes "
            "about a second); the file may be damaged or made to stall readers",
            source=source,
        ) from None
    if finished.returncode == 0:
        return finished.stdout
    said = finished.stderr.decode("utf-8", "replace").strip().splitlines() or [""]
    kind, _, detail = said[-1].partition("\t")
    messages = {
        "password": "the PDF is protected by a password; LinkedIn's PDF never is, so save "
        "the profile to PDF again",
        "encrypted": "the PDF is encrypted in a way linkvet cannot read "
        f"({detail.partition(': param=')[0]})",
        "memory": "reading the PDF needed more memory than linkvet allows; the file may be "
        "damaged or made to exhaust readers",
        "too-much-text": "the PDF holds far more text than a LinkedIn profile",
        "damaged": f"the PDF is damaged or not a PDF ({detail})",
    }
    if kind in messages:
        raise PdfProfileError(messages[kind], source=source)
    raise PdfProfileError(
        f"the PDF reader stopped unexpectedly (exit status {finished.returncode}); the file "
        "may be damaged",
        source=source,
    )


@dataclass(frozen=True)
class _Glyph:
    text: str
    left: float
    right: float
    size: float
    bold: bool
    colour: tuple[float, ...]


@dataclass(frozen=True)
class _Line:
    """One line of text in one column; `top` is measured down from the top of the page."""

    page: int
    text: str
    left: float
    right: float
    top: float
    size: float
    bold: bool
    grey: bool
    first_word: float  # the width of its first word, to tell a wrapped line from a new one


@dataclass
class _Page:
    number: int
    width: float
    height: float
    lines: list[tuple[float, list[_Glyph]]] = field(default_factory=list)  # (top, glyphs)


def _pages_of(xml: bytes, *, source: str) -> list[_Page]:
    pages: list[_Page] = []
    try:
        # pdfminer wrote this XML, with every text escaped: it has no DTD and no entities.
        # A page at a time, so that a long document is never held as one tree.
        for _, element in ElementTree.iterparse(io.BytesIO(xml)):  # noqa: S314
            if element.tag == "page":
                pages.append(_page_of(element, number=len(pages) + 1))
                element.clear()
    except ElementTree.ParseError:
        raise PdfProfileError("the PDF's text could not be read", source=source) from None
    return pages


def _page_of(element: ElementTree.Element, *, number: int) -> _Page:
    box = _numbers(element.get("bbox"))
    if len(box) != 4:
        return _Page(number, 0.0, 0.0)
    page = _Page(number, box[2] - box[0], box[3] - box[1])
    for line in element.iter("textline"):
        glyphs = _glyphs(line)
        line_box = _numbers(line.get("bbox"))
        if glyphs and len(line_box) == 4:
            page.lines.append((page.height - line_box[3], glyphs))
    return page


def _glyphs(line: ElementTree.Element) -> list[_Glyph]:
    glyphs: list[_Glyph] = []
    for item in line.iter("text"):
        text = item.text or ""
        if not text:
            continue
        if any("\ufb00" <= char <= "\ufb06" for char in text):
            text = unicodedata.normalize("NFKC", text)  # "ﬁ" → "fi"

        box = _numbers(item.get("bbox"))
        if len(box) == 4:
            font = item.get("font", "")
            glyphs.append(
                _Glyph(
                    text,
                    box[0],
                    box[2],
                    float(item.get("size") or 0),
                    any(word in font.lower() for word in ("bold", "black", "heavy", "semibold")),
                    tuple(_numbers(item.get("ncolour"))),
                )
            )
        elif glyphs and text.isspace() and text != "\n":
            # A space pdfminer put between words: it has no box of its own.
            last = glyphs[-1]
            glyphs.append(_Glyph(" ", last.right, last.right, last.size, last.bold, last.colour))
    return glyphs


def _numbers(text: str | None) -> list[float]:
    return [float(number) for number in _NUMBER.findall(text or "")]


def _line(page: _Page, top: float, glyphs: Sequence[_Glyph]) -> _Line | None:
    text = " ".join("".join(glyph.text for glyph in glyphs).split())[:MAX_LINE_TEXT]
    shown = [glyph for glyph in glyphs if not glyph.text.isspace()]
    if not text or not shown:
        return None
    sizes = Counter(round(glyph.size * 4) / 4 for glyph in shown)
    colours = Counter(glyph.colour for glyph in shown)
    first_space = next((g for g in glyphs if g.text.isspace() and g.left > shown[0].left), None)
    first_word_end = first_space.left if first_space else max(g.right for g in shown)
    return _Line(
        page=page.number,
        text=text,
        left=shown[0].left,
        right=max(glyph.right for glyph in shown),
        top=top,
        size=sizes.most_common(1)[0][0],
        bold=sum(glyph.bold for glyph in shown) * 2 > len(shown),
        grey=_is_grey(colours.most_common(1)[0][0]),
        first_word=first_word_end - shown[0].left,
    )


def _is_grey(colour: tuple[float, ...]) -> bool:
    """Mid grey, as LinkedIn prints dates and places: neither the black of text nor white."""
    if len(colour) == 1:
        return 0.35 <= colour[0] <= 0.85
    if len(colour) == 3:
        return max(colour) - min(colour) < 0.08 and 0.35 <= sum(colour) / 3 <= 0.85
    if len(colour) == 4:
        cyan, magenta, yellow, black = colour
        return max(cyan, magenta, yellow) < 0.08 and 0.15 <= black <= 0.65
    return False


# ---------------------------------------------------------------------------------------------
# Columns, sections, and the fields in them


@dataclass(frozen=True)
class _Column:
    """A column's lines, where its wrapped text ends on the right, and the least distance from
    one line to the next in the same type (the distance of wrapped lines)."""

    lines: list[_Line]
    edge: float
    pitch: float

    @classmethod
    def of(cls, lines: list[_Line]) -> _Column:
        steps = [
            below.top - above.top
            for above, below in itertools.pairwise(lines)
            if above.page == below.page and above.size == below.size and below.top > above.top
        ]
        # A line of one long word (an address) may run past the edge instead of wrapping.
        breakable = [line.right for line in lines if " " in line.text]
        edge = max(breakable or [line.right for line in lines] or [0.0])
        return cls(lines, edge, min(steps, default=0.0))


@dataclass(frozen=True)
class _Section:
    kind: str  # a key of MAIN_SECTIONS or SIDE_SECTIONS, or "unknown"
    header: str
    lines: list[_Line]


class _ProfileReader:
    def __init__(self, pages: Sequence[_Page], skipped: list[str], *, complete: bool) -> None:
        self.pages = pages
        self.skipped = skipped
        self.complete = complete  # False when pages were left out
        self.pages_said = 0  # the page count the footers give ("Page 1 of 3")

    def read(self, *, source: str) -> dict[str, Any]:
        first = self.pages[0]
        if not first.lines:
            raise _not_a_profile(source, "the first page has no text")
        name_size = max(glyph.size for _, glyphs in first.lines for glyph in glyphs)
        name_left = min(
            glyph.left
            for _, glyphs in first.lines
            for glyph in glyphs
            if abs(glyph.size - name_size) < 0.5
        )
        side, main = self._columns(split=name_left - 2)
        if len(self.pages) < min(self.pages_said, MAX_PAGES):
            raise PdfProfileError(
                f"the PDF says it has {self.pages_said} pages but only {len(self.pages)} could "
                "be read; it may be damaged: save the profile to PDF again",
                source=source,
            )
        name_lines = [line for line in main if line.page == 1 and line.size >= name_size - 0.5]
        main_sections, top_card = _sections(main, MAIN_SECTIONS, after=name_lines)
        side_sections, _ = _sections(side, SIDE_SECTIONS, after=[])
        known = [s for s in (*main_sections, *side_sections) if s.kind != "unknown"]
        if not name_lines or not known:
            raise _not_a_profile(source, "no section headers" if name_lines else "no name")

        main_column, side_column = _Column.of(main), _Column.of(side)
        fields: dict[str, Any] = {
            "platform": Platform.LINKEDIN,
            "name": " ".join(line.text for line in name_lines),
            **_top_card(top_card),
        }
        sections = [(section, main_column) for section in main_sections]
        sections += [(section, side_column) for section in side_sections]
        for section, column in sections:
            if section.kind == "unknown":
                self.skipped.append(f"section '{section.header}' is not one linkvet knows")
            elif section.kind == "unused":
                self.skipped.append(f"section '{section.header}' has no place in a profile")
            elif section.kind == "summary":
                fields["about"] = _flow(section.lines, column) or None
            elif section.kind == "experience":
                fields["experience"] = self._experience(section.lines, column)
            elif section.kind == "education":
                fields["education"] = self._education(section.lines, column)
            elif section.kind == "contact":
                fields.update(self._contact(_items(section.lines, column, contact=True)))
            elif section.kind == "skills":
                fields["skills"] = [{"name": item} for item in _items(section.lines, column)]
            elif section.kind == "languages":
                fields["languages"] = [_language(item) for item in _items(section.lines, column)]
            elif section.kind == "certifications":
                items = _items(section.lines, column)
                fields["certifications"] = [{"name": item} for item in items]
        understood = all(section.kind != "unknown" for section, _ in sections)
        if understood and self.complete:
            for name in LISTED_IN_FULL:
                fields.setdefault(name, [])
        return fields

    def _columns(self, *, split: float) -> tuple[list[_Line], list[_Line]]:
        """The sidebar's lines and the main column's, each top to bottom, without footers."""
        side: list[_Line] = []
        main: list[_Line] = []
        for page in self.pages:
            for top, glyphs in sorted(page.lines, key=lambda item: item[0]):
                left = [glyph for glyph in glyphs if glyph.left < split]
                right = [glyph for glyph in glyphs if glyph.left >= split]
                for target, part in ((side, left), (main, right)):
                    line = _line(page, top, part) if part else None
                    if line is None:
                        continue
                    if (footer := _footer(line, page)) is None:
                        target.append(line)
                    else:
                        self.pages_said = max(self.pages_said, int(footer.group("total")))
        order = operator.attrgetter("page", "top", "left")
        return sorted(side, key=order), sorted(main, key=order)

    def _experience(self, lines: Sequence[_Line], column: _Column) -> list[dict[str, Any]]:
        """Roles: a title above a date line; a company name above the first title of a company."""
        small = min(line.size for line in lines) if lines else 0.0
        roles: list[dict[str, Any]] = []
        heads: list[list[_Line]] = []  # company and title lines seen since the last role
        company: str | None = None
        role: dict[str, Any] | None = None
        place: list[_Line] = []
        text: list[_Line] = []

        def finish() -> None:
            if role is not None:
                role["location"] = _flow(place, column) or None
                role["description"] = _flow(text, column) or None
                roles.append(role)

        for line in lines:
            dates = _date_range(line.text) if heads else None
            if line.size >= small + 0.75 or line.bold:
                if role is not None:
                    finish()
                    role, place, text = None, [], []
                _add_head(heads, line, column)
            elif dates is not None:
                title = " ".join(part.text for part in heads[-1])
                if len(heads) >= 2:
                    company = " ".join(part.text for part in heads[-2])
                role = {"title": title, "organisation": company, **dates}
                heads, place, text = [], [], []
            elif role is None:
                continue  # a company's total duration, above its roles
            elif line.grey and not text:
                place.append(line)
            else:
                text.append(line)
        finish()
        if heads:
            self.skipped.append(
                f"experience: '{_short(heads[0][0].text)}' has no date line, so it was not read"
            )
        return roles

    def _education(self, lines: Sequence[_Line], column: _Column) -> list[dict[str, Any]]:
        """Schools: the school in bold, and the line "Degree, Field · (2008 - 2012)" under it."""
        small = min(line.size for line in lines) if lines else 0.0
        entries: list[tuple[list[_Line], list[_Line]]] = []
        for line in lines:
            if line.size >= small + 0.75 or line.bold:
                school = entries[-1][0] if entries and not entries[-1][1] else None
                if school is not None and _continues(school[-1], line, column):
                    school.append(line)  # a long name, wrapped
                else:
                    entries.append(([line], []))
            elif entries:
                entries[-1][1].append(line)
        schools = []
        for school, details in entries:
            name = " ".join(line.text for line in school)
            schools.append({"school": name, **self._degree(_flow(details, column), name)})
        return schools

    def _degree(self, text: str, school: str) -> dict[str, Any]:
        fields: dict[str, Any] = {}
        if (match := _TRAILING_DATES.search(text)) is not None:
            dates = _date_range(match.group("dates"))
            if dates is not None:
                fields.update(start=dates["start"], end=dates["end"], current=dates["current"])
                text = text[: match.start()]
            elif _date(match.group("dates")) is not None:
                self.skipped.append(
                    f"education at {_short(school)}: a single date "
                    f"'{match.group('dates')}' may be a start or an end, so it was not read"
                )
                text = text[: match.start()]
        degree, _, field_of_study = text.strip(" ·").partition(", ")
        fields["degree"] = degree.strip() or None
        fields["field_of_study"] = field_of_study.strip() or None
        return fields

    def _contact(self, entries: Iterable[str]) -> dict[str, Any]:
        """E-mail addresses, phone numbers and websites; the LinkedIn address gives the handle."""
        fields: dict[str, Any] = {}
        found: dict[str, list[str]] = {"emails": [], "phones": [], "websites": []}
        for entry in entries:
            labelled = _LABELLED.fullmatch(entry)
            value = labelled.group("value") if labelled else entry
            if (linkedin := _LINKEDIN.fullmatch(value)) is not None:
                if "handle" not in fields:
                    fields["handle"] = linkedin.group("handle")
                    fields["url"] = f"https://www.linkedin.com/in/{linkedin.group('handle')}"
            elif _is_email(value):
                found["emails"].append(value)
            elif _PHONE.fullmatch(value) and sum(char.isdigit() for char in value) >= 7:
                found["phones"].append(value)
            elif _is_website(value):
                found["websites"].append(value)
            else:
                self.skipped.append(f"contact: '{_short(entry)}' was not understood")
        if any(found.values()):
            fields["contact"] = {kind: values or None for kind, values in found.items()}
        return fields


def _not_a_profile(source: str, why: str) -> PdfProfileError:
    return PdfProfileError(
        f"this PDF does not look like LinkedIn's 'Save to PDF' of a profile ({why}): "
        "expected the person's name in large type, the headline under it, and sections such "
        "as Contact, Summary, Experience and Education",
        source=source,
    )


def _footer(line: _Line, page: _Page) -> re.Match[str] | None:
    return _FOOTER.fullmatch(line.text) if line.top > page.height * 0.92 else None


def _sections(
    lines: Sequence[_Line], names: dict[str, tuple[str, ...]], *, after: Sequence[_Line]
) -> tuple[list[_Section], list[_Line]]:
    """The column cut at its headers, and the lines before the first header (less `after`).

    A header is a line in larger type than the column's text that names a known section; a line
    in the same type that names no known section is a header too, of an unknown section."""
    text_size = _text_size(lines)
    kinds = {_fold(word): kind for kind, words in names.items() for word in words}
    header_sizes = {
        line.size for line in lines if line.size > text_size + 1 and _fold(line.text) in kinds
    }
    sections: list[_Section] = []
    before: list[_Line] = []
    left_out = set(after)
    for line in lines:
        if line in left_out:
            continue
        if any(abs(line.size - size) < 0.3 for size in header_sizes):
            kind = kinds.get(_fold(line.text), "unknown")
            sections.append(_Section(kind, line.text, []))
        elif sections:
            sections[-1].lines.append(line)
        else:
            before.append(line)
    return sections, before


def _text_size(lines: Sequence[_Line]) -> float:
    """The size most of a column's characters are printed in."""
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _top_card(lines: Sequence[_Line]) -> dict[str, Any]:
    """The headline (one or more lines in one type) and the location under it, in grey."""
    groups: list[list[_Line]] = []
    for line in lines:
        if groups and (groups[-1][-1].size, groups[-1][-1].grey) == (line.size, line.grey):
            groups[-1].append(line)
        else:
            groups.append([line])
    fields: dict[str, Any] = {}
    if groups and not groups[0][0].grey:
        fields["headline"] = " ".join(line.text for line in groups.pop(0))
    if groups:
        fields["location"] = " ".join(line.text for line in groups[0])
    return fields


def _add_head(heads: list[list[_Line]], line: _Line, column: _Column) -> None:
    """A company or title line: the rest of the one above when it wrapped, else a new one."""
    if heads and _continues(heads[-1][-1], line, column):
        heads[-1].append(line)
    else:
        heads.append([line])


def _continues(above: _Line, below: _Line, column: _Column) -> bool:
    """Whether a name or title in bold or large type wrapped from `above` onto `below`."""
    same_type = (above.size, above.bold) == (below.size, below.bold)
    return same_type and _wrapped(above, below, column)


def _date_range(text: str) -> dict[str, Any] | None:
    """Start, end (or current) and duration from "March 2015 - Present (9 years 8 months)"."""
    match = _RANGE.fullmatch(text.strip()) if len(text) <= MAX_DATE_LINE else None
    if match is None:
        return None
    start = _date(match.group("start"))
    present = is_present_word(match.group("end"))
    end = None if present else _date(match.group("end"))
    if start is None or (end is None and not present):
        return None
    duration = None
    if match.group("duration"):
        try:
            duration = parse_duration_months(match.group("duration"))
        except DateError:
            duration = None
    return {
        "start": start,
        "end": end,
        "current": True if present else None,
        "duration_months": duration,
    }


def _date(text: str) -> PartialDate | None:
    try:
        return PartialDate.parse(_DE.sub(" ", text.strip()))
    except DateError:
        return None


def _wrapped(above: _Line, below: _Line, column: _Column, *, listed: bool = False) -> bool:
    """Whether `below` goes on from `above`: its first word would not have fitted after `above`,
    so the line was broken there. In a list (`listed`), entries may stand further apart than
    the lines of one entry: `below` must also be no further below than wrapped lines are."""
    space = 0.28 * above.size
    if above.right + space + below.first_word <= column.edge + 0.5:
        return False
    if listed and below.page == above.page and column.pitch:
        return below.top - above.top <= column.pitch + 0.12 * above.size
    return True


def _flow(lines: Sequence[_Line], column: _Column) -> str:
    """Lines as text again: wrapped lines joined, line breaks and blank lines kept."""
    parts: list[str] = []
    for above, below in zip([None, *lines], lines, strict=False):
        if above is None:
            pass
        elif above.page == below.page and 0 < column.pitch * 1.6 < below.top - above.top:
            parts.append("\n\n")
        elif _wrapped(above, below, column):
            parts.append("" if _ends_in_hyphen(above.text) else " ")
        else:
            parts.append("\n")
        parts.append(below.text)
    return "".join(parts)


def _ends_in_hyphen(text: str) -> bool:
    """A line broken after a hyphen inside a word ("third-" / "party"), or inside an address."""
    return len(text) >= 2 and text[-1] in "-/" and not text[-2].isspace()


def _items(lines: Sequence[_Line], column: _Column, *, contact: bool = False) -> Iterator[str]:
    """The entries of a sidebar list: one a line, or several lines when an entry wrapped.

    Parentheses help: "English (Native or" goes on, "Security Professional (CISSP)" is complete,
    and a label such as "(LinkedIn)" on a line of its own belongs to the entry above."""
    entry = ""
    opened = 0  # parentheses opened in the entry and not yet closed
    for above, below in zip([None, *lines], lines, strict=False):
        goes_on = (
            above is not None
            and len(entry) < MAX_ENTRY_TEXT
            and (
                opened > 0
                or _LABEL.fullmatch(below.text) is not None
                or _wrapped_entry(entry, above, below, column, contact=contact)
            )
        )
        if goes_on:
            # An address wraps without a space: "www.linkedin.com/in/jane-" / "doe (LinkedIn)".
            unbroken = contact and " " not in entry and not _LABEL.fullmatch(below.text)
            entry += ("" if unbroken or _ends_in_hyphen(entry) else " ") + below.text
        else:
            if entry:
                yield entry
            entry, opened = below.text, 0
        opened += below.text.count("(") - below.text.count(")")
    if entry:
        yield entry


def _wrapped_entry(
    entry: str, above: _Line, below: _Line, column: _Column, *, contact: bool
) -> bool:
    if entry.endswith(")") or (contact and _is_email(entry)):
        return False
    return _wrapped(above, below, column, listed=True)


def _is_email(text: str) -> bool:
    local, at, domain = text.partition("@")
    return (
        bool(local and at)
        and "." in domain.strip(".")
        and not any(mark in domain for mark in "@()")
        and len(text.split()) == 1
    )


def _is_website(text: str) -> bool:
    return "@" not in text and "." in text.strip(".") and len(text.split()) == 1


def _language(item: str) -> dict[str, Any]:
    """ "English (Native or Bilingual)" → English, with that proficiency."""
    labelled = _LABELLED.fullmatch(item)
    if labelled is None or not labelled.group("value"):
        return {"name": item}
    return {"name": labelled.group("value"), "proficiency": labelled.group("label") or None}


def _fold(text: str) -> str:
    """Lower case, without accents, spaces collapsed: how header words are compared."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
