"""`profile_from_pasted_text`: a profile page selected, copied and pasted, and the messages
received pasted the same way. Every paste here was written for these tests after the layout of
LinkedIn's pages (navigation, buttons, screen-reader repeats); none is copied from a real profile."""

# The pastes keep the page's own typography: curly apostrophes, en dashes.
# ruff: noqa: RUF001

from __future__ import annotations

import contextlib
import datetime as dt
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkvet._dates import PartialDate
from linkvet.engine import Engine
from linkvet.errors import InputError
from linkvet.ingest import pasted_text
from linkvet.ingest.pasted_text import MAX_PASTED_TEXT, profile_from_pasted_text
from linkvet.ingest.screenshot import HEADINGS
from linkvet.model import Count, Experience, Platform, Profile
from tests.conftest import AS_OF

# A desktop copy (select all, copy) of a profile: navigation, buttons, the screen-reader
# repeats of headings, titles and dates ("-" shown, "to" read out), a role with several
# positions at one employer, the footer and the messaging overlay after the profile.
DESKTOP = """\
Skip to main content
LinkedIn
Search
Home
My Network
Jobs
Messaging
Notifications
Me
For Business
Try Premium for £0
Emma Clarke
Emma Clarke
She/Her
· 2nd
Senior Talent Partner | Connecting experts with global opportunities
Horizon Strategic Consulting
University of Cambridge
London, England, United Kingdom
Contact info
1,204 followers
500+ connections
Alex Doe, Sam Roe and 3 other mutual connections
Message
Connect
More
About
About
I help leading organisations find exceptional experts for confidential advisory projects.
Based in London, working with clients across Asia and Europe.…see more
Top skills
Talent Acquisition • Executive Search
Activity
Activity
1,204 followers
1,204 followers
Emma hasn’t posted yet
Recent posts Emma shares will be displayed here.
Show all activity
Experience
Experience
Senior Talent Partner
Senior Talent Partner
Horizon Strategic Consulting · Full-time
Horizon Strategic Consulting · Full-time
Jan 2021 - Present · 3 yrs 11 mos
Jan 2021 to Present · 3 yrs 11 mos
London, England, United Kingdom · Hybrid
London, England, United Kingdom · Hybrid
Sourcing senior experts for our clients' advisory boards.
Sourcing senior experts for our clients' advisory boards.
Skills: Talent Acquisition · Executive Search
Northwind Recruitment
Northwind Recruitment
Full-time · 4 yrs 2 mos
Full-time · 4 yrs 2 mos
Recruitment Consultant
Recruitment Consultant
Mar 2018 - Dec 2020 · 2 yrs 10 mos
Mar 2018 to Dec 2020 · 2 yrs 10 mos
Recruitment Associate
Recruitment Associate
Nov 2016 - Feb 2018 · 1 yr 4 mos
Nov 2016 to Feb 2018 · 1 yr 4 mos
Manchester, England, United Kingdom
Manchester, England, United Kingdom
Placed graduates in finance roles.
Placed graduates in finance roles.
Education
Education
University of Cambridge
University of Cambridge
Master of Arts - MA, International Relations
Master of Arts - MA, International Relations
2012 - 2014
2012 - 2014
Grade: Distinction
University of Leeds
University of Leeds
BA (Hons), Politics
BA (Hons), Politics
2009 - 2012
2009 - 2012
Skills
Skills
Talent Acquisition
Talent Acquisition
Endorsed by 3 colleagues at Horizon Strategic Consulting
Show all 12 skills
Interests
Interests
Companies
Microsoft
21,345,678 followers
About
Accessibility
Talent Solutions
LinkedIn Corporation © 2024
Messaging
You are on the messaging overlay. Press enter to open the list of conversations.
"""

# The top of a profile as a phone copies it: no navigation, location and "Contact info" on one line.
SHORT = """\
Li Wei
Research Director at Global Insight Partners
Singapore · Contact info
87 connections
"""

