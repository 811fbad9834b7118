"""JSON Resume (https://jsonresume.org/schema, v1.0.0) in and out of a `Profile`.

Reading maps what a résumé says onto what a profile shows. Unknown is not zero here too: a
section the file leaves out stays `None`, while a section written as `[]` stays `[]` (seen, and
empty). Blank strings, which résumé templates leave in unfilled fields, count as left out. Keys the
schema does not know are allowed (it allows extensions) and ignored. Dates are read as the model
reads them, so besides the schema's "2019", "2019-04" and "2019-04-01", "Apr 2019" and an end of
"Present" are understood too.

Errors name the place in the résumé ("work[2].startDate: ..."), not the profile field it became.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from pydantic import ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from linkvet._dates import PartialDate
from linkvet.errors import InputError, describe_validation_error, field_path
from linkvet.model import Platform, Profile

SCHEMA_URL: Final = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"

# The top-level sections of the schema. A dict with any other key that `Profile` has ("platform",
# "counts", "name", ...) is a linkvet profile, not a résumé.
RESUME_SECTIONS: Final = frozenset(
    "$schema basics work volunteer education awards certificates publications skills languages "
    "interests references projects meta".split()
)
_LINKVET_ONLY: Final = frozenset(Profile.model_fields) - RESUME_SECTIONS

# Profile field -> résumé key, per kind of entry; used to name résumé places in errors.
_WORK_KEYS: Final = {
    "organisation": "name",
    "title": "position",
    "start": "startDate",
    "end": "endDate",
    "description": "summary",
    "location": "location",
}
_VOLUNTEER_KEYS: Final = {**_WORK_KEYS, "organisation": "organization"}
_EDUCATION_KEYS: Final = {
    "school": "institution",
    "degree": "studyType",
    "field_of_study": "area",
    "start": "startDate",
    "end": "endDate",
}
_CERTIFICATE_KEYS: Final = {"name": "name", "issuer": "issuer", "date": "date"}
_LANGUAGE_KEYS: Final = {"name": "language", "proficiency": "fluency"}
_REFERENCE_KEYS: Final = {"author": "name", "text": "reference"}
_SKILL_KEYS: Final = {"name": "name"}

_NETWORK_NAMES: Final = {
    Platform.LINKEDIN: "LinkedIn",
    Platform.FACEBOOK: "Facebook",
    Platform.TWITTER: "X",
    Platform.INSTAGRAM: "Instagram",
}

_Place = tuple[str | int, ...]


class _ResumeError(Exception):
    """A résumé value of the wrong shape, at a place in the résumé."""

    def __init__(self, at: _Place, message: str) -> None:
        super().__init__(f"{field_path(at)}: {message}")


@dataclass(frozen=True)
class _Origin:
    """Where in the résumé a profile value came from, and the résumé names of its fields."""

    at: _Place
    keys: Mapping[str, str] = field(default_factory=dict)


def looks_like_json_resume(data: object) -> bool:
    """True for a dict with `basics` (an object) or `work` (a list) and no linkvet-only keys."""
    if not isinstance(data, dict) or not _LINKVET_ONLY.isdisjoint(data):
        return False
    return isinstance(data.get("basics"), dict) or isinstance(data.get("work"), list)


def profile_from_json_resume(data: dict[str, Any], *, source: str = "<input>") -> Profile:
    """The `Profile` a JSON Resume describes; every problem is an `InputError` naming the résumé
    field ("work[2].startDate: ..."). A photo URL (`basics.image`) is kept, never downloaded."""
    if not isinstance(data, dict):
        raise InputError(f"expected a JSON Resume object, got {_kind(data)}", source=source)
    origins: dict[_Place, _Origin] = {}
    try:
        fields = _read_resume(data, origins)
    except _ResumeError as error:
        raise InputError(str(error), source=source) from None
    try:
        return Profile.model_validate(fields)
    except ValidationError as error:
        message = describe_validation_error(_in_resume_terms(error, origins))
        raise InputError(message, source=source) from None


def json_resume_from_profile(profile: Profile) -> dict[str, Any]:
    """The profile as a valid JSON Resume (v1.0.0), with every field that has a place there.

    JSON Resume has no place for these, so they are left out:

    - counts, joined, last_active, verifications, connected_at, observed_at;
    - the approach: invitation and messages;
    - has_photo, banner, and a photo given as a path or inline data (a photo URL is kept);
    - contact messengers, and every e-mail address and phone number after the first;
    - an experience's employment_type (except "volunteer", which makes a `volunteer` entry) and
      duration_months, and a volunteer entry's location;
    - an education's description; skill endorsements; a recommendation's relationship and date;
    - `current`, where dates cannot say it: JSON Resume marks a current entry only by a start
      date without an end date, so such an entry comes back current, and a current entry
      without a start date comes back with `current` unknown.

    The profile's own platform, handle and URL become the first `basics.profiles` entry; they
    come back as platform, `handle` and `url` only for LinkedIn (another platform's URL comes back
    as a website). Websites after the first become further `basics.profiles` entries. Volunteer
    entries come back after the work entries, and an empty contact list does not come back.
    """
    resume: dict[str, Any] = {"$schema": SCHEMA_URL}
    basics = _basics_of(profile)
    if basics:
        resume["basics"] = basics
    if profile.experience is not None:
        resume["work"] = [
            _dated(
                {"name": e.organisation, "position": e.title, "location": e.location},
                e.start,
                e.end,
                e.description,
            )
            for e in profile.experience
            if e.employment_type != "volunteer"
        ]
        volunteer = [
            _dated(
                {"organization": e.organisation, "position": e.title}, e.start, e.end, e.description
            )
            for e in profile.experience
            if e.employment_type == "volunteer"
        ]
        if volunteer:
            resume["volunteer"] = volunteer
    if profile.education is not None:
        resume["education"] = [
            _dated(
                {"institution": e.school, "studyType": e.degree, "area": e.field_of_study},
                e.start,
                e.end,
                None,
            )
            for e in profile.education
        ]
    if profile.skills is not None:
        resume["skills"] = [{"name": skill.name} for skill in profile.skills]
    if profile.languages is not None:
        resume["languages"] = [
            _present({"language": language.name, "fluency": language.proficiency})
            for language in profile.languages
        ]
    if profile.certifications is not None:
        resume["certificates"] = [
            _present({"name": c.name, "issuer": c.issuer, "date": _text_of(c.date)})
            for c in profile.certifications
        ]
    if profile.recommendations is not None:
        resume["references"] = [
            _present({"name": r.author, "reference": r.text}) for r in profile.recommendations
        ]
    return resume


# ---------------------------------------------------------------------------------------------
# Reading


def _read_resume(data: dict[str, Any], origins: dict[_Place, _Origin]) -> dict[str, Any]:
    """The profile's fields from the résumé, recording in `origins` where each came from."""
    fields: dict[str, Any] = {}
    if (basics := _object(data, "basics", ())) is not None:
        fields.update(_read_basics(basics, origins))

    work = _entries(data, "work")
    volunteer = _entries(data, "volunteer")
    if work is not None or volunteer is not None:
        places: list[tuple[_Place, dict[str, Any]]] = [
            *((("work", index), entry) for index, entry in enumerate(work or [])),
            *((("volunteer", index), entry) for index, entry in enumerate(volunteer or [])),
        ]
        fields["experience"] = [
            _read_experience(entry, at, ("experience", position), origins)
            for position, (at, entry) in enumerate(places)
        ]
        sections = [name for name, entries in (("work", work), ("volunteer", volunteer)) if entries]
        origins["experience",] = _Origin((" and ".join(sections) or "work",))

    if (education := _entries(data, "education")) is not None:
        fields["education"] = []
        for index, entry in enumerate(education):
            at: _Place = ("education", index)
            origins["education", index] = _Origin(at, _EDUCATION_KEYS)
            fields["education"].append(
                {
                    "school": _text(entry, "institution", at),
                    "degree": _text(entry, "studyType", at),
                    "field_of_study": _text(entry, "area", at),
                    **_dates(entry),
                }
            )

    if (references := _entries(data, "references")) is not None:
        fields["recommendations"] = []
        for index, entry in enumerate(references):
            at = ("references", index)
            origins["recommendations", index] = _Origin(at, _REFERENCE_KEYS)
            fields["recommendations"].append(
                {"author": _text(entry, "name", at), "text": _text(entry, "reference", at)}
            )

    # A skill, a language or a certificate without a name has no place in a profile, and the
    # schema requires no field, so a valid résumé may have one: it is skipped.
    for section, target, keys in (
        ("skills", "skills", _SKILL_KEYS),
        ("languages", "languages", _LANGUAGE_KEYS),
        ("certificates", "certifications", _CERTIFICATE_KEYS),
    ):
        if (entries := _entries(data, section)) is None:
            continue
        fields[target] = []
        for index, entry in enumerate(entries):
            at = (section, index)
            values = {
                name: _date(entry, key) if name == "date" else _text(entry, key, at)
                for name, key in keys.items()
            }
            if values["name"] is not None:
                origins[target, len(fields[target])] = _Origin(at, keys)
                fields[target].append(values)

    for target, section in (
        ("education", "education"),
        ("recommendations", "references"),
        ("skills", "skills"),
        ("languages", "languages"),
        ("certifications", "certificates"),
    ):
        origins[target,] = _Origin((section,))
    return fields


