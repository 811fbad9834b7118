"""The PDF case report: real cases from the real engine and store, the PDF read back with
pdfminer; nothing fetched, untrusted text printed as text, a broken photo left out."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import time
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pdfminer.high_level import extract_pages, extract_text
from pdfminer.layout import LTContainer, LTImage, LTItem
from PIL import Image

from linkvet.engine import Engine
from linkvet.model import Band, Evidence, IndicatorGroup, Message, Profile, Reason, Signal
from linkvet.report.case_pdf import FOOTER_CLAIM, case_html, case_pdf
from linkvet.store import LinkRecord, NoteRecord, ReportRecord, ReportStatus, Store, open_store

AS_OF = dt.date(2024, 5, 1)
GENERATED_AT = dt.datetime(2024, 5, 3, 9, 30, tzinfo=dt.UTC)
ORGANISATION = "Example Research Lab"
REPORTER_NAME = "Alice Reporter-Privacy"
REPORTER_CONTACT = "alice.private@example.org"
SUBJECT = "Jane Recruiter"
REPORTER_NOTE = "She asked which projects my team works on."


def _jpeg(size: tuple[int, int] = (400, 400)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 150, 120)).save(out, "JPEG")
    return out.getvalue()


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (10, 20, 30)).save(out, "GIF")
    return out.getvalue()


# A JPEG cut off after its first few hundred bytes: Pillow cannot decode it.
BROKEN_JPEG = _jpeg()[:300]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path / 'c.sqlite'}") as opened:
        yield opened


def _profile(**fields: Any) -> Profile:
    base: dict[str, Any] = {
        "platform": "linkedin",
        "url": "https://www.linkedin.com/in/jane-recruiter-4821",
        "name": SUBJECT,
        "headline": "Senior Talent Partner at Global Strategic Consulting",
        "location": "London, United Kingdom",
        "experience": [
            {"title": "CEO", "organisation": "Global Strategic Consulting", "start": "2023-01"}
        ],
        "invitation": {
            "text": "Exclusive paid consulting opportunity for experts like you. "
            "Please add me on WhatsApp to discuss, it is urgent."
        },
        "photo": {"data": base64.b64encode(_jpeg()).decode()},
    }
    return Profile.model_validate(base | fields)


@cache
def _engine() -> Engine:
    return Engine()  # loaded once: the photo models take a while


def _report(store: Store, profile: Profile, note: str = REPORTER_NOTE) -> ReportRecord:
    return store.add_report(
        _engine().assess(profile, as_of=AS_OF),
        profile,
        note=note,
        reporter_name=REPORTER_NAME,
        reporter_contact=REPORTER_CONTACT,
    )


def _photos(store: Store, case: ReportRecord) -> dict[str, bytes]:
    return store.photos(case.id, organisation=case.organisation)


NOTES = (
    NoteRecord(1, "case", "analyst.one", dt.datetime(2024, 5, 2, 10, 15), "Same script as March."),
    NoteRecord(2, "case", "analyst.two", dt.datetime(2024, 5, 2, 14, 0), "Asked LinkedIn to act."),
)
RELATED = (
    LinkRecord(
        other_id="0b7c1e2a-related",
        other_subject_name="Janet Recruiter",
        other_band=Band.HIGH,
        other_status=ReportStatus.TRIAGING,
        other_created_at=dt.datetime(2024, 4, 20, 8, 0),
        reasons=("same photo (2 bits apart)", "same employer: Global Strategic Consulting"),
    ),
)


def _pdf(
    case: ReportRecord,
    photos: Mapping[str, bytes],
    *,
    notes: tuple[NoteRecord, ...] = NOTES,
    related: tuple[LinkRecord, ...] = RELATED,
    include_reporter: bool = False,
) -> bytes:
    return case_pdf(
        case,
        organisation_name=ORGANISATION,
        photos=photos,
        notes=notes,
        related=related,
        generated_by="analyst.one",
        generated_at=GENERATED_AT,
        include_reporter=include_reporter,
    )


def _text(pdf: bytes) -> str:
    return " ".join(extract_text(io.BytesIO(pdf)).split())


def _images(pdf: bytes) -> int:
    def count(item: LTItem) -> int:
        if isinstance(item, LTImage):
            return 1
        return sum(count(child) for child in item) if isinstance(item, LTContainer) else 0

    return sum(count(page) for page in extract_pages(io.BytesIO(pdf)))


def _page_numbers(text: str) -> list[tuple[int, int]]:
    return [(int(n), int(of)) for n, of in re.findall(r"page (\d+) of (\d+)", text)]


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_a_case_report_has_the_rating_the_profile_reasons_notes_and_related_cases(
    store: Store,
) -> None:
    sister = _report(store, _profile(name="Janet Recruiter", url="https://linkedin.com/in/janet"))
    case = _report(store, _profile())
    for text, author in (("Same script as March.", "analyst.one"), ("Sent to LinkedIn.", "ana")):
        store.add_note(case.id, text, organisation=case.organisation, author=author, actor=author)
    notes = store.notes(case.id, organisation=case.organisation)
    related = store.related(case.id, organisation=case.organisation)
    assert [link.other_id for link in related] == [sister.id]

    started = time.perf_counter()
    pdf = _pdf(case, _photos(store, case), notes=tuple(notes), related=tuple(related))
    print(f"\ntypical case: {time.perf_counter() - started:.2f} s, {len(pdf):,} bytes")
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)

    assert f"Case {case.id}: {SUBJECT}" in text
    assert f"{case.band.value.upper()} RISK" in text
    assert f"estimated probability {case.probability:.0%}" in text
    assert "status: new" in text
    assert "Global Strategic Consulting" in text
    assert "London, United Kingdom" in text
    assert "https://www.linkedin.com/in/jane-recruiter-4821" in text
    assert "Please add me on WhatsApp" in text
    assert _images(pdf) == 1

    warnings = [r.signal.explanation for r in case.assessment.reasons if r.contribution > 0]
    assert len(warnings) >= 3
    positions = [text.index(_flat(explanation)) for explanation in warnings]
    assert positions == sorted(positions), "reasons are printed strongest first"
    assert "paid consulting" in text  # an evidence excerpt
    for line in case.assessment.limitations:
        assert _flat(line) in text

    for note in notes:
        assert f"{note.author}, " in text
        assert note.text in text
    assert f"Case {sister.id}: Janet Recruiter" in text
    for reason in related[0].reasons:
        assert _flat(reason) in text
    assert REPORTER_NOTE in text

    pages = text.count(FOOTER_CLAIM)
    assert pages > 1
    assert _page_numbers(text) == [(page, pages) for page in range(1, pages + 1)]
    assert "Generated by analyst.one at 03 May 2024 09:30 UTC" in text
    assert "spy" not in text.lower()


def test_the_reporters_name_and_contact_only_when_asked_for(store: Store) -> None:
    case = _report(store, _profile())
    photos = _photos(store, case)
    withheld = _text(_pdf(case, photos))
    assert REPORTER_NAME not in withheld
    assert REPORTER_CONTACT not in withheld
    assert "name and contact are left out" in withheld
    assert REPORTER_NOTE in withheld

    shown = _text(_pdf(case, photos, include_reporter=True))
    assert REPORTER_NAME in shown
    assert REPORTER_CONTACT in shown


def test_markup_in_the_profile_and_notes_is_printed_as_text(store: Store) -> None:
    name = '<img src=x onerror="alert(1)">Jane'
    headline = "<script>alert('headline')</script> & <b>bold</b>"
    message = "</div><h1>Trusted colleague</h1><a href='http://127.0.0.1:9/'>click</a>"
    case = _report(
        store,
        _profile(name=name, headline=headline, messages=[{"text": message}]),
        note="<style>body{display:none}</style>",
    )
    note = NoteRecord(3, case.id, "<i>analyst</i>", dt.datetime(2024, 5, 2), "<u>underlined</u>")
    kwargs: dict[str, Any] = {
        "organisation_name": "<b>Org</b>",
        "photos": _photos(store, case),
        "notes": [note],
        "related": RELATED,
        "generated_by": "<script>x</script>",
        "generated_at": GENERATED_AT,
    }
    html = case_html(case, **kwargs)
    for markup in ("<img src=x", "<script>", "<b>bold", "<h1>Trusted", "<a href", "<i>", "<u>"):
        assert markup not in html
    assert "&lt;script&gt;alert(" in html

    text = _text(case_pdf(case, **kwargs))
    for literal in (name, headline, message, "<style>body{display:none}</style>"):
        assert _flat(literal) in text
    assert "<i>analyst</i>" in text
    assert "Generated by <script>x</script>" in text


def test_control_characters_are_shown_not_obeyed(store: Store) -> None:
    # A right-to-left override would print "Jane" as "enaJ" and could hide words.
    case = _report(store, _profile(headline="Talent\u202e Partner\x1b[31m"))
    text = _text(_pdf(case, _photos(store, case)))
    assert "Talent\\u202e Partner\\u001b[31m" in text


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (BROKEN_JPEG, "The photo was left out: the photo is damaged or truncated"),
        (b"not an image at all", "The photo was left out: the file is not an image"),
        (_gif(), "it is a GIF file, and only PNG, JPEG and WebP photos are embedded"),
        (_jpeg((8, 8)), "The photo was left out: the photo is only 8x8 pixels"),
    ],
)
def test_a_photo_that_cannot_be_embedded_is_left_out_with_a_note(
    store: Store, data: bytes, says: str
) -> None:
    case = _report(store, _profile(photo={"data": base64.b64encode(data).decode()}))
    photos = _photos(store, case)
    assert list(photos.values()) == [data]
    pdf = _pdf(case, photos)
    assert pdf.startswith(b"%PDF-")
    assert _images(pdf) == 0
    assert says in _text(pdf)


def test_a_photo_known_only_by_its_address_is_not_fetched(store: Store) -> None:
    case = _report(store, _profile(photo={"url": "https://media.example.com/jane.jpg"}))
    pdf = _pdf(case, _photos(store, case))
    assert _images(pdf) == 0
    assert "The photo is not shown: the case store holds no copy of it." in _text(pdf)


def test_a_profile_without_a_photo_needs_none(store: Store) -> None:
    profile = _profile().model_copy(update={"photo": None})
    case = _report(store, profile)
    text = _text(_pdf(case, {}, notes=(), related=()))
    assert "photo" not in text.split("Why: the reasons")[0].lower()
    assert "No analyst notes yet." in text
    assert f"No other case of {ORGANISATION}" in text


def test_remote_references_in_a_case_fetch_nothing(store: Store, fetched: list[str]) -> None:
    remote = "<link rel=stylesheet href=http://127.0.0.1:9/x.css> url(http://127.0.0.1:9/y.png)"
    case = _report(
        store,
        _profile(
            url="http://127.0.0.1:9/in/jane",
            about=remote,
            photo={"data": base64.b64encode(_jpeg()).decode(), "url": "http://127.0.0.1:9/p.jpg"},
        ),
        note=remote,
    )
    note = NoteRecord(
        4, case.id, "analyst", dt.datetime(2024, 5, 2), "<img src='file:///etc/passwd'>"
    )
    pdf = _pdf(case, _photos(store, case), notes=(note,))
    assert fetched, "the photo (a data: URI) goes through the fetcher"
    assert all(url.startswith("data:image/png;base64,") for url in fetched), fetched
    assert "url(http://127.0.0.1:9/y.png)" in _text(pdf)


def test_making_a_case_report_leaves_pillow_strict_about_damaged_images(store: Store) -> None:
    from PIL import ImageFile

    case = _report(store, _profile())
    _pdf(case, _photos(store, case))
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def _many_reasons(count: int) -> tuple[Reason, ...]:
    return tuple(
        Reason(
            signal=Signal(
                detector="approach.phrases",
                code=f"test_cue_{index}",
                group=IndicatorGroup.URGENCY if index % 2 else IndicatorGroup.FLATTERY,
                weight=0.5,
                explanation=f"Cue number {index} was seen in the messages.",
                evidence=(Evidence(field=f"messages[{index}].text", excerpt=f"phrase {index}"),),
            ),
            contribution=round(2.0 - index / 100, 2),
        )
        for index in range(count)
    )


def test_a_large_case_still_renders_in_reasonable_time(store: Store) -> None:
    # Short messages: the store fingerprints each text of 12 words or more.
    messages = [Message(text=f"Message {index}: are you free to talk?") for index in range(120)]
    profile = _profile(messages=[m.model_dump(mode="json") for m in messages])
    real = _engine().assess(profile, as_of=AS_OF)
    assessment = real.model_copy(update={"reasons": _many_reasons(200)})
    case = store.add_report(assessment, profile, note="x " * 2000)
    notes = tuple(
        NoteRecord(index, case.id, f"analyst{index % 5}", dt.datetime(2024, 5, 2), f"Note {index}")
        for index in range(200)
    )
    related = tuple(
        LinkRecord(f"case-{index}", f"Persona {index}", Band.MEDIUM, ReportStatus.NEW,
                   dt.datetime(2024, 4, 1), ("same invitation text", "same location"))
        for index in range(50)
    )  # fmt: skip
    _pdf(case, _photos(store, case), notes=(), related=())  # WeasyPrint imported and warm

    started = time.perf_counter()
    pdf = _pdf(case, _photos(store, case), notes=notes, related=related)
    seconds = time.perf_counter() - started
    text = _text(pdf)
    pages = text.count(FOOTER_CLAIM)
    print(f"\n200 reasons, 200 notes, 50 related, 120 messages: {seconds:.2f} s, {pages} pages")
    assert seconds < 60
    assert "Cue number 0 was seen" in text
    assert "Cue number 199 was seen" in text
    assert "Note 199" in text
    assert "Persona 49" in text
    assert "… and 70 more messages, not shown." in text
    assert _page_numbers(text) == [(page, pages) for page in range(1, pages + 1)]
