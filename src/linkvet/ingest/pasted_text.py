"""A profile from pasted text: a profile page selected and copied, and the messages received.

A LinkedIn profile page copies as lines: navigation and buttons, the name, the headline, the
current employer and school, the location followed by "Contact info", the counts, then the cards
("About", "Activity", "Experience", "Education", ...). Screen-reader text repeats much of it
("Experience" twice, each title twice, each date range once with "-" and once with "to"). The
reader drops the noise and the repeats, finds the anchors (the "Contact info" line, the counts,
the card headings, in the interface languages the screenshot reader knows) and reads each field
from its place relative to them. What it cannot place stays unknown: a wrong field would be worse
than a missing one, so the employer and school beside the name, undated entries and skills (mixed
with endorsements on the page) are left out.

Messages copied from LinkedIn's message view put a sender and a time before each message
("Emma Clarke  10:42 AM", or a screen-reader line "Emma Clarke sent the following message at
10:42 AM"), and date separators between days ("Nov 20"). Without that structure the whole text is
one incoming message.

Both inputs are capped in size, lines are looked at only when short, and every pattern is anchored
and bounded, so no input can make reading slow.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Final, get_args

from pydantic import ValidationError

from linkvet._counts import CountError, parse_count
from linkvet._dates import DateError, PartialDate, is_present_word, parse_duration_months
from linkvet.errors import InputError, describe_validation_error
from linkvet.ingest.screenshot import (
    CONNECTION_WORDS,
    CONTACT_INFO,
    EMPLOYMENT_TYPES,
    FOLLOWER_WORDS,
    HEADINGS,
    SEE_MORE,
    fold,
)
from linkvet.model import SHORT_TEXT, Count, EmploymentType, Platform, Profile

MAX_PASTED_TEXT: Final = 100_000
# Lines longer than this are prose: never a name, a date, a count or a heading.
_SHORT_LINE: Final = 120
_MAX_NAME: Final = 100
_MAX_LIST: Final = 500
# A career is shorter than a century; a longer "duration" is not one.
_MAX_MONTHS: Final = 1200

# Interface lines, accent-free and lower case (see `fold`): navigation, then buttons.
_NOISE: Final = frozenset(
    (
        "skip to main content", "home", "my network", "jobs", "messaging", "notifications", "me",
        "for business", "search", "linkedin", "work", "learning", "advertise", "post",
        "zum hauptinhalt springen", "startseite", "mein netzwerk", "nachrichten", "mitteilungen",
        "sie", "ich", "fur unternehmen", "suche", "passer au contenu principal", "accueil",
        "reseau", "mon reseau", "emplois", "messagerie", "vous", "pour les entreprises",
        "saltar al contenido principal", "inicio", "mi red", "empleos", "mensajes",
        "notificaciones", "yo", "para negocios",
        "connect", "message", "more", "follow", "following", "pending", "unfollow",
        "save to pdf", "send profile in a message", "report / block", "about this profile",
        "view in sales navigator", "request a recommendation", "remove connection",
        "see more", "show more", "see less", "show less", "\u2026 more", "\u2026more", "like",
        "comment", "repost", "send", "show credential", "vernetzen", "nachricht", "mehr",
        "folgen", "ausstehend", "se connecter", "plus", "suivre", "en attente", "conectar",
        "enviar mensaje", "mensaje", "mas", "seguir", "siguiendo", "pendiente",
    )
)  # fmt: skip
_NOISE_PREFIXES: Final = (
    "show all ", "see all ", "try premium", "talks about ", "endorsed by ", "view ",
    "afficher les ", "mostrar todo", "mostrar los ", "mostrar las ",
)  # fmt: skip
# Where the profile ends: the page footer and the messaging overlay.
_END_PREFIXES: Final = ("linkedin corporation", "you are on the messaging overlay", "\u00a9")
# Cards read beyond HEADINGS' own sections; their words are among HEADINGS["other"].
_ACTIVITY_HEADINGS: Final = ("activity", "aktivitaten", "activite", "actividad")
# Cards of the page that HEADINGS does not name; they end the card before them.
_MORE_HEADINGS: Final = (
    "organizations", "courses", "test scores", "patents", "causes", "more profiles for you",
    "explore premium profiles", "people you may know", "you might like", "pages for you",
)  # fmt: skip
_HEADING_OF: Final = {
    **dict.fromkeys((*HEADINGS["other"], *_MORE_HEADINGS), "other"),
    **dict.fromkeys(_ACTIVITY_HEADINGS, "activity"),
    **{word: section for section in ("about", "experience", "education") for word in HEADINGS[section]},
}  # fmt: skip
# Ends the About card: LinkedIn shows the top skills inside it.
_ABOUT_ENDS: Final = ("top skills",)
_AT_LEAST: Final = ("more than ", "mas de ", "plus de ", "+ de ", "uber ")
_EMPLOYMENT_TYPE: Final = {
    **{kind: kind for kind in EMPLOYMENT_TYPES if kind in get_args(EmploymentType)},
    "vollzeit": "full-time", "teilzeit": "part-time", "temps plein": "full-time",
    "temps partiel": "part-time", "jornada completa": "full-time", "media jornada": "part-time",
}  # fmt: skip
_WORKPLACE_TYPES: Final = (
    "on-site", "hybrid", "remote", "vor ort", "sur site", "hybride", "a distance", "presencial",
    "hibrido", "en remoto",
)  # fmt: skip
# Labels under an education entry ("Grade: First"), which are not a school.
_EDUCATION_LABELS: Final = (
    "grade", "activities and societies", "note", "abschlussnote", "aktivitaten und verbande",
    "activites et associations", "nota", "actividades y grupos",
)  # fmt: skip
_RANGE_SEPARATORS: Final = (
    " - ", " \u2013 ", " \u2014 ", "\u2013", "\u2014", " to ", " bis ", " au ", " a ", " \u00e0 ",
    " hasta ", "-",
)  # fmt: skip
# "6 yrs 2 mos", "4 J. 11 Mon.", "11 meses": one or two numbers with a unit.
_DURATION: Final = re.compile(r"\d{1,2} ?[^\W\d_]{1,7}\.?(?: \d{1,2} ?[^\W\d_]{1,7}\.?)?")
# "She/Her", "er/ihm": pronouns LinkedIn shows after the name.
_PRONOUNS: Final = re.compile(r"\(?[^\W\d_]{1,6} ?/ ?[^\W\d_]{1,6}\)?")
_CLOCK: Final = re.compile(r"(\d{1,2}):(\d{2}) ?(am|pm|a\.m\.|p\.m\.)?")
_YOU: Final = ("you", "du", "vous", "tu", "usted")
_NAME_PARTICLES: Final = frozenset("van von der den de da di del la le al bin ibn".split())
_RELATIVE_DAYS: Final = frozenset(
    "today yesterday heute gestern aujourd'hui hier hoy ayer".split()
    + "monday tuesday wednesday thursday friday saturday sunday".split()
    + "montag dienstag mittwoch donnerstag freitag samstag sonntag".split()
    + "lundi mardi mercredi jeudi vendredi samedi dimanche".split()
    + "lunes martes miercoles jueves viernes sabado domingo".split()
)


def profile_from_pasted_text(
    profile_text: str, messages_text: str = "", *, source: str = "pasted text"
) -> Profile:
    """The profile in `profile_text` (a profile page, selected and copied) with the messages in
    `messages_text`. Either may be empty, not both; InputError when the profile text holds
    nothing a profile page shows, or an input is longer than 100,000 characters."""
    for what, text in (("profile text is", profile_text), ("messages are", messages_text)):
        if len(text) > MAX_PASTED_TEXT:
            raise InputError(
                f"the pasted {what} longer than {MAX_PASTED_TEXT:,} characters; a profile page "
                "or a conversation is far shorter",
                source=source,
            )
    if not profile_text.strip() and not messages_text.strip():
        raise InputError(
            "nothing was pasted: copy the profile page (select all, copy) or the messages",
            source=source,
        )
    fields: dict[str, Any] = {}
    if profile_text.strip():
        fields = _read_profile(_clean_lines(profile_text), source=source)
    if messages_text.strip():
        fields["messages"] = _read_messages(messages_text, contact=fields.get("name"))
    try:
        return Profile.model_validate(fields)
    except ValidationError as error:
        raise InputError(
            f"the pasted text does not form a profile: {describe_validation_error(error)}",
            source=source,
        ) from None


# ---------------------------------------------------------------------------------------------
# Lines


@dataclass
class _Lines:
    """The lines that carry content, and what the dropped interface lines told."""

    lines: list[str] = field(default_factory=list)
    # The line before the first "· 2nd" or "She/Her": the name, on a desktop copy.
    name_hint: int | None = None
    degree_shown: bool = False


def _clean_lines(text: str) -> _Lines:
    """Non-empty lines without interface noise, repeats in a row dropped, up to the footer."""
    kept = _Lines()
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        folded = fold(line) if len(line) <= _SHORT_LINE else ""
        if folded.startswith(_END_PREFIXES):
            break
        if folded and _is_noise(folded):
            continue
        if folded and (_is_degree(folded) or _PRONOUNS.fullmatch(folded)):
            kept.degree_shown = kept.degree_shown or _is_degree(folded)
            if kept.name_hint is None and kept.lines:
                kept.name_hint = len(kept.lines) - 1
            continue
        if kept.lines and _same(kept.lines[-1], line):
            continue
        kept.lines.append(line)
    return kept


def _is_noise(folded: str) -> bool:
    if folded in _NOISE or SEE_MORE.match(folded):
        return True
    if len(folded) <= 60 and folded.startswith(_NOISE_PREFIXES):
        return True
    # "0 notifications total", "3 new notifications"
    return folded[:1].isdigit() and "notification" in folded


def _is_degree(folded: str) -> bool:
    """ "· 2nd", "3rd+", "· 2.", "2nd degree connection": how far the contact is from you."""
    if "degree connection" in folded:
        return True
    rest = folded.lstrip("\u00b7\u2022 ")
    return 2 <= len(rest) <= 4 and rest[0] in "123" and not rest[1].isdigit()


def _same(first: str, second: str) -> bool:
    """Whether `second` repeats `first` (screen-reader text): equal, or the same date range."""
    if len(first) > _SHORT_LINE or len(second) > _SHORT_LINE:
        return first == second
    if fold(first) == fold(second):
        return True
    dates = _date_range(second)
    return dates is not None and dates == _date_range(first)


def _parts(line: str) -> list[str]:
    """The parts of "Horizon Consulting · Full-time"."""
    return [part.strip() for part in line.split("\u00b7") if part.strip()]


def _short(text: str | None) -> str | None:
    """Text that fits a short field; longer text was not read as that field, so it stays out."""
    if text is None:
        return None
    text = text.strip()
    return text if 0 < len(text) <= SHORT_TEXT else None


def _undouble(lines: list[str]) -> list[str]:
    """A block LinkedIn copied twice (visible text, then the screen-reader copy), once."""
    half = len(lines) // 2
    if (
        half
        and len(lines) % 2 == 0
        and [fold(x) for x in lines[:half]] == [fold(x) for x in lines[half:]]
    ):
        return lines[:half]
    return lines


def _without_see_more(line: str) -> str:
    """ "... text…see more" without the link."""
    if not SEE_MORE.search(fold(line[-40:])):
        return line
    cut = max(line.rfind("\u2026"), line.rfind("..."))
    return line[:cut].rstrip() if cut >= 0 else line


def _prose(lines: list[str]) -> str | None:
    body = [_without_see_more(line) for line in _undouble(lines)]
    text = "\n".join(line for line in body if line).strip()
    return text or None


# ---------------------------------------------------------------------------------------------
# The profile page


def _read_profile(page: _Lines, *, source: str) -> dict[str, Any]:
    lines = page.lines
    sections: dict[str, list[str]] = {}
    first_heading = len(lines)
    current: str | None = None
    for index, line in enumerate(lines):
        section = _heading(line)
        if section is not None:
            first_heading = min(first_heading, index)
            # A heading seen before is the page footer's "About", not a second card.
            current = None if section in sections and section != "other" else section
            if current is not None:
                sections.setdefault(current, [])
            continue
        if current is not None and current != "other":
            sections[current].append(line)
    top = lines[:first_heading]
    fields: dict[str, Any] = _top_card(top, page.name_hint)
    counts = _counts([*top, *sections.get("activity", [])])
    if counts:
        fields["counts"] = counts
    about = _until(sections.get("about", []), _ABOUT_ENDS)
    if about and (text := _prose(about)) is not None:
        fields["about"] = text
    experience = _experience(sections.get("experience", []))
    if experience:
        fields["experience"] = experience[:_MAX_LIST]
    education = _education(sections.get("education", []))
    if education:
        fields["education"] = education[:_MAX_LIST]
    url = _profile_url(lines)
    if url is not None:
        fields["url"] = url
    anchored = "location" in fields or counts or sections
    if not anchored or not fields:
        raise InputError(
            "no profile found in the pasted text: none of a profile page's landmarks (the "
            "'Contact info' line, the follower or connection counts, headings such as 'About' "
            "or 'Experience') is there. Open the profile page, select all, copy and paste it.",
            source=source,
        )
    linkedin = "location" in fields or "connections" in counts or page.degree_shown or url
    if linkedin:
        fields["platform"] = Platform.LINKEDIN
    return fields


def _heading(line: str) -> str | None:
    if len(line) > 60:
        return None
    return _HEADING_OF.get(fold(line).rstrip(":").strip())


def _until(lines: list[str], ends: tuple[str, ...]) -> list[str]:
    for index, line in enumerate(lines):
        if len(line) <= 60 and fold(line) in ends:
            return lines[:index]
    return lines


def _top_card(top: list[str], name_hint: int | None) -> dict[str, Any]:
    """Name, headline and location from the lines above the first card."""
    fields: dict[str, Any] = {}
    contact = next((i for i, line in enumerate(top) if _contact_info_at(line) is not None), None)
    first_count = next((i for i, line in enumerate(top) if _count(line)), None)
    header_end = len(top)
    if contact is not None:
        before = top[contact][: _contact_info_at(top[contact])].strip(" \u00b7|,-\t")
        header_end = contact
        if not before and contact > 0:
            header_end, before = contact - 1, top[contact - 1]
        if (location := _short(before)) is not None:
            fields["location"] = location
    elif first_count is not None:
        header_end = first_count
    header = top[:header_end]
    if name_hint is not None and name_hint < header_end and _looks_like_name(header[name_hint]):
        name_index: int | None = name_hint
    else:
        name_index = next((i for i, line in enumerate(header) if _looks_like_name(line)), None)
    if name_index is None:
        return fields
    fields["name"] = _name(header[name_index])
    if name_index + 1 < len(header):
        headline = header[name_index + 1]
        if _count(headline) is None and (text := _short(headline)) is not None:
            fields["headline"] = text
    return fields


def _contact_info_at(line: str) -> int | None:
    """Where "Contact info" starts in `line`, when the line ends with it."""
    if len(line) > _SHORT_LINE:
        return None
    folded = fold(line)
    for word in CONTACT_INFO:
        if folded.endswith(word):
            # Counted from the end: the interface word folds to its own length.
            return max(0, len(line) - len(word))
    return None


def _looks_like_name(line: str) -> bool:
    if not 0 < len(line) <= _MAX_NAME or not line[0].isalpha():
        return False
    if len(line.split()) > 8 or line.rstrip()[-1] in ".?!:|" or "|" in line or "@" in line:
        return False
    return _count(line) is None and _contact_info_at(line) is None and _heading(line) is None


def _name(line: str) -> str:
    """The name without what LinkedIn sets beside it: "· 2nd", pronouns."""
    name = _parts(line)[0] if "\u00b7" in line else line
    words = name.split()
    if len(words) > 1 and _PRONOUNS.fullmatch(words[-1]):
        name = " ".join(words[:-1])
    return name.strip()


def _count(line: str) -> dict[str, Count] | None:
    """ "500+ connections", "1.234 Follower:innen", "Más de 500 contactos", or both in one."""
    if len(line) > _SHORT_LINE:
        return None
    found: dict[str, Count] = {}
    for part in _parts(line):
        folded = fold(part)
        for kind, words in (("followers", FOLLOWER_WORDS), ("connections", CONNECTION_WORDS)):
            word = next((w for w in words if folded.endswith(w)), None)
            if word is None:
                continue
            number = folded[: -len(word)].strip()
            at_least = number.startswith(_AT_LEAST)
            for prefix in _AT_LEAST:
                number = number.removeprefix(prefix)
            try:
                value, plus = parse_count(number)
            except CountError:
                continue
            found[kind] = Count(value=value, at_least=plus or at_least)
            break
    return found or None


def _counts(lines: list[str]) -> dict[str, Count]:
    counts: dict[str, Count] = {}
    for line in lines:
        for kind, count in (_count(line) or {}).items():
            counts.setdefault(kind, count)
    return counts


def _profile_url(lines: list[str]) -> str | None:
    for line in lines:
        if len(line) > _SHORT_LINE:
            continue
        at = line.find("linkedin.com/in/")
        if at < 0:
            continue
        start = line.rfind(" ", 0, at) + 1
        end = line.find(" ", at)
        url = line[start : end if end >= 0 else len(line)].rstrip(".,;)")
        return url if len(url) <= 300 else None
    return None


# ---------------------------------------------------------------------------------------------
# Experience and education: entries found from their date lines upwards.


@dataclass(frozen=True, slots=True)
class _Dates:
    start: PartialDate
    end: PartialDate | None
    current: bool
    months: int | None


@lru_cache(maxsize=4096)
def _date_range(line: str) -> _Dates | None:
    """ "Jan 2020 - Present · 4 yrs 11 mos", "Jan 2020 to Present", "2012 - 2014"; else None."""
    if len(line) > _SHORT_LINE or not any(c.isdigit() for c in line):
        return None
    parts = _parts(line)
    if not parts:
        return None
    for separator in _RANGE_SEPARATORS:
        first, found, second = parts[0].partition(separator)
        if not found:
            continue
        try:
            start = PartialDate.parse(first.strip())
            current = is_present_word(second)
            end = None if current else PartialDate.parse(second.strip())
        except DateError:
            continue
        months = None
        if len(parts) > 1 and _DURATION.fullmatch(parts[1]):
            try:
                months = parse_duration_months(parts[1])
            except DateError:
                months = None
            if months is not None and months > _MAX_MONTHS:
                months = None
        return _Dates(start, end, current, months)
    return None


def _is_total(line: str) -> bool:
    """ "Full-time · 6 yrs 2 mos": how long someone was at an employer with several roles."""
    parts = _parts(line) if len(line) <= 60 else []
    durations = [part for part in parts if _DURATION.fullmatch(part)]
    kinds = [part for part in parts if fold(part) in EMPLOYMENT_TYPES]
    return bool(durations) and len(durations) + len(kinds) == len(parts)


def _employment_type(parts: list[str]) -> str | None:
    return next((_EMPLOYMENT_TYPE[fold(p)] for p in parts if fold(p) in _EMPLOYMENT_TYPE), None)


@dataclass
class _Entry:
    fields: dict[str, Any]
    # Where its date line is.
    dates: int


def _experience(lines: list[str]) -> list[dict[str, Any]]:
    """Each role: title, then "Employer · Full-time", then the dates. Several roles at one
    employer: the employer, "Full-time · 6 yrs", then each role's title and dates."""
    entries: list[_Entry] = []
    cuts: list[int] = []
    lower = 0
    group: dict[str, Any] | None = None
    for index, line in enumerate(lines):
        dates = _date_range(line)
        if dates is None:
            if index > lower and _is_total(line):
                parts = _parts(lines[index - 1])
                group = {"organisation": _short(parts[0]) if parts else None}
                group["employment_type"] = _employment_type(_parts(line))
                cuts.append(index - 1)
                lower = index + 1
            continue
        role: dict[str, Any] = {}
        header = index
        above = _parts(lines[index - 1]) if index - 1 >= lower else []
        kinds = [part for part in above if fold(part) in EMPLOYMENT_TYPES]
        others = [part for part in above if fold(part) not in EMPLOYMENT_TYPES]
        if above and not others and group is not None:
            role = {**group, "employment_type": _employment_type(kinds) or group["employment_type"]}
            header = index - 1
            title_at = index - 2
        elif above and group is not None and not kinds:
            role = dict(group)
            title_at = index - 1
        elif above:
            group = None
            role = {"organisation": _short(others[0]) if others else None}
            role["employment_type"] = _employment_type(kinds)
            header = index - 1
            title_at = index - 2
        else:
            title_at = -1
        if title_at >= lower:
            role["title"] = _short(lines[title_at])
            header = title_at
        role.update(_dated(dates))
        if dates.months is not None:
            role["duration_months"] = dates.months
        entries.append(_Entry(role, index))
        cuts.append(header)
        lower = index + 1
    for entry in entries:
        following = bisect_right(cuts, entry.dates)
        body = lines[entry.dates + 1 : cuts[following] if following < len(cuts) else len(lines)]
        if body and (location := _location(body[0])) is not None:
            entry.fields["location"] = location
            body = body[1:]
        elif body and _is_workplace_type(body[0]):
            body = body[1:]
        description = _prose([line for line in body if not fold(line[:20]).startswith("skills:")])
        if description is not None:
            entry.fields["description"] = description
    return [_known(entry.fields) for entry in entries]