def _read_experience(
    entry: dict[str, Any], at: _Place, target: _Place, origins: dict[_Place, _Origin]
) -> dict[str, Any]:
    """A work or volunteer entry; the summary and the highlights (one a line) are the description."""
    is_work = at[0] == "work"
    keys = _WORK_KEYS if is_work else _VOLUNTEER_KEYS
    summary = _text(entry, "summary", at)
    lines = [summary] if summary is not None else []
    lines += _texts(entry, "highlights", at)
    organisation = _text(entry, keys["organisation"], at)
    if organisation is None and is_work:
        organisation = _text(entry, "company", at)  # its name before schema 1.0
    origins[target] = _Origin(
        at, keys if summary is not None else {**keys, "description": "highlights"}
    )
    return {
        "organisation": organisation,
        "title": _text(entry, "position", at),
        # The schema gives volunteer entries no location.
        "location": _text(entry, "location", at) if is_work else None,
        "employment_type": None if is_work else "volunteer",
        "description": "\n".join(lines) or None,
        **_dates(entry),
    }


def _read_basics(basics: dict[str, Any], origins: dict[_Place, _Origin]) -> dict[str, Any]:
    at: _Place = ("basics",)
    fields: dict[str, Any] = {}
    for target, key in (("name", "name"), ("headline", "label"), ("about", "summary")):
        fields[target] = _text(basics, key, at)
        origins[target,] = _Origin((*at, key))

    if (image := _text(basics, "image", at)) is not None:
        fields["photo"] = {"url": image}
        origins["photo", "url"] = _Origin((*at, "image"))

    if (place := _object(basics, "location", at)) is not None:
        where = (*at, "location")
        parts = [_text(place, key, where) for key in ("city", "region", "countryCode")]
        fields["location"] = ", ".join(part for part in parts if part) or None
        origins["location",] = _Origin(where)

    websites: list[str] = []
    if (url := _text(basics, "url", at)) is not None:
        origins["contact", "websites", len(websites)] = _Origin((*at, "url"))
        websites.append(url)
    for index, entry in enumerate(_entries(basics, "profiles", at) or []):
        where = (*at, "profiles", index)
        network = _text(entry, "network", where) or ""
        url = _text(entry, "url", where)
        if "".join(network.split()).casefold() == "linkedin" and "platform" not in fields:
            fields["platform"] = Platform.LINKEDIN
            fields["url"] = url
            fields["handle"] = _text(entry, "username", where)
            origins["url",] = _Origin((*where, "url"))
            origins["handle",] = _Origin((*where, "username"))
        elif url is not None:
            origins["contact", "websites", len(websites)] = _Origin((*where, "url"))
            websites.append(url)

    email = _text(basics, "email", at)
    phone = _text(basics, "phone", at)
    if email is not None or phone is not None or websites:
        fields["contact"] = {
            "emails": None if email is None else [email],
            "phones": None if phone is None else [phone],
            "websites": websites or None,
        }
        origins["contact", "emails", 0] = _Origin((*at, "email"))
        origins["contact", "phones", 0] = _Origin((*at, "phone"))
    return fields


