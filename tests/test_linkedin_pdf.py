"""LinkedIn's "Save to PDF": the rendered fixtures read back field by field, and bad or hostile
files (not a PDF, cut off, damaged, encrypted, scanned, another kind of PDF, reference loops,
decompression bombs, too many pages) refused with a `PdfProfileError`, never a crash or a hang.

The fixtures are made by scripts/render_pdf_fixtures.py; the small PDFs for bad input are
written here, by hand, so that each shows one problem."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import struct
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfminer.arcfour import Arcfour
from PIL import Image, ImageDraw

import linkvet.ingest.linkedin_pdf as linkedin_pdf
from linkvet._dates import PartialDate
from linkvet.errors import InputError
from linkvet.ingest.linkedin_pdf import (
    PdfProfileError,
    looks_like_pdf,
    read_linkedin_pdf,
    read_linkedin_pdf_reading,
)
from linkvet.model import Profile
from scripts import render_pdf_fixtures

FIXTURES = Path(__file__).parent / "fixtures" / "linkedin_pdf"
PERSONAS = {persona.slug: persona for persona in render_pdf_fixtures.PERSONAS}
SHORT = FIXTURES / "short_no_summary.pdf"


def differences(read: Any, expected: Any, at: str = "") -> list[str]:
    """Where two JSON values differ, one line per field, named by its path."""
    if isinstance(read, dict) and isinstance(expected, dict):
        return [
            difference
            for key in sorted(set(read) | set(expected))
            for difference in differences(
                read.get(key), expected.get(key), f"{at}.{key}" if at else key
            )
        ]
    if isinstance(read, list) and isinstance(expected, list):
        if len(read) != len(expected):
            return [f"{at}: read {len(read)} entries, expected {len(expected)}: {read!r}"]
        return [
            difference
            for index, (one, other) in enumerate(zip(read, expected, strict=True))
            for difference in differences(one, other, f"{at}[{index}]")
        ]
    if read != expected:
        return [f"{at}: read {read!r}, expected {expected!r}"]
    return []


# ---------------------------------------------------------------------------------------------
# The fixtures


def test_the_fixtures_are_the_ones_the_script_makes() -> None:
    assert sorted(path.stem for path in FIXTURES.glob("*.pdf")) == sorted(PERSONAS)
    assert {persona.language for persona in PERSONAS.values()} >= {"en", "de", "fr", "es"}
    assert sum(path.stat().st_size for path in FIXTURES.iterdir()) < 1_000_000


@pytest.mark.parametrize("slug", sorted(PERSONAS))
def test_expected_json_is_what_the_script_says_the_pdf_shows(slug: str) -> None:
    expected = render_pdf_fixtures.expected_profile(PERSONAS[slug])
    written = json.loads((FIXTURES / f"{slug}.json").read_text(encoding="utf-8"))
    assert expected.model_dump(mode="json", exclude_none=True) == written, (
        "run scripts/render_pdf_fixtures.py again"
    )


@pytest.mark.parametrize("slug", sorted(PERSONAS))
def test_each_fixture_reads_as_expected(slug: str) -> None:
    profile = read_linkedin_pdf((FIXTURES / f"{slug}.pdf").read_bytes(), source=f"{slug}.pdf")
    read = profile.model_dump(mode="json", exclude_none=True)
    expected = json.loads((FIXTURES / f"{slug}.json").read_text(encoding="utf-8"))
    problems = differences(read, expected)
    assert not problems, f"{slug}.pdf:\n" + "\n".join(problems)


def test_a_long_profile_over_three_pages() -> None:
    reading = read_linkedin_pdf_reading(
        (FIXTURES / "senior_multipage.pdf").read_bytes(), source="senior.pdf"
    )
    experience = reading.profile.experience or []
    # One company, three roles: the company name is printed once, above the first.
    assert [role.organisation for role in experience[:3]] == ["Northwind Financial Group"] * 3
    assert experience[0].current is True
    assert experience[0].end is None
    assert experience[0].start == PartialDate(2021, 3)
    assert experience[1].end == PartialDate(2021, 2)
    assert experience[1].duration_months == 33
    # A company name and a title that wrap onto a second line.
    assert experience[4].organisation is not None
    assert experience[4].organisation.endswith("Transport for the North Joint Cyber Programme")
    assert experience[4].title is not None
    assert experience[4].title.endswith("Powerhouse Programme")
    # Paragraphs and bullets come back as they were typed.
    assert reading.profile.about is not None
    assert "rather hear about revenue.\n\nMy teams" in reading.profile.about
    assert "keep learning.\n• Security strategy" in reading.profile.about
    # Sections that have no field are said to be skipped.
    assert any("Honors-Awards" in note for note in reading.skipped)
    assert any("Publications" in note for note in reading.skipped)


def test_a_short_profile_without_summary_or_education() -> None:
    profile = read_linkedin_pdf(SHORT.read_bytes(), source="short.pdf")
    assert profile.about is None  # not shown: unknown
    assert profile.education == []  # the PDF lists every school: seen, and none
    assert profile.contact is None  # the PDF shows only the LinkedIn address
    assert profile.handle == "tom-briggs-sheffield"
    assert profile.has_photo is None
    assert profile.counts is None


def test_german_headers_dates_and_present() -> None:
    profile = read_linkedin_pdf((FIXTURES / "german.pdf").read_bytes(), source="de.pdf")
    assert profile.experience is not None
    first = profile.experience[0]
    assert (first.start, first.end, first.current) == (PartialDate(2019, 3), None, True)
    assert profile.languages is not None
    assert profile.languages[0].model_dump() == {
        "name": "Deutsch",
        "proficiency": "Muttersprache oder zweisprachig",
    }
    assert profile.contact is not None
    assert profile.contact.phones == ["+49 361 5550123"]


def test_the_generator_still_renders_a_pdf_that_reads_back(tmp_path: Path) -> None:
    """Chromium prints one persona afresh (about a second)."""
    persona = PERSONAS["short_no_summary"]
    [written] = render_pdf_fixtures.render(tmp_path, [persona])
    profile = read_linkedin_pdf(written.read_bytes(), source=written.name)
    assert profile == render_pdf_fixtures.expected_profile(persona)


# ---------------------------------------------------------------------------------------------
# PDFs written by hand

# (left, top, size, text, bold, grey), in points from the top left of an A4 page.
Text = tuple[float, float, float, str, bool, bool]
A4 = (595, 842)


def assemble(objects: Sequence[bytes], *, trailer: bytes = b"") -> bytes:
    """A PDF of these objects (numbered from 1; 1 is the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\n" % (len(objects) + 1, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def stream(data: bytes, dictionary: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), dictionary, data)


def content(texts: Sequence[Text]) -> bytes:
    commands = []
    for left, top, size, text, bold, grey in texts:
        escaped = text.encode("latin-1").replace(b"\\", b"\\\\").replace(b"(", b"\\(")
        escaped = escaped.replace(b")", b"\\)")
        commands.append(
            b"BT %s /F%d %.2f Tf %.2f %.2f Td (%s) Tj ET"
            % (
                b"0.55 g" if grey else b"0 g",
                2 if bold else 1,
                size,
                left,
                A4[1] - top - size,
                escaped,
            )
        )
    return b"\n".join(commands)


def text_pdf(pages: Sequence[Sequence[Text]], *, trailer: bytes = b"") -> bytes:
    """Pages of text in Helvetica (F1) and Helvetica-Bold (F2)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, once the pages have numbers
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for texts in pages:
        objects.append(stream(content(texts)))
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>" % (*A4, len(objects))
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    return assemble(objects, trailer=trailer)


def profile_page(*, headline: Sequence[str] = ("Engineer at Acme",)) -> list[Text]:
    """A first page as LinkedIn lays it out: sidebar, name, headline, location, one role."""
    texts: list[Text] = [
        (26, 40, 13, "Contact", False, False),
        (26, 62, 10.5, "jane@example.com", False, False),
        (216, 36, 26, "Jane Doe", False, False),
    ]
    top = 72.0
    for line in headline:
        texts.append((216, top, 12, line, False, False))
        top += 15
    texts += [
        (216, top, 10.5, "Leeds, United Kingdom", False, True),
        (216, top + 34, 15.75, "Experience", False, False),
        (216, top + 60, 12, "Acme Ltd", True, False),
        (216, top + 76, 11.5, "Engineer", False, False),
        (216, top + 91, 10.5, "January 2020 - Present (6 years 11 months)", False, True),
    ]
    return texts


def test_a_hand_written_profile_page_reads() -> None:
    """The hand-written PDFs below differ from this one in one way each."""
    profile = read_linkedin_pdf(text_pdf([profile_page()]), source="hand.pdf")
    assert (profile.name, profile.headline, profile.location) == (
        "Jane Doe",
        "Engineer at Acme",
        "Leeds, United Kingdom",
    )
    assert profile.experience is not None
    assert profile.experience[0].organisation == "Acme Ltd"
    assert profile.contact is not None
    assert profile.contact.emails == ["jane@example.com"]


PAD = bytes.fromhex("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a")


def encrypted_pdf(user_password: bytes, *, handler: bytes = b"/Standard") -> bytes:
    """The profile page, encrypted with RC4 (40 bits, revision 2) for this user password."""
    doc_id = b"linkvet-test-pdf"
    owner_key = hashlib.md5((b"owner" + PAD)[:32]).digest()[:5]
    owner_entry = Arcfour(owner_key).encrypt((user_password + PAD)[:32])
    permissions = struct.pack("<i", -44)
    key = hashlib.md5((user_password + PAD)[:32] + owner_entry + permissions + doc_id).digest()[:5]
    user_entry = Arcfour(key).encrypt(PAD)
    object_key = hashlib.md5(key + struct.pack("<i", 5)[:3] + b"\0\0").digest()[:10]
    secret = Arcfour(object_key).encrypt(content(profile_page()))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
        b"/Resources << /Font << /F1 3 0 R /F2 3 0 R >> >> >>",
        stream(secret),
        b"<< /Filter %s /V 1 /R 2 /O <%s> /U <%s> /P -44 >>"
        % (handler, owner_entry.hex().encode(), user_entry.hex().encode()),
    ]
    trailer = b"/Encrypt 6 0 R /ID [<%s> <%s>]" % (doc_id.hex().encode(), doc_id.hex().encode())
    return assemble(objects, trailer=trailer)


def refused(data: bytes, match: str) -> PdfProfileError:
    with pytest.raises(PdfProfileError, match=match) as caught:
        read_linkedin_pdf(data, source="bad.pdf")
    assert isinstance(caught.value, InputError)
    assert caught.value.source == "bad.pdf"
    assert str(caught.value).startswith("bad.pdf: ")
    return caught.value


# ---------------------------------------------------------------------------------------------
# Bad input


def test_looks_like_pdf() -> None:
    assert looks_like_pdf(SHORT.read_bytes())
    assert looks_like_pdf(b"%PDF-1.7\n")
    assert not looks_like_pdf(b"")
    assert not looks_like_pdf(b'{"name": "Jane"}')
    assert not looks_like_pdf(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize("data", [b"", b'{"name": "Jane"}', b"PK\x03\x04zip", b" %PDF-1.7"])
def test_not_a_pdf(data: bytes) -> None:
    refused(data, "not a PDF")


def test_too_large() -> None:
    data = b"%PDF-1.7\n" + b"0" * linkedin_pdf.MAX_PDF_BYTES + b"\n%%EOF\n"
    refused(data, r"10\.0 MB.* under 10 MB")


def test_cut_off() -> None:
    data = SHORT.read_bytes()
    refused(data[: len(data) // 2], "incomplete.*save the profile to PDF again")


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + b"\x00garbage" * 100 + b"\n%%EOF\n",
        b"%PDF-1.7\n%%EOF\n",
        # The body of a real fixture overwritten, its start and end kept.
        SHORT.read_bytes()[:400] + b"\0" * 20_000 + SHORT.read_bytes()[20_400:],
    ],
    ids=["garbage", "empty", "overwritten"],
)
def test_damaged(data: bytes) -> None:
    refused(data, "damaged|no pages|no text layer|does not look like")


def test_protected_by_a_password() -> None:
    refused(encrypted_pdf(b"secret"), "protected by a password")


def test_encrypted_with_an_unknown_scheme() -> None:
    error = refused(encrypted_pdf(b"secret", handler=b"/AcmeRights"), "encrypted in a way")
    assert "param=" not in str(error)


def test_encrypted_with_an_empty_password_is_read() -> None:
    """Encryption that only restricts copying (an empty user password) does not stop reading."""
    profile = read_linkedin_pdf(encrypted_pdf(b""), source="restricted.pdf")
    assert profile.name == "Jane Doe"


def test_a_scan_has_no_text_layer() -> None:
    picture = Image.new("RGB", (620, 877), "white")
    drawing = ImageDraw.Draw(picture)
    drawing.rectangle((0, 0, 190, 877), fill=(242, 244, 245))
    drawing.rectangle((220, 40, 480, 70), fill="black")  # where the name would be
    buffer = io.BytesIO()
    picture.save(buffer, format="PDF")
    refused(buffer.getvalue(), "no text layer.*screenshot")


def test_a_blank_page_has_no_text_layer() -> None:
    refused(text_pdf([[]]), "no text layer")


def test_another_kind_of_pdf() -> None:
    letter = [
        (72, 72 + 16 * number, 11, line, False, False)
        for number, line in enumerate(
            [
                "ACME Ltd, 1 High Street, Leeds",
                "Invoice 2026-114",
                "Consulting, November 2026: 4 days at 900.00",
                "Total due: 3,600.00",
            ]
        )
    ]
    refused(text_pdf([letter]), "does not look like LinkedIn.*Experience")


def test_the_name_alone_is_not_a_profile() -> None:
    refused(text_pdf([[(216, 36, 26, "Jane Doe", False, False)]]), "no section headers")


def test_fields_too_long_for_a_profile() -> None:
    headline = ["Visionary leader, builder of teams, speaker and investor " * 2] * 6
    refused(text_pdf([profile_page(headline=headline)]), "headline")


def test_pages_missing_from_what_the_footer_says() -> None:
    page = [*profile_page(), (275, 820, 9, "Page 1 of 3", False, True)]
    refused(text_pdf([page]), "says it has 3 pages but only 1")


def test_pages_past_the_cap_are_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(linkedin_pdf, "MAX_PAGES", 2)
    more = [[(216, 40, 10.5, f"Filler on page {number}", False, False)] for number in (2, 3, 4)]
    reading = read_linkedin_pdf_reading(text_pdf([profile_page(), *more]), source="long.pdf")
    assert reading.profile.name == "Jane Doe"
    assert reading.skipped == ("pages after page 2 were not read (the most linkvet reads)",)
    assert reading.profile.experience is not None
    assert reading.profile.experience[0].description == "Filler on page 2"


def test_a_reference_loop_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    """pdfminer resolves a reference that leads back to itself for ever."""
    monkeypatch.setattr(linkedin_pdf, "MAX_SECONDS", 2.0)
    started = dt.datetime.now()
    refused(assemble([b"2 0 R", b"1 0 R"]), "took longer than 2 s")
    assert (dt.datetime.now() - started).total_seconds() < 10


def test_a_decompression_bomb_is_stopped() -> None:
    """4 GB of zeros in a 4 MB stream: the reader runs out of its allowance, not the machine's."""
    compressor = zlib.compressobj(9)
    megabyte = b"\0" * 1_000_000
    head = compressor.compress(megabyte) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(megabyte) + compressor.flush(zlib.Z_FULL_FLUSH)
    bomb = head + again * 4_000 + compressor.flush()
    assert len(bomb) < linkedin_pdf.MAX_PDF_BYTES
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        stream(bomb, b"/Filter /FlateDecode"),
    ]
    refused(assemble(objects), "more memory than linkvet allows|took longer")