# The German interface: "Kontaktinfo", "Follower:innen", "Kontakte", "Info", "Berufserfahrung",
# "Ausbildung", "Heute" and German month abbreviations.
GERMAN = """\
Zum Hauptinhalt springen
Startseite
Mein Netzwerk
Jobs
Nachrichten
Mitteilungen
Sie
Für Unternehmen
Jonas Becker
Er/Ihm
· 2.
Leiter Vertrieb bei Nordlicht Technik GmbH
Nordlicht Technik GmbH
Technische Universität München
München, Bayern, Deutschland
Kontaktinfo
1.234 Follower:innen
500+ Kontakte
Nachricht
Vernetzen
Mehr
Info
Info
Ich verbinde Industrie und Forschung im Bereich Energietechnik.
Berufserfahrung
Berufserfahrung
Leiter Vertrieb
Leiter Vertrieb
Nordlicht Technik GmbH · Vollzeit
Nordlicht Technik GmbH · Vollzeit
Jan. 2020–Heute · 4 J. 11 Mon.
Jan. 2020 bis Heute · 4 J. 11 Mon.
München, Bayern, Deutschland · Hybrid
Vertriebsingenieur
Vertriebsingenieur
Siemens AG · Teilzeit
März 2015–Dez. 2019 · 4 J. 10 Mon.
Ausbildung
Ausbildung
Technische Universität München
Technische Universität München
Master of Science - MS, Elektrotechnik
2012 - 2014
Kenntnisse
Kenntnisse
Vertrieb
"""

FRENCH = """\
Passer au contenu principal
Accueil
Camille Moreau
· 3e+
Chargée d’affaires internationales
Lyon, Auvergne-Rhône-Alpes, France
Coordonnées
+ de 500 relations
Infos
Infos
Passionnée par les échanges entre l’Europe et l’Asie.
Expérience
Expérience
Chargée d’affaires
Cabinet Lumière · Temps plein
janv. 2019 - aujourd’hui · 5 ans 11 mois
Formation
Formation
Université Lyon 3
Master, Commerce international
2014 - 2016
"""

SPANISH = """\
Saltar al contenido principal
Inicio
Lucía Fernández
Consultora senior de estrategia
Madrid, Comunidad de Madrid, España
Información de contacto
2.345 seguidores
Más de 500 contactos
Acerca de
Acerca de
Consultora con experiencia en energía.
"""


def read(text: str, messages: str = "") -> Profile:
    return profile_from_pasted_text(text, messages)


# ---------------------------------------------------------------------------------------------
# Profiles


def test_desktop_copy_with_repeats() -> None:
    profile = read(DESKTOP)
    assert profile.platform is Platform.LINKEDIN
    assert profile.name == "Emma Clarke"
    assert (
        profile.headline == "Senior Talent Partner | Connecting experts with global opportunities"
    )
    assert profile.location == "London, England, United Kingdom"
    assert profile.about == (
        "I help leading organisations find exceptional experts for confidential advisory "
        "projects.\nBased in London, working with clients across Asia and Europe."
    )
    assert profile.counts is not None
    assert profile.counts.connections == Count(value=500, at_least=True)
    # Not the 21 million followers of a company under "Interests".
    assert profile.counts.followers == Count(value=1204)
    assert profile.counts.posts is None
    assert profile.experience == [
        Experience(
            title="Senior Talent Partner",
            organisation="Horizon Strategic Consulting",
            employment_type="full-time",
            start=PartialDate(2021, 1),
            current=True,
            duration_months=47,
            location="London, England, United Kingdom",
            description="Sourcing senior experts for our clients' advisory boards.",
        ),
        Experience(
            title="Recruitment Consultant",
            organisation="Northwind Recruitment",
            employment_type="full-time",
            start=PartialDate(2018, 3),
            end=PartialDate(2020, 12),
            current=False,
            duration_months=34,
        ),
        Experience(
            title="Recruitment Associate",
            organisation="Northwind Recruitment",
            employment_type="full-time",
            start=PartialDate(2016, 11),
            end=PartialDate(2018, 2),
            current=False,
            duration_months=16,
            location="Manchester, England, United Kingdom",
            description="Placed graduates in finance roles.",
        ),
    ]
    assert profile.education is not None
    assert [(e.school, e.degree, e.field_of_study, e.start, e.end) for e in profile.education] == [
        (
            "University of Cambridge",
            "Master of Arts - MA",
            "International Relations",
            PartialDate(2012),
            PartialDate(2014),
        ),
        ("University of Leeds", "BA (Hons)", "Politics", PartialDate(2009), PartialDate(2012)),
    ]