def _dates(entry: dict[str, Any]) -> dict[str, Any]:
    """Start, end, and `current` when there is a start but no end (JSON Resume's "current")."""
    start = _date(entry, "startDate")
    end = _date(entry, "endDate")
    # An end of "Present" is left to the model, which reads it as current.
    return {
        "start": start,
        "end": end,
        "current": True if start is not None and end is None else None,
    }


def _object(data: dict[str, Any], key: str, at: _Place) -> dict[str, Any] | None:
    value = data.get(key)
    if value is None or isinstance(value, dict):
        return value
    raise _ResumeError((*at, key), f"expected an object, got {_kind(value)}")


def _entries(data: dict[str, Any], key: str, at: _Place = ()) -> list[dict[str, Any]] | None:
    """A list of objects, or None when the key is absent."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, list):
        raise _ResumeError((*at, key), f"expected a list, got {_kind(value)}")
    for index, entry in enumerate(value):
        if not isinstance(entry, dict):
            raise _ResumeError((*at, key, index), f"expected an object, got {_kind(entry)}")
    return value


def _text(data: dict[str, Any], key: str, at: _Place) -> str | None:
    """Text, or None when absent or blank (templates leave unfilled fields as "")."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _ResumeError((*at, key), f"expected text, got {_kind(value)}")
    return value.strip() or None


