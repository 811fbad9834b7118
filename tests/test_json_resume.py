"""JSON Resume in and out: the mapping, the round trip, the schema, and clear errors on bad input."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkvet import InputError, Profile
from linkvet.api import load_profile
from linkvet.ingest.json_resume import (
    json_resume_from_profile,
    looks_like_json_resume,
    profile_from_json_resume,
)
from tests.conftest import EXAMPLES

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.json"))

RESUME: dict[str, Any] = {
    "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
    "basics": {
        "name": "Ana Kovač",
        "label": "Lead Data Engineer",
        "image": "https://ana.example.org/portrait.jpg",
        "email": "ana@example.org",
        "phone": "+385 1 234 5678",
        "url": "https://ana.example.org",
        "summary": "I build data platforms for public-health research.",
        "location": {
            "address": "Ilica 1",
            "postalCode": "10000",
            "city": "Zagreb",
            "countryCode": "HR",
            "region": "City of Zagreb",
        },
        "profiles": [
            {"network": "GitHub", "username": "anakovac", "url": "https://github.com/anakovac"},
            {
                "network": "LinkedIn",
                "username": "ana-kovac",
                "url": "https://www.linkedin.com/in/ana-kovac",
            },
            {"network": "Mastodon", "username": "ana"},
        ],
    },
    "work": [
        {
            "name": "Meridian Health Data",
            "position": "Lead Data Engineer",
            "url": "https://meridian.example.com",
            "startDate": "2021-03",
            "summary": "Lead a team of six building the research data platform.",
            "highlights": ["Cut nightly load time from 9 hours to 40 minutes", ""],
            "location": "Zagreb",
        },
        {
            "name": "Adriatic Analytics",
            "position": "Data Engineer",
            "startDate": "2017-09-01",
            "endDate": "2021-02-28",
            "highlights": ["Built the Spark pipelines", "Mentored two juniors"],
        },
        {
            "company": "Lab 42",
            "position": "Intern",
            "startDate": "2016",
            "endDate": "2016",
            "x-team": "extension keys are ignored",
        },
    ],
    "volunteer": [
        {
            "organization": "Django Girls Zagreb",
            "position": "Coach",
            "startDate": "2018-05",
            "summary": "Coach at the yearly workshop.",
        }
    ],
    "education": [
        {
            "institution": "University of Zagreb",
            "url": "https://www.unizg.hr",
            "area": "Computer Science",
            "studyType": "MSc",
            "startDate": "2015",
            "endDate": "2017",
            "score": "5.0",
            "courses": ["Databases"],
        }
    ],
    "awards": [{"title": "Best Paper", "date": "2020-06", "awarder": "EuroSys"}],
    "certificates": [
        {"name": "AWS Certified Data Engineer", "date": "2022-05-10", "issuer": "AWS"},
        {"issuer": "a certificate with no name is skipped"},
    ],
    "publications": [{"name": "Faster ETL", "publisher": "EuroSys", "releaseDate": "2020-06"}],
    "skills": [
        {"name": "Apache Spark", "level": "Master", "keywords": ["PySpark", "Delta"]},
        {"name": "SQL"},
    ],
    "languages": [
        {"language": "Croatian", "fluency": "Native speaker"},
        {"language": "English", "fluency": "Fluent"},
    ],
    "interests": [{"name": "Cycling", "keywords": ["gravel"]}],
    "references": [
        {"name": "Marko Horvat", "reference": "Ana rebuilt our pipelines and raised the bar."}
    ],
    "projects": [{"name": "open-etl", "startDate": "2019"}],
    "meta": {"canonical": "https://ana.example.org/resume.json", "version": "v1.0.0"},
}

EXPECTED: dict[str, Any] = {
    "platform": "linkedin",
    "url": "https://www.linkedin.com/in/ana-kovac",
    "handle": "ana-kovac",
    "name": "Ana Kovač",
    "headline": "Lead Data Engineer",
    "location": "Zagreb, City of Zagreb, HR",
    "about": "I build data platforms for public-health research.",
    "photo": {"url": "https://ana.example.org/portrait.jpg"},
    "contact": {
        "emails": ["ana@example.org"],
        "phones": ["+385 1 234 5678"],
        "websites": ["https://ana.example.org", "https://github.com/anakovac"],
    },
    "experience": [
        {
            "organisation": "Meridian Health Data",
            "title": "Lead Data Engineer",
            "location": "Zagreb",
            "start": "2021-03",
            "current": True,
            "description": "Lead a team of six building the research data platform.\n"
            "Cut nightly load time from 9 hours to 40 minutes",
        },
        {
            "organisation": "Adriatic Analytics",
            "title": "Data Engineer",
            "start": "2017-09-01",
            "end": "2021-02-28",
            "description": "Built the Spark pipelines\nMentored two juniors",
        },
        {"organisation": "Lab 42", "title": "Intern", "start": "2016", "end": "2016"},
        {
            "organisation": "Django Girls Zagreb",
            "title": "Coach",
            "employment_type": "volunteer",
            "start": "2018-05",
            "current": True,
            "description": "Coach at the yearly workshop.",
        },
    ],
    "education": [
        {
            "school": "University of Zagreb",
            "degree": "MSc",
            "field_of_study": "Computer Science",
            "start": "2015",
            "end": "2017",
        }
    ],
    "skills": [{"name": "Apache Spark"}, {"name": "SQL"}],
    "certifications": [
        {"name": "AWS Certified Data Engineer", "issuer": "AWS", "date": "2022-05-10"}
    ],
    "languages": [
        {"name": "Croatian", "proficiency": "Native speaker"},
        {"name": "English", "proficiency": "Fluent"},
    ],
    "recommendations": [
        {"author": "Marko Horvat", "text": "Ana rebuilt our pipelines and raised the bar."}
    ],
}

# The official schema's date pattern, and the parts of the schema this reader writes. Stricter
# than the official one on purpose: no keys it does not define, so nothing stray is written.
ISO_DATE = r"^([1-2][0-9]{3}-[0-1][0-9]-[0-3][0-9]|[1-2][0-9]{3}-[0-1][0-9]|[1-2][0-9]{3})$"


def _entries_of(**properties: Any) -> dict[str, Any]:
    return {
        "type": "array",
        "items": {"type": "object", "additionalProperties": False, "properties": properties},
    }


TEXT = {"type": "string"}
DATE = {"type": "string", "pattern": ISO_DATE}
RESUME_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "$schema": {"type": "string", "format": "uri"},
        "basics": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                **dict.fromkeys(
                    ("name", "label", "image", "email", "phone", "url", "summary"), TEXT
                ),
                "location": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": dict.fromkeys(
                        ("address", "postalCode", "city", "countryCode", "region"), TEXT
                    ),
                },
                "profiles": _entries_of(network=TEXT, username=TEXT, url=TEXT),
            },
        },
        "work": _entries_of(
            name=TEXT, position=TEXT, location=TEXT, startDate=DATE, endDate=DATE, summary=TEXT
        ),
        "volunteer": _entries_of(
            organization=TEXT, position=TEXT, startDate=DATE, endDate=DATE, summary=TEXT
        ),
        "education": _entries_of(
            institution=TEXT, area=TEXT, studyType=TEXT, startDate=DATE, endDate=DATE
        ),
        "skills": _entries_of(name=TEXT, level=TEXT, keywords={"type": "array", "items": TEXT}),
        "languages": _entries_of(language=TEXT, fluency=TEXT),
        "certificates": _entries_of(name=TEXT, date=DATE, issuer=TEXT, url=TEXT),
        "references": _entries_of(name=TEXT, reference=TEXT),
    },
}


def _example_profiles() -> list[Profile]:
    return [load_profile(path) for path in EXAMPLE_FILES]


def _what_json_resume_keeps(profile: Profile) -> Profile:
    """The profile less what `json_resume_from_profile` says JSON Resume cannot hold."""
    data = profile.model_dump(mode="json", exclude_none=True)
    for name in (
        "counts", "joined", "last_active", "verifications", "connected_at", "observed_at",
        "invitation", "messages", "has_photo", "banner",
    ):  # fmt: skip
        data.pop(name, None)
    assert data.get("platform") in {None, "linkedin"}, "only LinkedIn keeps its handle and URL"
    if "url" in data.pop("photo", {}):
        data["photo"] = {"url": profile.photo.url if profile.photo else None}
    contact = data.pop("contact", {})
    contact.pop("messengers", None)
    contact = {key: values[:1] if key != "websites" else values for key, values in contact.items()}
    if contact := {key: values for key, values in contact.items() if values}:
        data["contact"] = contact
    work, volunteer = [], []
    for entry in data.get("experience", []):
        entry.pop("duration_months", None)
        if entry.pop("employment_type", None) == "volunteer":
            entry.pop("location", None)
            entry["employment_type"] = "volunteer"
            volunteer.append(entry)
        else:
            work.append(entry)
    if "experience" in data:
        data["experience"] = work + volunteer
    for entry in data.get("education", []):
        entry.pop("description", None)
    for entry in data.get("experience", []) + data.get("education", []):
        entry.pop("current", None)
        if "start" in entry and "end" not in entry:
            entry["current"] = True
    for entry in data.get("skills", []):
        entry.pop("endorsements", None)
    for entry in data.get("recommendations", []):
        entry.pop("relationship", None)
        entry.pop("date", None)
    return Profile.model_validate(data)


# ---------------------------------------------------------------------------------------------
# Reading


def test_a_full_resume_becomes_the_profile_it_describes() -> None:
    profile = profile_from_json_resume(copy.deepcopy(RESUME))
    assert profile.model_dump(mode="json") == Profile.model_validate(EXPECTED).model_dump(
        mode="json"
    )


def test_a_resume_file_is_read_like_a_profile_file(tmp_path: Path) -> None:
    path = tmp_path / "resume.json"
    path.write_text(json.dumps(RESUME), encoding="utf-8")
    assert load_profile(path) == profile_from_json_resume(copy.deepcopy(RESUME))


def test_missing_sections_stay_unknown_and_empty_ones_stay_empty() -> None:
    profile = profile_from_json_resume({"basics": {"name": "Ana"}, "work": [], "skills": []})
    assert profile.experience == []
    assert profile.skills == []
    for name in ("education", "languages", "certifications", "recommendations", "contact"):
        assert getattr(profile, name) is None, name
    assert profile.platform is None
    assert profile.photo_shown() is None


def test_volunteer_alone_makes_experience_known() -> None:
    profile = profile_from_json_resume({"volunteer": [{"organization": "Red Cross"}]})
    assert [(e.organisation, e.employment_type) for e in profile.experience or []] == [
        ("Red Cross", "volunteer")
    ]


def test_blank_template_fields_count_as_left_out() -> None:
    profile = profile_from_json_resume(
        {
            "basics": {"name": "Ana", "label": "", "image": " ", "location": {"city": ""}},
            "work": [{"name": "Acme", "startDate": "2020", "endDate": "", "highlights": [""]}],
        }
    )
    assert (profile.headline, profile.photo, profile.location, profile.contact) == (
        None,
        None,
        None,
        None,
    )
    (entry,) = profile.experience or []
    assert (entry.end, entry.current, entry.description) == (None, True, None)


def test_dates_as_people_write_them_are_understood() -> None:
    profile = profile_from_json_resume(
        {"work": [{"startDate": "Apr 2019", "endDate": "Present"}, {"endDate": "2019"}]}
    )
    ongoing, ended = profile.experience or []
    assert (str(ongoing.start), ongoing.end, ongoing.current) == ("2019-04", None, True)
    assert (ended.start, str(ended.end), ended.current) == (None, "2019", None)


def test_only_the_first_linkedin_profile_names_the_account() -> None:
    profile = profile_from_json_resume(
        {
            "basics": {
                "profiles": [
                    {"network": "twitter", "username": "ana", "url": "https://x.com/ana"},
                    {"network": " Linked In ", "username": "ana-k"},
                    {"network": "linkedin", "url": "https://www.linkedin.com/in/other"},
                ]
            }
        }
    )
    assert (profile.platform, profile.handle, profile.url) == ("linkedin", "ana-k", None)
    assert profile.contact is not None
    assert profile.contact.websites == ["https://x.com/ana", "https://www.linkedin.com/in/other"]


# ---------------------------------------------------------------------------------------------
# Writing, and back again


@pytest.mark.parametrize(
    "profile", [profile_from_json_resume(copy.deepcopy(RESUME))], ids=["resume"]
)
def test_a_profile_read_from_a_resume_survives_the_round_trip(profile: Profile) -> None:
    assert profile_from_json_resume(json_resume_from_profile(profile)) == profile


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda path: path.stem)
def test_the_round_trip_keeps_every_mapped_field(path: Path) -> None:
    profile = load_profile(path)
    back = profile_from_json_resume(json_resume_from_profile(profile))
    assert back == _what_json_resume_keeps(profile)
    assert back.name == profile.name  # the projection above did not empty everything


def test_the_round_trip_keeps_contact_details_photo_urls_and_certificates() -> None:
    profile = Profile.model_validate(
        {
            "platform": "linkedin",
            "url": "https://www.linkedin.com/in/ana",
            "photo": {"url": "https://ana.example.org/me.png"},
            "location": "Bristol, England, United Kingdom",
            "contact": {
                "emails": ["ana@example.org", "second@example.org"],
                "phones": ["+44 117 000"],
                "websites": ["https://ana.example.org", "https://github.com/ana"],
                "messengers": ["telegram: @ana"],
            },
            "experience": [
                {"organisation": "Acme", "start": "2020", "current": True},
                {"organisation": "Shelter", "employment_type": "volunteer", "location": "Bath"},
                {"organisation": "Initech", "start": "2015-01", "end": "2019-12"},
            ],
            "certifications": [{"name": "CISSP", "issuer": "ISC2", "date": "2021-03-01"}],
            "languages": [{"name": "Welsh"}],
            "recommendations": [{"author": "Tom", "relationship": "manager", "date": "2020"}],
        }
    )
    back = profile_from_json_resume(json_resume_from_profile(profile))
    assert back == _what_json_resume_keeps(profile)
    assert back.contact is not None
    assert back.contact.emails == ["ana@example.org"]
    assert back.location == "Bristol, England, United Kingdom"
    assert [entry.organisation for entry in back.experience or []] == ["Acme", "Initech", "Shelter"]


def test_unknown_stays_unknown_in_the_resume() -> None:
    assert json_resume_from_profile(Profile()) == {"$schema": RESUME["$schema"]}
    written = json_resume_from_profile(Profile(experience=[], skills=[]))
    assert (written["work"], written["skills"]) == ([], [])
    assert "volunteer" not in written
    assert "education" not in written


@pytest.mark.parametrize(
    "profile",
    [profile_from_json_resume(copy.deepcopy(RESUME)), *_example_profiles()],
    ids=["resume", *(path.stem for path in EXAMPLE_FILES)],
)
def test_what_is_written_fits_the_json_resume_schema(profile: Profile) -> None:
    written = json_resume_from_profile(profile)
    jsonschema.Draft7Validator.check_schema(RESUME_SCHEMA)
    jsonschema.Draft7Validator(RESUME_SCHEMA).validate(written)
    assert json.loads(json.dumps(written)) == written
    assert looks_like_json_resume(written)


# ---------------------------------------------------------------------------------------------
# Bad input


HUGE = "x" * 10_000_000


@pytest.mark.parametrize(
    ("resume", "expected"),
    [
        ({"work": {"name": "Acme"}}, "work: expected a list, got an object"),
        ({"work": ["Acme"]}, "work[0]: expected an object, got text"),
        (
            {"work": [{}, {}, {"startDate": "yesterday"}]},
            "work[2].startDate: cannot read 'yesterday' as a date",
        ),
        ({"work": [{"endDate": "2019-13"}]}, "work[0].endDate: month 13 is not between 1 and 12"),
        ({"education": [{"startDate": 1492}]}, "education[0].startDate: year 1492 is outside"),
        (
            {"basics": {"summary": HUGE}},
            "basics.summary: String should have at most 100000 characters",
        ),
        ({"work": [{"summary": HUGE}]}, "work[0].summary: String should have at most 100000"),
        ({"work": [{"highlights": [HUGE]}]}, "work[0].highlights: String should have at most"),
        ({"volunteer": [{"organization": "x" * 501}]}, "volunteer[0].organization: String"),
        ({"references": [{"reference": HUGE}]}, "references[0].reference: String should"),
        ({"basics": {"image": "y" * 5000}}, "basics.image: String should have at most 4096"),
        (
            {"work": [{}] * 300, "volunteer": [{}] * 300},
            "work and volunteer: List should have at most 500 items",
        ),
        ({"skills": [{"name": "Go"}] * 501}, "skills: List should have at most 500 items"),
        (
            {"skills": [{"name": "Go"}, {"level": "skipped"}, {"name": "z" * 501}]},
            "skills[2].name: String should have at most 500 characters",
        ),
        ({"languages": [{"language": ["English"]}]}, "languages[0].language: expected text"),
        ({"basics": "Ana"}, "basics: expected an object, got text"),
        ({"basics": {"location": [[[]]]}}, "basics.location: expected an object, got a list"),
        ({"basics": {"location": {"city": {"name": 1}}}}, "basics.location.city: expected text"),
        ({"basics": {"profiles": [{"network": {"x": [1]}}]}}, "basics.profiles[0].network: "),
        ({"basics": {"profiles": {"linkedin": "ana"}}}, "basics.profiles: expected a list"),
        ({"work": [{"highlights": [{"deep": [1, [2]]}]}]}, "work[0].highlights[0]: expected text"),
        ({"work": [{"highlights": "one"}]}, "work[0].highlights: expected a list of text"),
        ({"work": [{"position": 12}]}, "work[0].position: expected text, got a number"),
        ({"work": [{"name": True}]}, "work[0].name: expected text, got true/false"),
        ({"work": [{"startDate": [[["2019"]]]}]}, "work[0].startDate: expected a date as text"),
        ({"certificates": [{"name": "A", "date": {}}]}, "certificates[0].date: expected a date"),
    ],
    ids=lambda value: value[:40] if isinstance(value, str) else None,
)
def test_bad_input_is_an_input_error_naming_the_resume_field(
    resume: dict[str, Any], expected: str
) -> None:
    with pytest.raises(InputError) as caught:
        profile_from_json_resume(resume, source="cv.json")
    message = str(caught.value)
    assert message.startswith("cv.json: ")
    assert expected in message
    assert len(message) < 1000, "the offending input is not echoed back"


@pytest.mark.parametrize("top", [[RESUME], "resume", 42, None])
def test_a_resume_must_be_an_object(top: Any) -> None:
    with pytest.raises(InputError, match="expected a JSON Resume object"):
        profile_from_json_resume(top)


WORK_KEYS = "name company position startDate endDate summary highlights location url".split()
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(["2019", "2019-04", "2019-04-31", "Present", "", " ", "{}", "yesterday"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(WORK_KEYS) | st.text(max_size=8), children, max_size=6)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(work=JSON_VALUES)
def test_anything_under_work_reads_or_is_an_input_error(work: Any) -> None:
    try:
        profile_from_json_resume({"work": work, "volunteer": work})
    except InputError as error:
        problem = error.detail
    else:
        return
    assert problem.strip()


# ---------------------------------------------------------------------------------------------
# Telling a résumé from a linkvet profile


@pytest.mark.parametrize(
    "data",
    [RESUME, {"basics": {}}, {"work": []}, {"basics": {"name": "Ana"}, "meta": {}, "x-extra": 1}],
)
def test_resumes_look_like_resumes(data: dict[str, Any]) -> None:
    assert looks_like_json_resume(data)


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda path: path.stem)
def test_linkvet_profiles_do_not_look_like_resumes(path: Path) -> None:
    assert not looks_like_json_resume(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"name": "Ana", "experience": []},
        {"basics": "Ana"},
        {"work": {"name": "Acme"}},
        {"basics": {}, "platform": "linkedin"},
        {"work": [], "counts": {"connections": 5}},
        {"skills": [{"name": "Go"}], "education": []},
        [RESUME],
        "basics",
        None,
    ],
)
def test_other_things_do_not_look_like_resumes(data: object) -> None:
    assert not looks_like_json_resume(data)


@given(
    st.dictionaries(st.text(max_size=12).filter(lambda k: k not in {"basics", "work"}), JSON_VALUES)
)
def test_dicts_without_basics_or_work_are_not_resumes(data: dict[str, Any]) -> None:
    assert not looks_like_json_resume(data)