def test_what_cannot_be_placed_stays_unknown() -> None:
    profile = read(DESKTOP)
    # Skills are mixed with endorsements on the page; the photo is not in the text.
    for unknown in ("skills", "recommendations", "certifications", "languages", "joined"):
        assert getattr(profile, unknown) is None, unknown
    assert profile.photo is None
    assert profile.has_photo is None
    assert profile.messages is None
    assert profile.answers is None
    assert profile.url is None


def test_short_copy() -> None:
    profile = read(SHORT)
    assert profile.model_dump(exclude_none=True) == {
        "platform": Platform.LINKEDIN,
        "name": "Li Wei",
        "headline": "Research Director at Global Insight Partners",
        "location": "Singapore",
        "counts": {"connections": {"value": 87, "at_least": False}},
    }


def test_german_interface() -> None:
    profile = read(GERMAN)
    assert profile.platform is Platform.LINKEDIN
    assert profile.name == "Jonas Becker"
    assert profile.headline == "Leiter Vertrieb bei Nordlicht Technik GmbH"
    assert profile.location == "München, Bayern, Deutschland"
    assert profile.about == "Ich verbinde Industrie und Forschung im Bereich Energietechnik."
    assert profile.counts is not None
    assert profile.counts.followers == Count(value=1234)
    assert profile.counts.connections == Count(value=500, at_least=True)
    assert profile.experience == [
        Experience(
            title="Leiter Vertrieb",
            organisation="Nordlicht Technik GmbH",
            employment_type="full-time",
            start=PartialDate(2020, 1),
            current=True,
            location="München, Bayern, Deutschland",
        ),
        Experience(
            title="Vertriebsingenieur",
            organisation="Siemens AG",
            employment_type="part-time",
            start=PartialDate(2015, 3),
            end=PartialDate(2019, 12),
            current=False,
        ),
    ]
    assert profile.education is not None
    assert [(e.school, e.degree, e.field_of_study) for e in profile.education] == [
        ("Technische Universität München", "Master of Science - MS", "Elektrotechnik")
    ]


def test_french_interface() -> None:
    profile = read(FRENCH)
    assert profile.name == "Camille Moreau"
    assert profile.headline == "Chargée d’affaires internationales"
    assert profile.location == "Lyon, Auvergne-Rhône-Alpes, France"
    assert profile.counts is not None
    assert profile.counts.connections == Count(value=500, at_least=True)
    assert profile.about == "Passionnée par les échanges entre l’Europe et l’Asie."
    assert profile.experience == [
        Experience(
            title="Chargée d’affaires",
            organisation="Cabinet Lumière",
            employment_type="full-time",
            start=PartialDate(2019, 1),
            current=True,
            duration_months=71,
        )
    ]
    assert profile.education is not None
    assert [(e.school, e.degree, e.field_of_study) for e in profile.education] == [
        ("Université Lyon 3", "Master", "Commerce international")
    ]


def test_spanish_interface() -> None:
    profile = read(SPANISH)
    assert profile.name == "Lucía Fernández"
    assert profile.location == "Madrid, Comunidad de Madrid, España"
    assert profile.counts is not None
    assert profile.counts.followers == Count(value=2345)
    assert profile.counts.connections == Count(value=500, at_least=True)
    assert profile.about == "Consultora con experiencia en energía."


def test_employer_and_school_beside_the_name_are_not_guessed_into_entries() -> None:
    """Without an Experience card, "Horizon Strategic Consulting" under the headline could be
    an employer or a school: it is left out rather than guessed."""
    top = DESKTOP.split("About\nAbout", 1)[0]
    profile = read(top)
    assert profile.name == "Emma Clarke"
    assert profile.experience is None
    assert profile.education is None


def test_profile_url_when_the_contact_info_was_copied() -> None:
    profile = read(SHORT + "Emma’s Profile\nlinkedin.com/in/li-wei-4821a7\n")
    assert profile.url == "linkedin.com/in/li-wei-4821a7"


def test_a_card_without_the_top_of_the_page() -> None:
    profile = read("About\nAbout\nI connect experts with clients.\n")
    assert profile.name is None
    assert profile.about == "I connect experts with clients."


def test_about_copied_twice_as_a_block_is_read_once() -> None:
    about = "First paragraph of the about text.\nSecond paragraph, longer than the first."
    profile = read(f"{SHORT}About\n{about}\n{about}\n")
    assert profile.about == about