def _texts(data: dict[str, Any], key: str, at: _Place) -> list[str]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise _ResumeError((*at, key), f"expected a list of text, got {_kind(value)}")
    texts = []
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise _ResumeError((*at, key, index), f"expected text, got {_kind(item)}")
        if item.strip():
            texts.append(item.strip())
    return texts


def _date(data: dict[str, Any], key: str) -> Any:
    """The date as written (the model reads and checks it), or None when absent or blank."""
    value = data.get(key)
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _kind(value: object) -> str:
    """The JSON name of a value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _in_resume_terms(error: ValidationError, origins: Mapping[_Place, _Origin]) -> ValidationError:
    """The same problems, located in the résumé rather than in the profile built from it."""
    problems: list[InitErrorDetails] = [
        {
            "type": PydanticCustomError(problem["type"], problem["msg"]),
            "loc": _resume_location(problem["loc"], origins),
            "input": None,
        }
        for problem in error.errors(include_url=False, include_input=False)
    ]
    return ValidationError.from_exception_data(error.title, problems)


def _resume_location(location: _Place, origins: Mapping[_Place, _Origin]) -> _Place:
    for length in range(len(location), 0, -1):
        origin = origins.get(location[:length])
        if origin is not None:
            rest = location[length:]
            if rest and isinstance(rest[0], str):
                rest = (origin.keys.get(rest[0], rest[0]), *rest[1:])
            return (*origin.at, *rest)
    return location


# ---------------------------------------------------------------------------------------------
# Writing


def _basics_of(profile: Profile) -> dict[str, Any]:
    contact = profile.contact
    emails = (contact.emails if contact else None) or []
    phones = (contact.phones if contact else None) or []
    websites = (contact.websites if contact else None) or []
    profiles: list[dict[str, Any]] = []
    if profile.url is not None or profile.handle is not None or profile.platform in _NETWORK_NAMES:
        network = _NETWORK_NAMES.get(profile.platform) if profile.platform else None
        profiles.append(
            _present({"network": network, "username": profile.handle, "url": profile.url})
        )
    profiles.extend({"url": website} for website in websites[1:])
    return _present(
        {
            "name": profile.name,
            "label": profile.headline,
            "image": profile.photo.url if profile.photo else None,
            "email": emails[0] if emails else None,
            "phone": phones[0] if phones else None,
            "url": websites[0] if websites else None,
            "summary": profile.about,
            # linkvet keeps a place as one line of text; "city" is the schema's nearest field.
            "location": {"city": profile.location} if profile.location else None,
            "profiles": profiles or None,
        }
    )


def _dated(
    entry: dict[str, Any], start: PartialDate | None, end: PartialDate | None, summary: str | None
) -> dict[str, Any]:
    return _present(
        {**entry, "startDate": _text_of(start), "endDate": _text_of(end), "summary": summary}
    )


def _text_of(value: PartialDate | None) -> str | None:
    return None if value is None else str(value)


def _present(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}
