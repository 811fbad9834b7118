"""The Profile model: unknown is not zero, dates and counts as shown, clear errors by field."""

from __future__ import annotations

import base64

import pytest

from linkvet import InputError, Profile
from linkvet._dates import PartialDate
from linkvet.api import profile_from_dict
from linkvet.model import Count


def test_unknown_stays_unknown() -> None:
    profile = Profile()
    dumped = profile.model_dump(exclude_none=True)
    assert dumped == {}
    assert profile.experience is None
    assert profile.photo_shown() is None
    assert not profile.has("counts.connections")


def test_seen_empty_is_not_unknown() -> None:
    profile = Profile(experience=[], has_photo=False)
    assert profile.has("experience")
    assert profile.experience == []
    assert profile.photo_shown() is False


def test_reads_what_people_copy() -> None:
    profile = Profile.model_validate(
        {
            "platform": "X",
            "counts": {"connections": "500+", "followers": "1.2K"},
            "experience": [
                {
                    "title": "Analyst",
                    "start": "Jan 2019",
                    "end": "Present",
                    "duration_months": "3 yrs 2 mos",
                },
                {"title": "Intern", "start": "2017", "end": "2018", "employment_type": "Full Time"},
            ],
            "joined": "May 2012",
        }
    )
    assert profile.platform == "twitter"
    assert profile.counts is not None
    assert profile.counts.connections == Count(value=500, at_least=True)
    assert profile.counts.followers == Count(value=1200)
    current, earlier = profile.experience or []
    assert current.current is True
    assert current.end is None
    assert current.start == PartialDate(2019, 1)
    assert current.duration_months == 38
    assert earlier.employment_type == "full-time"


def test_dates_serialise_as_text() -> None:
    profile = Profile.model_validate({"joined": "Jan 2019", "experience": [{"start": 2015}]})
    data = profile.model_dump(mode="json", exclude_none=True)
    assert data["joined"] == "2019-01"
    assert data["experience"][0]["start"] == "2015"
    assert Profile.model_validate(data) == profile


def test_inline_photo_is_base64() -> None:
    encoded = base64.b64encode(b"\x89PNG fake bytes").decode()
    profile = Profile.model_validate({"photo": {"data": encoded}})
    assert profile.photo is not None
    assert profile.photo.data == b"\x89PNG fake bytes"
    assert profile.photo_shown() is True


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"counts": {"connections": -5}}, "counts.connections", "greater than or equal to 0"),
        ({"counts": {"connections": "lots"}}, "counts.connections", "cannot read 'lots'"),
        ({"joined": "9999"}, "joined", "outside"),
        ({"experience": [{"start": "Smarch 2019"}]}, "experience[0].start", "not a month name"),
        ({"about": "x" * 10_000_000}, "about", "at most 100000 characters"),
        ({"name": 42}, "name", "valid string"),
        ({"conections": 5}, "conections", "unknown field"),
        ({"experience": {"title": "x"}}, "experience", "valid list"),
        ({"photo": {}}, "photo", "needs a path, data or a url"),
        ({"photo": {"path": "a.jpg"}, "has_photo": False}, "(top level)", "has_photo is false"),
        ({"experience": [{"end": "Present", "current": False}]}, "experience[0]", "Present"),
        ({"platform": "myspace"}, "platform", "linkedin"),
        ({"messages": [{"sent_at": "yesterday"}]}, "messages[0].text", "Field required"),
        (
            {"skills": [{"name": "Go", "endorsements": 10**12}]},
            "skills[0].endorsements",
            "less than",
        ),
    ],
)
def test_errors_name_the_field(data: dict[str, object], field: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        profile_from_dict(data, source="p.json")
    message = str(caught.value)
    assert message.startswith("p.json: ")
    assert f" {field}" in message
    assert words in message
    # The offending input is never echoed back: a 10 MB about text must not flood the terminal.
    assert len(message) < 1000