def test_name_line_with_pronouns_and_degree_on_one_line() -> None:
    profile = read("Ana Souza He/Him · 2nd\nAnalyst\nLisbon, Portugal · Contact info\n")
    assert profile.name == "Ana Souza"
    assert profile.headline == "Analyst"
    assert profile.location == "Lisbon, Portugal"


def test_spaces_and_blank_lines_do_not_matter() -> None:
    spaced = "\n\n".join(f"   {line}  " for line in SHORT.splitlines())
    assert read(spaced) == read(SHORT)


# ---------------------------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t\n",
        "Skip to main content\nHome\nMy Network\nJobs\nMessaging\nNotifications\nMe\n",
        "Connect\nMessage\nMore\nFollow\n· 2nd\nHe/Him\n",
        "Hello, I came across your profile and have an exciting opportunity.",
        "Experience\nExperience\n",
    ],
    ids=["empty", "whitespace", "navigation", "buttons", "a-message", "heading-only"],
)
def test_nothing_profile_like_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError) as raised:
        profile_from_pasted_text(text)
    assert raised.value.source == "pasted text"
    assert "paste" in raised.value.detail


def test_error_names_the_source() -> None:
    with pytest.raises(InputError, match=r"^the pasted profile: no profile found"):
        profile_from_pasted_text("Home\nJobs\nsome words", source="the pasted profile")


@pytest.mark.parametrize("which", ["profile", "messages"])
def test_inputs_are_capped(which: str) -> None:
    too_long = "a" * (MAX_PASTED_TEXT + 1)
    args = (too_long, "") if which == "profile" else (SHORT, too_long)
    with pytest.raises(InputError, match="longer than 100,000 characters"):
        profile_from_pasted_text(*args)


# ---------------------------------------------------------------------------------------------
# Messages

THREAD = """\
Emma Clarke
Senior Talent Partner | Connecting experts with global opportunities
NOV 18, 2024
Emma Clarke sent the following message at 10:42 AM
View Emma’s profile
Emma Clarke
Emma Clarke  10:42 AM
Hi John, thank you for connecting!

I have a well-paid advisory project for a confidential client.
Emma Clarke sent the following message at 10:45 AM
Emma Clarke  10:45 AM
Could we continue on WhatsApp? It is more private.
You sent the following message at 11:02 AM
View John’s profile
John Smith
John Smith  11:02 AM
Thanks, but I would rather keep it here.
TODAY
Emma Clarke sent the following message at 9:15 AM
Emma Clarke
9:15 AM
Just following up on my offer.
"""


def test_messages_split_by_sender_and_time() -> None:
    messages = read("", THREAD).messages
    assert messages is not None
    assert [(m.text, m.direction, m.sent_at) for m in messages] == [
        (
            "Hi John, thank you for connecting!\n\nI have a well-paid advisory project for a "
            "confidential client.",
            "incoming",
            dt.datetime(2024, 11, 18, 10, 42),
        ),
        (
            "Could we continue on WhatsApp? It is more private.",
            "incoming",
            dt.datetime(2024, 11, 18, 10, 45),
        ),
        ("Thanks, but I would rather keep it here.", "outgoing", dt.datetime(2024, 11, 18, 11, 2)),
        # "Today" does not say which day it was pasted on: the time stays unknown.
        ("Just following up on my offer.", "incoming", None),
    ]
    assert all(m.channel is None for m in messages)


def test_the_profile_name_tells_incoming_from_outgoing() -> None:
    thread = """\
Li Wei  9:02 AM
Dear Dr Brown, we would value your insights on a paid report.
Peter Brown  9:30 AM
Who is the client?
Li Wei  9:41 AM
A research institute in Asia; let us discuss on Telegram.
"""
    profile = read(SHORT, thread)
    assert profile.messages is not None
    assert [m.direction for m in profile.messages] == ["incoming", "outgoing", "incoming"]
    assert all(m.sent_at is None for m in profile.messages)


def test_sender_and_time_on_separate_lines_with_24_hour_clock() -> None:
    thread = "Dec 3, 2023\nJonas Becker\n14:05\nGuten Tag!\nJonas Becker\n14:07\nNoch eine Frage.\n"
    messages = read("", thread).messages
    assert messages is not None
    assert [(m.text, m.sent_at) for m in messages] == [
        ("Guten Tag!", dt.datetime(2023, 12, 3, 14, 5)),
        ("Noch eine Frage.", dt.datetime(2023, 12, 3, 14, 7)),
    ]