def test_deeply_nested_objects() -> None:
    """Arrays nested 50,000 deep and dictionaries 10,000 deep, in the catalog, the page and its content."""
    arrays = b"[" * 50_000 + b"]" * 50_000
    dictionaries = b"<< /A " * 10_000 + b"1" + b" >>" * 10_000
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Deep %s >>" % arrays,
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
        b"/Resources << /Font << /F1 3 0 R /F2 3 0 R >> /Deeper %s >> >>" % dictionaries,
        stream(content(profile_page()) + b"\n" + arrays + b" TJ\n" + dictionaries + b" gs"),
    ]
    try:
        profile = read_linkedin_pdf(assemble(objects), source="deep.pdf")
    except PdfProfileError:
        return
    assert profile.name == "Jane Doe"


# ---------------------------------------------------------------------------------------------
# Fuzzing


_FUZZED = SHORT.read_bytes()


@settings(
    max_examples=50,
    deadline=dt.timedelta(seconds=20),
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    change=st.one_of(
        st.lists(
            st.tuples(st.integers(0, len(_FUZZED) - 1), st.integers(0, 255)),
            min_size=1,
            max_size=16,
        ),
        st.integers(0, len(_FUZZED)),  # cut there, and "%%EOF" put back
    )
)
def test_damaged_copies_of_a_fixture(change: list[tuple[int, int]] | int) -> None:
    """A real PDF with bytes overwritten, or cut short: a profile or a `PdfProfileError`."""
    data = bytearray(_FUZZED)
    if isinstance(change, int):
        data = data[:change] + b"\n%%EOF\n"
    else:
        for at, value in change:
            data[at] = value
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(linkedin_pdf, "MAX_SECONDS", 10.0)
        try:
            profile = read_linkedin_pdf(bytes(data), source="fuzz.pdf")
        except PdfProfileError:
            return
    assert isinstance(profile, Profile)