def _dated(dates: _Dates) -> dict[str, Any]:
    return {"start": dates.start, "end": dates.end, "current": dates.current}


def _known(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None}


def _location(line: str) -> str | None:
    """ "London, England, United Kingdom · Hybrid": a place after an entry's dates."""
    if len(line) > 80:
        return None
    parts = _parts(line)
    place = parts[0] if parts else ""
    marked = len(parts) == 2 and _is_workplace_type(parts[1])
    names = [name.strip() for name in place.split(",")]
    listed = len(names) > 1 and all(0 < len(name) <= 40 and not name[0].islower() for name in names)
    if not (marked or listed) or any(mark in place for mark in ".!?:;"):
        return None
    return place


def _is_workplace_type(text: str) -> bool:
    return len(text) <= 30 and fold(text) in _WORKPLACE_TYPES


def _education(lines: list[str]) -> list[dict[str, Any]]:
    """Each school: the school, perhaps "Degree, Field", then the years."""
    entries: list[dict[str, Any]] = []
    lower = 0
    for index, line in enumerate(lines):
        dates = _date_range(line)
        if dates is None:
            continue
        above = [
            text
            for text in lines[max(lower, index - 2) : index]
            if not _is_label(text) and _date_range(text) is None
        ]
        lower = index + 1
        if not above:
            continue
        school = {"school": _short(above[0])}
        if len(above) == 2:
            degree, _, subject = above[1].partition(", ")
            school["degree"] = _short(degree)
            school["field_of_study"] = _short(subject) if subject else None
        school.update(_dated(dates))
        entries.append(_known(school))
    return entries