def test_unstructured_messages_are_one_incoming_message() -> None:
    text = "Hello Dr Brown,\n\nI represent a client who pays well for short reports.\nBest, Li"
    messages = read("", text).messages
    assert messages is not None
    assert len(messages) == 1
    assert messages[0].text == text
    assert messages[0].direction == "incoming"
    assert messages[0].sent_at is None


def test_times_inside_a_message_do_not_split_it() -> None:
    text = "Can we talk tomorrow at\n10:30 AM\nor later, see you at 4:00 PM"
    messages = read("", text).messages
    assert messages is not None
    assert [m.text for m in messages] == [text]


def test_messages_alone_make_a_profile_with_only_messages() -> None:
    profile = read("", "Let's move to WhatsApp.")
    assert profile.model_dump(exclude_none=True) == {
        "messages": [{"text": "Let's move to WhatsApp.", "direction": "incoming"}]
    }


def test_pasted_profile_and_messages_are_assessed(engine: Engine) -> None:
    assessment = engine.assess(read(DESKTOP, THREAD), as_of=AS_OF)
    codes = {signal.code for signal in assessment.signals}
    assert "channel.off_platform" in codes
    assert assessment.subject.name == "Emma Clarke"


# ---------------------------------------------------------------------------------------------
# Reuse, robustness and speed


def test_card_words_read_beyond_headings_are_headings_words() -> None:
    assert set(pasted_text._ACTIVITY_HEADINGS) <= set(HEADINGS["other"])


LINES = st.sampled_from(
    [
        *DESKTOP.splitlines(),
        *GERMAN.splitlines(),
        *THREAD.splitlines(),
        "",
        "Contact info",
        "500+ connections",
        "· 2nd",
        "Jan 2020 - Present",
        "Full-time · 99 yrs 99 mos",
        "Emma Clarke  10:42 AM",
        "Nov 31",
        "Feb 30, 2024",
        "25:99",
        "Experience",
    ]
)


@settings(max_examples=300, deadline=1000, suppress_health_check=[HealthCheck.too_slow])
@given(profile=st.text(max_size=400), messages=st.text(max_size=400))
def test_any_text_gives_a_profile_or_an_input_error(profile: str, messages: str) -> None:
    try:
        result = profile_from_pasted_text(profile, messages)
    except InputError:
        return
    assert isinstance(result, Profile)


@settings(max_examples=300, deadline=1000, suppress_health_check=[HealthCheck.too_slow])
@given(
    profile=st.lists(st.one_of(LINES, st.text(max_size=40)), max_size=60),
    messages=st.lists(st.one_of(LINES, st.text(max_size=40)), max_size=60),
)
def test_any_mix_of_page_lines_gives_a_profile_or_an_input_error(
    profile: list[str], messages: list[str]
) -> None:
    try:
        result = profile_from_pasted_text("\n".join(profile), "\n".join(messages))
    except InputError:
        return
    assert isinstance(result, Profile)


LARGE_INPUTS = {
    "page-repeated": DESKTOP,
    "thread-repeated": THREAD,
    "date-lines": "Jan 2020 - Present · 4 yrs 11 mos\n",
    "one-line": "a",
    "digits": "1",
    "spaces": " ",
    "separators": "· - – : / . , ",
    "headings": "Experience\nEducation\nAbout\n",
    "names-and-times": "Emma Clarke 10:42 AM\nHello\n",
    "ellipses": "...",
}


@pytest.mark.parametrize("pattern", list(LARGE_INPUTS.values()), ids=list(LARGE_INPUTS))
def test_100000_characters_are_read_quickly(pattern: str) -> None:
    text = (pattern * (MAX_PASTED_TEXT // len(pattern) + 1))[:MAX_PASTED_TEXT]
    assert len(text) == MAX_PASTED_TEXT
    started = time.perf_counter()
    for args in ((text, ""), ("", text), (text, text)):
        with contextlib.suppress(InputError):
            profile_from_pasted_text(*args)
        assert time.perf_counter() - started < 1.0, args[0][:40]
        started = time.perf_counter()
