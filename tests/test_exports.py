"""Exports of cases: STIX 2.1 (checked by the OASIS validator), MISP event JSON, and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import stix2  # type: ignore[import-untyped]
import stix2validator  # type: ignore[import-untyped]
from stix2patterns.validator import validate as validate_pattern  # type: ignore[import-untyped]

from linkvet.engine import Engine
from linkvet.model import Message, Platform, Profile
from linkvet.report.exports import CSV_COLUMNS, cases_csv, misp_event, stix_bundle, url_pattern
from linkvet.store import ReportRecord, Store, open_store

AS_OF = dt.date(2024, 5, 1)
ORGANISATION = "Example Research Lab"
REPORTER_NAME = "Alice Reporter-Privacy"
REPORTER_CONTACT = "alice.private@example.org"
AWKWARD_URL = "https://www.linkedin.com/in/o'brien\\x-1"
FORMULA_NAME = '=HYPERLINK("http://evil","x")'


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path}/cases.sqlite") as opened:
        yield opened


def _report(store: Store, profile: Profile, note: str = "") -> ReportRecord:
    assessment = Engine().assess(profile, as_of=AS_OF)
    return store.add_report(
        assessment,
        profile,
        note=note,
        reporter_name=REPORTER_NAME,
        reporter_contact=REPORTER_CONTACT,
    )


@pytest.fixture
def reports(store: Store) -> list[ReportRecord]:
    recruiter = Profile(
        platform=Platform.LINKEDIN,
        url="https://www.linkedin.com/in/jane-recruiter-4821",
        name="Jane Recruiter",
        headline="Senior Talent Partner at Global Strategic Consulting",
        invitation=Message(
            text="Exclusive paid consulting opportunity for experts like you. "
            "Please add me on WhatsApp to discuss, it is urgent."
        ),
    )
    awkward = Profile(url=AWKWARD_URL, handle="obrien-x", name="Pat O'Brien")
    formula = Profile(url="https://www.linkedin.com/in/formula", name=FORMULA_NAME)
    return [
        _report(store, recruiter, note="Asked about my team's project"),
        _report(store, awkward, note="+44 number offered"),
        _report(store, formula, note="@mention from a stranger"),
        _report(store, Profile(name="Nameless"), note="-- no profile link kept"),
    ]


def test_stix_bundle_passes_the_validator(reports: list[ReportRecord]) -> None:
    bundle = stix_bundle(reports, organisation_name=ORGANISATION)
    results = stix2validator.validate_string(bundle)
    if not results.is_valid:
        stix2validator.print_results(results)
    assert results.is_valid

    objects = json.loads(bundle)["objects"]
    types = {obj["type"] for obj in objects}
    assert {"identity", "user-account", "url", "indicator", "sighting", "note"} <= types
    organisation = next(o for o in objects if o.get("identity_class") == "organization")
    personas = [o for o in objects if o.get("identity_class") == "individual"]
    assert len(personas) == len(reports)
    assert all("reported" in persona["description"].lower() for persona in personas)
    sightings = [o for o in objects if o["type"] == "sighting"]
    indicators = {o["id"]: o for o in objects if o["type"] == "indicator"}
    assert len(sightings) == len(indicators) == 3  # the fourth report has no URL
    for sighting in sightings:
        assert sighting["where_sighted_refs"] == [organisation["id"]]
        assert sighting["count"] == 1
        assert sighting["sighting_of_ref"] in indicators
    accounts = [o for o in objects if o["type"] == "user-account"]
    assert {a["user_id"] for a in accounts} == {"jane-recruiter-4821", "obrien-x", "formula"}
    assert {a["account_type"] for a in accounts} == {"linkedin"}


def test_awkward_url_gives_a_valid_escaped_pattern(reports: list[ReportRecord]) -> None:
    bundle = stix_bundle(reports[1:2], organisation_name=ORGANISATION)
    results = stix2validator.validate_string(bundle)
    if not results.is_valid:
        stix2validator.print_results(results)
    assert results.is_valid
    objects = json.loads(bundle)["objects"]
    (indicator,) = [o for o in objects if o["type"] == "indicator"]
    (url,) = [o for o in objects if o["type"] == "url"]
    # A backslash may not stand in a URI: the url object holds it percent-encoded, and the
    # indicator matches exactly that value.
    assert url["value"] == "https://www.linkedin.com/in/o'brien%5Cx-1"
    assert indicator["pattern"] == "[url:value = 'https://www.linkedin.com/in/o\\'brien%5Cx-1']"


def test_url_pattern_escapes_quotes_and_backslashes() -> None:
    pattern = url_pattern("https://a.example/o'b\\c\\'")
    assert pattern == "[url:value = 'https://a.example/o\\'b\\\\c\\\\\\'']"
    valid, errors = validate_pattern(pattern, ret_errs=True)
    assert valid, errors
    assert stix2.Indicator(pattern=pattern, pattern_type="stix").pattern == pattern


def test_misp_event_has_the_expected_shape(reports: list[ReportRecord]) -> None:
    event = misp_event(reports, organisation_name=ORGANISATION)["Event"]
    assert {"info", "date", "threat_level_id", "analysis", "distribution", "Attribute"} <= set(
        event
    )
    assert event["distribution"] == "0"
    assert event["threat_level_id"] in {"1", "2", "3"}
    dt.date.fromisoformat(event["date"])
    attributes = event["Attribute"]
    assert {a["type"] for a in attributes} == {"url", "text", "comment"}
    assert {a["category"] for a in attributes} <= {"Social network", "External analysis"}
    assert all(a["to_ids"] is False for a in attributes if a["type"] == "text")
    assert AWKWARD_URL in {a["value"] for a in attributes if a["type"] == "url"}
    json.dumps(event)


def test_reporter_details_appear_in_no_export(reports: list[ReportRecord]) -> None:
    exports = [
        stix_bundle(reports, organisation_name=ORGANISATION),
        json.dumps(misp_event(reports, organisation_name=ORGANISATION)),
        cases_csv(reports),
    ]
    for text in exports:
        for secret in (REPORTER_NAME, REPORTER_CONTACT, "Reporter-Privacy", "alice.private"):
            assert secret not in text


def test_csv_defuses_formulas_and_reads_back(reports: list[ReportRecord]) -> None:
    text = cases_csv(reports)
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    by_id = {row[0]: dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[1:]}
    assert set(by_id) == {report.id for report in reports}
    first, second, third, fourth = (by_id[report.id] for report in reports)
    assert third["subject_name"] == "'" + FORMULA_NAME
    assert second["note"] == "'+44 number offered"
    assert third["note"] == "'@mention from a stranger"
    assert fourth["note"] == "'-- no profile link kept"
    for report in reports:
        row = by_id[report.id]
        assert row["status"] == report.status.value
        assert row["band"] == report.band.value
        assert float(row["probability"]) == pytest.approx(report.probability, abs=1e-3)
        assert row["subject_url"] == (report.subject_url or "")
        assert row["note"].removeprefix("'") == report.note
        assert dt.datetime.fromisoformat(row["created_at"]).tzinfo is not None
    assert first["note"] == "Asked about my team's project"
    assert first["subject_name"] == "Jane Recruiter"
    raising = [r.signal.explanation for r in reports[0].assessment.reasons if r.contribution > 0]
    assert raising, "the recruiter profile should raise the risk"
    assert first["top_reasons"] == "; ".join(raising[:3])
    # Every cell is quoted, so a spreadsheet reads each as text.
    assert text.splitlines()[1].startswith('"')