def _is_label(line: str) -> bool:
    label, found, _ = line[:60].partition(":")
    return bool(found) and fold(label) in _EDUCATION_LABELS


# ---------------------------------------------------------------------------------------------
# Messages


@dataclass
class _Message:
    sender: str
    time: tuple[int, int] | None
    day: PartialDate | None
    lines: list[str] = field(default_factory=list)

    def text(self) -> str:
        return "\n".join(self.lines).strip()


def _read_messages(text: str, *, contact: str | None) -> list[dict[str, Any]]:
    preamble: list[str] = []
    messages: list[_Message] = []
    own_names: set[str] = set()
    day: PartialDate | None = None
    for raw in text.splitlines():
        line = raw.strip()
        short = len(line) <= _SHORT_LINE
        if short and line and _is_message_noise(fold(line)):
            continue
        if short and _is_day_separator(line):
            day = _full_date(line)
            continue
        holder = messages[-1].lines if messages else preamble
        sender_time = _sender_and_time(line) if short else None
        if sender_time is None and short and (clock := _clock(line)) is not None:
            sender = next((x for x in reversed(holder) if x.strip()), "")
            if _looks_like_sender(sender):
                sender_time = (sender, clock)
        if sender_time is None:
            holder.append(raw.rstrip())
            continue
        sender, clock = sender_time
        # The name LinkedIn repeats above the sender line belongs to no message.
        while holder and (not holder[-1].strip() or fold(holder[-1]) == fold(sender)):
            holder.pop()
        last = messages[-1] if messages else None
        if last is not None and not last.text() and _same_header(last, sender, clock):
            # "You sent the following message at 11:02 AM" then "John Smith 11:02 AM": one
            # header, and John Smith is the person who pasted the conversation.
            if fold(last.sender) in _YOU and fold(sender) not in _YOU:
                own_names.add(fold(sender))
            elif fold(sender) in _YOU and fold(last.sender) not in _YOU:
                own_names.add(fold(last.sender))
                last.sender = sender
            last.time = last.time or clock
            continue
        messages.append(_Message(sender, clock, day))
    kept = [message for message in messages if message.text()]
    if not kept:
        return [{"text": text.strip()}]
    contact = contact or next((line.strip() for line in preamble if line.strip()), None)
    contact = _contact_among(kept, contact)
    return [_message(message, contact, own_names) for message in kept]