_WORDS = st.sampled_from(
    [
        "Experience", "Summary", "Education", "Contact", "Top Skills", "Languages",
        "Certifications", "Berufserfahrung", "Publications", "Jane Doe", "Acme Ltd",
        "Engineer", "January 2020 - Present (6 years 11 months)", "2012 - 2014 (2 years)",
        "Master of Science, Physics · (2008 - 2012)", "(2012)", "English (Native",
        "or Bilingual)", "www.linkedin.com/in/jane-", "doe (LinkedIn)", "jane@example.com",
        "+44 113 496 0000 (Mobile)", "example.org (Company)", "Page 1 of 2", "Page 9 of 9",
        "3 years 2 months", "•", "-", "",
    ]
)  # fmt: skip


@st.composite
def _pages(draw: st.DrawFn) -> list[linkedin_pdf._Page]:
    pages = []
    for number in range(1, draw(st.integers(1, 3)) + 1):
        page = linkedin_pdf._Page(number, 595.0, 842.0)
        for _ in range(draw(st.integers(0, 25))):
            text = draw(st.one_of(_WORDS, st.text(min_size=1, max_size=30)))
            left = draw(st.sampled_from([26.0, 216.0]) | st.floats(0, 595))
            top = draw(st.floats(0, 842))
            size = draw(
                st.sampled_from([9.0, 10.5, 11.5, 12.0, 13.0, 15.75, 26.0]) | st.floats(0, 80)
            )
            bold = draw(st.booleans())
            colour = draw(
                st.sampled_from([(0.0,), (0.55,), (0.09, 0.09, 0.09), (0.5, 0.5, 0.5), ()])
            )
            glyphs = [
                linkedin_pdf._Glyph(
                    char, left + index * size / 2, left + (index + 1) * size / 2, size, bold, colour
                )
                for index, char in enumerate(text)
            ]
            if glyphs:
                page.lines.append((top, glyphs))
        pages.append(page)
    return pages


@settings(max_examples=200, deadline=None)
@given(pages=_pages())
def test_any_arrangement_of_lines_reads_or_is_refused(pages: list[linkedin_pdf._Page]) -> None:
    """The layout reader, without pdfminer: whatever lines a PDF holds, never a crash."""
    try:
        reading = linkedin_pdf._reading_of(pages, "fuzz.pdf")
    except PdfProfileError:
        return
    assert isinstance(reading.profile, Profile)
