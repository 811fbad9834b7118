"""Per-detector case tables for the profile family (`linkvet.detectors.profile`).

In the style of Presidio's per-recognizer tests: each detector has a table of positive cases
(profile -> the exact signals expected, each with the field paths its evidence names) and a table
of negative cases (profile -> no risk signal at all, only the reassuring code if one is expected,
or the detector skipped because a field it needs is unknown). Inputs are realistic: LinkedIn
"500+" counts, partial dates, names in many scripts, auto-generated handle suffixes.

Every case runs against the real rule files and a fixed reference date, so results never depend on
today's date. The detectors are called directly (an exception fails the test instead of being
recorded as a skip), and a final test checks that the engine reports the same signals.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.detectors.cases import (
    NONE,
    SKIPPED,
    Allowed,
    Expected,
    assert_engine_agrees,
    assert_negative,
    assert_positive,
    engine_cases,
)

# ---------------------------------------------------------------------------------------------
# profile.account_age (seen on 2026-11-20; very new < 30 days, new < 180 days, established 5 years)

ACCOUNT_AGE_POSITIVE = [
    pytest.param(
        {"joined": "2026-11-02"}, [("account.very_new", ("joined",))], id="joined-18-days-before"
    ),
    pytest.param(
        {"joined": "Nov 2026"},
        [("account.very_new", ("joined",))],
        id="joined-this-month-month-only",
    ),
    pytest.param(
        {"joined": "2026-11-20"},
        [("account.very_new", ("joined",))],
        id="joined-the-day-it-was-seen",
    ),
    pytest.param(
        {"joined": "Sep 2026"}, [("account.new", ("joined",))], id="joined-in-september-month-only"
    ),
    pytest.param(
        {"joined": "2026-05-25"}, [("account.new", ("joined",))], id="joined-179-days-before"
    ),
    pytest.param(
        {"joined": "October 21, 2026"},
        [("account.new", ("joined",))],
        id="joined-exactly-30-days-before-is-new-not-very-new",
    ),
]

ACCOUNT_AGE_NEGATIVE = [
    pytest.param(
        {"joined": 2015}, frozenset({"account.established"}), id="joined-2015-established"
    ),
    pytest.param(
        {"joined": "März 2010"},
        frozenset({"account.established"}),
        id="joined-german-month-name-established",
    ),
    pytest.param(
        {"joined": "2021-11-20"},
        frozenset({"account.established"}),
        id="joined-exactly-5-years-before",
    ),
    pytest.param({"joined": "Dec 2021"}, NONE, id="joined-dec-2021-not-yet-5-years"),
    pytest.param({"joined": "2026-05-24"}, NONE, id="joined-180-days-before-not-new"),
    pytest.param({"joined": "2026"}, NONE, id="year-only-this-year-could-be-january"),
    pytest.param({"joined": "2027-01"}, NONE, id="join-date-after-the-day-seen"),
    pytest.param({"name": "Priya Raman", "platform": "linkedin"}, SKIPPED, id="join-date-unknown"),
]


@pytest.mark.parametrize(("profile", "expected"), ACCOUNT_AGE_POSITIVE)
def test_account_age_positive(profile: dict[str, Any], expected: Expected) -> None:
    assert_positive("profile.account_age", profile, expected)


@pytest.mark.parametrize(("profile", "allowed"), ACCOUNT_AGE_NEGATIVE)
def test_account_age_negative(profile: dict[str, Any], allowed: Allowed) -> None:
    assert_negative("profile.account_age", profile, allowed)


# ---------------------------------------------------------------------------------------------
# profile.connections (manager >= 100, director >= 150, executive >= 200; very few < 15)

ROLE_CUE = "connections.few_for_seniority"
FEW_CUE = "connections.very_few"

CONNECTIONS_POSITIVE = [
    pytest.param(
        {
            "headline": "Chief Executive Officer at Northwind Capital",
            "counts": {"connections": 150},
        },
        [(ROLE_CUE, ("counts.connections", "headline"))],
        id="ceo-headline-150-connections",
    ),
    pytest.param(
        {
            "experience": [
                {
                    "title": "Director of Business Development",
                    "organisation": "Helix Defence Systems",
                    "start": "Mar 2024",
                    "end": "Present",
                }
            ],
            "counts": {"connections": 80},
        },
        [(ROLE_CUE, ("counts.connections", "experience[0].title"))],
        id="current-director-80-connections",
    ),
    pytest.param(
        {
            "headline": "Software Engineer",
            "experience": [
                {
                    "title": "Software Engineer",
                    "organisation": "Ocado",
                    "start": "2015",
                    "end": "2019",
                },
                {
                    "title": "Engineering Manager",
                    "organisation": "Wise",
                    "start": "Jan 2020",
                    "current": True,
                },
            ],
            "counts": {"connections": "40 connections"},
        },
        [(ROLE_CUE, ("counts.connections", "experience[1].title"))],
        id="current-role-beats-headline-manager-40",
    ),
    pytest.param(
        {"headline": "Head of Research | Geopolitical Risk", "counts": {"connections": 149}},
        [(ROLE_CUE, ("counts.connections", "headline"))],
        id="head-of-research-one-below-150",
    ),
    pytest.param(
        {"headline": "CEO & Founder", "counts": {"connections": 5}},
        [(ROLE_CUE, ("counts.connections", "headline"))],
        id="ceo-with-5-connections-only-the-seniority-cue",
    ),
    pytest.param(
        {"headline": "Geschäftsführerin bei Müller GmbH", "counts": {"connections": 180}},
        [(ROLE_CUE, ("counts.connections", "headline"))],
        id="german-managing-director-180",
    ),
    pytest.param(
        {"headline": "Talent Acquisition Specialist", "counts": {"connections": 7}},
        [(FEW_CUE, ("counts.connections",))],
        id="recruiter-7-connections",
    ),
    pytest.param(
        {"name": "Alex Morgan", "counts": {"connections": "3"}},
        [(FEW_CUE, ("counts.connections",))],
        id="no-claimed-role-3-connections",
    ),
]

CONNECTIONS_NEGATIVE = [
    pytest.param(
        {"headline": "CEO at Northwind Capital", "counts": {"connections": "500+"}},
        NONE,
        id="ceo-linkedin-500-plus",
    ),
    pytest.param(
        {"headline": "Director, Cyber Security", "counts": {"connections": 499}},
        NONE,
        id="director-499",
    ),
    pytest.param(
        {"headline": "Product Manager at Spotify", "counts": {"connections": 100}},
        NONE,
        id="manager-exactly-100",
    ),
    pytest.param(
        {"headline": "Director of Engineering", "counts": {"connections": "1.2K"}},
        NONE,
        id="director-1-2k",
    ),
    pytest.param(
        {"headline": "Executive Assistant to the CEO", "counts": {"connections": 60}},
        NONE,
        id="executive-assistant-to-the-ceo-60",
    ),
    pytest.param(
        {"headline": "Aspiring Product Manager | Economics student", "counts": {"connections": 60}},
        NONE,
        id="aspiring-manager-student-60",
    ),
    pytest.param(
        {"headline": "Student Ambassador at University of Leeds", "counts": {"connections": 40}},
        NONE,
        id="student-ambassador-40",
    ),
    pytest.param(
        {"headline": "Software Engineer at Arm", "counts": {"connections": 15}},
        NONE,
        id="engineer-exactly-15",
    ),
    pytest.param(
        {"headline": "Geschäftsführerin bei Müller GmbH", "counts": {"connections": 350}},
        NONE,
        id="german-managing-director-350",
    ),
    pytest.param(
        {"headline": "CEO", "counts": {"followers": 12}}, SKIPPED, id="connections-unknown"
    ),
]


@pytest.mark.parametrize(("profile", "expected"), CONNECTIONS_POSITIVE)
def test_connections_positive(profile: dict[str, Any], expected: Expected) -> None:
    assert_positive("profile.connections", profile, expected)


@pytest.mark.parametrize(("profile", "allowed"), CONNECTIONS_NEGATIVE)
def test_connections_negative(profile: dict[str, Any], allowed: Allowed) -> None:
    assert_negative("profile.connections", profile, allowed)


# ---------------------------------------------------------------------------------------------
# profile.content (3+ sections known and at most 1 filled: almost none; 5+ filled and vouched: rich)

ALL_SECTIONS = (
    "about",
    "experience",
    "education",
    "skills",
    "recommendations",
    "certifications",
    "counts.posts",
)
JOB = {"title": "Account Manager", "organisation": "Salesforce", "start": "2019", "current": True}
SCHOOL = {"school": "University of Manchester", "degree": "BA", "start": 2012, "end": 2015}

CONTENT_POSITIVE = [
    pytest.param(
        {"about": "", "experience": [], "skills": []},
        [("content.almost_none", ("about", "experience", "skills"))],
        id="three-sections-all-empty",
    ),
    pytest.param(
        {
            "about": "",
            "experience": [JOB],
            "education": [],
            "skills": [],
            "recommendations": [],
            "certifications": [],
            "counts": {"posts": 0},
        },
        [("content.almost_none", ALL_SECTIONS)],
        id="every-section-known-only-one-job",
    ),
    pytest.param(
        {"about": "   ", "education": [], "counts": {"posts": "0"}},
        [("content.almost_none", ("about", "education", "counts.posts"))],
        id="whitespace-about-no-posts",
    ),
    pytest.param(
        {"about": "Open to opportunities.", "experience": [], "education": [], "skills": []},
        [("content.almost_none", ("about", "experience", "education", "skills"))],
        id="one-line-about-nothing-else",
    ),
]

CONTENT_NEGATIVE = [
    pytest.param({}, NONE, id="nothing-known"),
    pytest.param({"about": "", "experience": []}, NONE, id="only-two-sections-known"),
    pytest.param(
        {"about": "", "experience": [JOB], "skills": [{"name": "CRM"}]},
        NONE,
        id="three-known-two-filled",
    ),
    pytest.param(
        {
            "about": "Account manager helping retailers grow.",
            "experience": [JOB],
            "education": [SCHOOL],
            "skills": [{"name": "Negotiation", "endorsements": 23}],
            "certifications": [{"name": "Salesforce Administrator"}],
        },
        NONE,
        id="five-filled-but-no-recommendations-or-posts",
    ),
    pytest.param(
        {
            "about": "Account manager helping retailers grow.",
            "experience": [JOB],
            "education": [SCHOOL],
            "skills": [{"name": "Negotiation"}],
            "recommendations": [{"author": "Tom Hughes", "text": "A pleasure to work with."}],
        },
        frozenset({"content.rich"}),
        id="rich-with-a-recommendation",
    ),
    pytest.param(
        {
            "about": "Writing about supply chains.",
            "experience": [JOB],
            "education": [SCHOOL],
            "skills": [{"name": "Logistics"}],
            "recommendations": [],
            "certifications": [{"name": "CIPS Level 4"}],
            "counts": {"posts": "1.2K"},
        },
        frozenset({"content.rich"}),
        id="rich-with-1-2k-posts",
    ),
]


@pytest.mark.parametrize(("profile", "expected"), CONTENT_POSITIVE)
def test_content_positive(profile: dict[str, Any], expected: Expected) -> None:
    assert_positive("profile.content", profile, expected)


@pytest.mark.parametrize(("profile", "allowed"), CONTENT_NEGATIVE)
def test_content_negative(profile: dict[str, Any], allowed: Allowed) -> None:
    assert_negative("profile.content", profile, allowed)


# ---------------------------------------------------------------------------------------------
# profile.photo_presence

NO_PHOTO = [("photo.none", ("has_photo",))]

PHOTO_POSITIVE = [
    pytest.param(
        {"platform": "linkedin", "name": "Emma Clarke", "has_photo": False},
        NO_PHOTO,
        id="linkedin-no-photo",
    ),
    pytest.param(
        {
            "platform": "linkedin",
            "has_photo": False,
            "banner": {"url": "https://media.licdn.com/banner.jpg"},
        },
        NO_PHOTO,
        id="banner-but-no-photo",
    ),
    pytest.param(
        {"platform": "x", "handle": "@defence_insights", "has_photo": False},
        NO_PHOTO,
        id="x-default-avatar",
    ),
]

PHOTO_NEGATIVE = [
    pytest.param(
        {"photo": {"url": "https://media.licdn.com/dms/image/abc.jpg"}}, NONE, id="photo-url"
    ),
    pytest.param({"photo": {"path": "photos/emma.jpg"}, "has_photo": True}, NONE, id="photo-path"),
    pytest.param({"photo": {"data": "iVBORw0KGgo="}}, NONE, id="photo-inline-base64"),
    pytest.param({"has_photo": True}, NONE, id="photo-shown-not-supplied"),
    pytest.param({"platform": "linkedin", "name": "Emma Clarke"}, SKIPPED, id="photo-unknown"),
]


@pytest.mark.parametrize(("profile", "expected"), PHOTO_POSITIVE)
def test_photo_presence_positive(profile: dict[str, Any], expected: Expected) -> None:
    assert_positive("profile.photo_presence", profile, expected)


@pytest.mark.parametrize(("profile", "allowed"), PHOTO_NEGATIVE)
def test_photo_presence_negative(profile: dict[str, Any], allowed: Allowed) -> None:
    assert_negative("profile.photo_presence", profile, allowed)


# ---------------------------------------------------------------------------------------------
# profile.identity

IDENTITY_POSITIVE = [
    pytest.param(
        {"platform": "linkedin", "name": "J\u043ehn Smith"},  # Cyrillic "o" (U+043E) inside "John"
        [("name.mixed_scripts", ("name",))],
        id="cyrillic-o-in-latin-name",
    ),
    pytest.param(
        {"platform": "linkedin", "name": "\u0410l\u0435x\u0430nd\u0435r P\u0435trov"},
        [("name.mixed_scripts", ("name",))],
        id="several-cyrillic-homoglyphs",
    ),
    pytest.param(
        {"platform": "linkedin", "name": "Emily R0berts"},
        [("name.digits", ("name",))],
        id="zero-for-o-in-name",
    ),
    pytest.param(
        {"platform": "linkedin", "name": "Anna Schmidt 🚀"},
        [("name.symbols", ("name",))],
        id="rocket-emoji",
    ),
    pytest.param(
        {"platform": "linkedin", "name": "Maria Garcia 🇪🇸"},
        [("name.symbols", ("name",))],
        id="flag-emoji",
    ),
    pytest.param(
        {"platform": "linkedin", "name": "Natasha"},
        [("name.single_word", ("name",))],
        id="single-word-on-linkedin",
    ),
    pytest.param(
        {"platform": "linkedin", "name": "Jessica✨"},
        [("name.symbols", ("name",)), ("name.single_word", ("name",))],
        id="single-word-with-sparkles",
    ),
    pytest.param(
        {"platform": "linkedin", "name": "Sarah Mitchell", "handle": "tom-baker-7b2a91c3"},
        [("name.handle_mismatch", ("handle",))],
        id="renamed-account-handle-of-someone-else",
    ),
    pytest.param(
        {
            "platform": "linkedin",
            "name": "Mark Evans",
            "url": "https://www.linkedin.com/in/olivia-brown-3b9a2c71/",
        },
        [("name.handle_mismatch", ("url",))],
        id="handle-mismatch-read-from-url",
    ),
    pytest.param(
        {"platform": "linkedin", "name": "John Smith", "handle": "john-smith-1985"},
        [("handle.digit_run", ("handle",))],
        id="birth-year-in-handle-not-an-auto-suffix",
    ),
    pytest.param(
        {"platform": "twitter", "name": "John Smith", "handle": "@jsmith19873465"},
        [("handle.digit_run", ("handle",))],
        id="x-handle-with-bulk-digits",
    ),
    pytest.param(
        {"name": "Kevin Lee", "url": "https://www.linkedin.com/in/kevinlee2290451"},
        [("handle.digit_run", ("url",))],
        id="digit-run-in-linkedin-url",
    ),
]

IDENTITY_NEGATIVE = [
    pytest.param(
        {"platform": "linkedin", "name": "José Álvarez", "handle": "jose-alvarez-1a2b3c"},
        NONE,
        id="accents-and-auto-suffix",
    ),
    pytest.param(
        {"platform": "linkedin", "name": "王伟", "handle": "wei-wang-8b7a6c5d"},
        NONE,
        id="chinese-name-pinyin-handle",
    ),
    pytest.param(
        {"platform": "linkedin", "name": "김민준", "handle": "minjun-kim-5a1b2c3d"},
        NONE,
        id="korean-name-unspaced",
    ),
    pytest.param(
        {"platform": "linkedin", "name": "田中さくら"}, NONE, id="japanese-kanji-and-hiragana"
    ),
    pytest.param(
        {"platform": "linkedin", "name": "佐藤 マリー"},
        NONE,
        id="japanese-katakana-long-vowel-mark",
    ),
    pytest.param(
        {"platform": "linkedin", "name": "محمد العلي", "handle": "mohammed-alali-55a2b1"},
        NONE,
        id="arabic-name-latin-handle",
    ),
    pytest.param(
        {"platform": "linkedin", "name": "Wei Zhang (张伟)", "handle": "zhangwei"},
        NONE,
        id="latin-and-chinese-in-separate-words",
    ),
    pytest.param(
        {"platform": "linkedin", "name": "G\u02bbayrat O\u02bbktamov", "handle": "gayrat-oktamov"},
        NONE,
        id="uzbek-okina-modifier-letter",
    ),
    pytest.param(
        {"platform": "linkedin", "name": "Nguyễn Văn An", "handle": "nguyen-van-an-9a8b7c6d"},
        NONE,
        id="vietnamese-diacritics",
    ),
    pytest.param(
        {"platform": "linkedin", "name": "Zoë Müller", "handle": "zoe-mueller"},
        NONE,
        id="umlaut-spelled-ue-in-handle",
    ),
    pytest.param(
        {"platform": "linkedin", "name": "Łukasz Wójcik", "handle": "lukasz-wojcik-4b3a2c1d"},
        NONE,
        id="polish-l-with-stroke",
    ),
    pytest.param(
        {
            "platform": "linkedin",
            "name": "Dr. Aisha O\u2019Brien-Okafor, PhD",
            "handle": "aisha-obrien-okafor",
        },
        NONE,
        id="title-apostrophe-double-barrelled",
    ),
    pytest.param(
        {
            "platform": "linkedin",
            "name": "Wei Li",
            "url": "https://www.linkedin.com/in/li-wei-3a4b5c6d/",
        },
        NONE,
        id="short-name-tokens-from-url",
    ),
    pytest.param(
        {"platform": "linkedin", "name": "Henry Ford III", "handle": "henryford3"},
        NONE,
        id="roman-numeral-suffix",
    ),
    pytest.param(
        {"platform": "twitter", "name": "Natasha", "handle": "@natasha_k"},
        NONE,
        id="single-word-fine-on-x",
    ),
    pytest.param({"platform": "linkedin", "handle": "anon-12345"}, SKIPPED, id="name-unknown"),
]


@pytest.mark.parametrize(("profile", "expected"), IDENTITY_POSITIVE)
def test_identity_positive(profile: dict[str, Any], expected: Expected) -> None:
    assert_positive("profile.identity", profile, expected)


@pytest.mark.parametrize(("profile", "allowed"), IDENTITY_NEGATIVE)
def test_identity_negative(profile: dict[str, Any], allowed: Allowed) -> None:
    assert_negative("profile.identity", profile, allowed)


# ---------------------------------------------------------------------------------------------
# The engine reports exactly what the detector found.

ENGINE_CASES = engine_cases(
    {
        "profile.account_age": ACCOUNT_AGE_POSITIVE,
        "profile.connections": CONNECTIONS_POSITIVE,
        "profile.content": CONTENT_POSITIVE,
        "profile.photo_presence": PHOTO_POSITIVE,
        "profile.identity": IDENTITY_POSITIVE,
    }
)


@pytest.mark.parametrize(("detector_id", "profile"), ENGINE_CASES)
def test_engine_reports_the_same_signals(detector_id: str, profile: dict[str, Any]) -> None:
    assert_engine_agrees(detector_id, profile)