def _same_header(message: _Message, sender: str, clock: tuple[int, int]) -> bool:
    """Whether a sender line repeats the header before it: the same sender, or "You" and a
    name at the same time."""
    if fold(message.sender) == fold(sender):
        return True
    return message.time == clock and (fold(message.sender) in _YOU or fold(sender) in _YOU)


def _contact_among(messages: list[_Message], contact: str | None) -> str | None:
    """The contact's name as a sender shows it, if one of the senders is the contact."""
    if contact is None:
        return None
    wanted = set(fold(contact).split())
    for message in messages:
        if set(fold(message.sender).split()) <= wanted:
            return message.sender
    return None


def _message(message: _Message, contact: str | None, own_names: set[str]) -> dict[str, Any]:
    sender = fold(message.sender)
    outgoing = (
        sender in _YOU or sender in own_names or (contact is not None and sender != fold(contact))
    )
    fields: dict[str, Any] = {"text": message.text()}
    if outgoing:
        fields["direction"] = "outgoing"
    day = message.day
    if day is not None and day.month is not None and day.day is not None and message.time:
        hour, minute = message.time
        fields["sent_at"] = dt.datetime(day.year, day.month, day.day, hour, minute)
    return fields


def _is_message_noise(folded: str) -> bool:
    return (folded.startswith("view ") and folded.endswith("profile")) or folded in (
        "active now", "status is online", "status is offline", "write a message\u2026",
        "write a message...", "send", "attach a file", "open emoji keyboard", "seen",
    )  # fmt: skip


def _clock(text: str) -> tuple[int, int] | None:
    """(hour, minute) from "10:42 AM", "10:42am" or "22:15"."""
    match = _CLOCK.fullmatch(fold(text)) if len(text) <= 12 else None
    if match is None:
        return None
    hour, minute, half = int(match[1]), int(match[2]), match[3]
    if minute > 59 or hour > 23 or (half and not 1 <= hour <= 12):
        return None
    if half:
        hour = hour % 12 + (12 if half.startswith("p") else 0)
    return hour, minute


def _sender_and_time(line: str) -> tuple[str, tuple[int, int]] | None:
    """ "Emma Clarke  10:42 AM", or "Emma Clarke sent the following message at 10:42 AM"."""
    marker = line.find(" sent the following message")
    if marker > 0:
        at = line.rfind(" at ")
        clock = _clock(line[at + 4 :]) if at > marker else None
        sender = line[:marker].strip()
        return (sender, clock) if clock is not None else None
    words = line.split()
    for size in (1, 2):
        if len(words) <= size:
            continue
        clock = _clock(" ".join(words[-size:]))
        sender = " ".join(words[:-size]).strip(" \u00b7\u2022-")
        if clock is not None and _looks_like_sender(sender):
            return sender, clock
    return None


def _looks_like_sender(text: str) -> bool:
    """A name as a message header shows it: a few capitalised words, or "You"."""
    words = text.split()
    if fold(text) in _YOU:
        return True
    if not 2 <= len(words) <= 6 or len(text) > 60:
        return False
    return all(_name_word(word) for word in words) and not words[0].islower()


def _name_word(word: str) -> bool:
    """A word of a name: capitalised ("Clarke", "O'Neil", "J."), a particle ("van"), or in a
    script without capitals."""
    letters = word.replace(".", "").replace("-", "").replace("'", "").replace("\u2019", "")
    if not letters.isalpha():
        return False
    return not letters[0].islower() or word in _NAME_PARTICLES


def _is_day_separator(line: str) -> bool:
    """ "Nov 20, 2024", "Nov 20", "20. November", "Today", "Monday": a day boundary."""
    return len(line) <= 40 and (
        fold(line).replace("\u2019", "'") in _RELATIVE_DAYS or _day_month_year(line) is not None
    )


def _full_date(line: str) -> PartialDate | None:
    """The date of a day separator that shows it in full; None when the year is not shown."""
    parts = _day_month_year(line)
    if parts is None:
        return None
    day, month, year = parts
    if year is None:
        return None
    try:
        return PartialDate(year, month, day)
    except DateError:
        return None


def _day_month_year(line: str) -> tuple[int, int, int | None] | None:
    """(day, month, year or None) from "Nov 20", "20 nov. 2024", "20 de noviembre"."""
    if len(line) > 40:
        return None
    words = [w.strip(".,") for w in fold(line).replace(",", " ").split() if w not in ("de", "del")]
    days = [w for w in words if w.isdecimal() and len(w) <= 2]
    years = [w for w in words if w.isdecimal() and len(w) == 4]
    names = [w for w in words if not w.isdecimal()]
    if len(days) != 1 or len(names) != 1 or len(years) > 1 or len(words) > 3:
        return None
    try:
        month = PartialDate.parse(f"{names[0]} 2000").month
    except DateError:
        return None
    if month is None:
        return None
    return int(days[0]), month, int(years[0]) if years else None
