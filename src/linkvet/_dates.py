"""Dates as people copy them from profiles: "Jan 2019", "2019", "Present", "3 yrs 2 mos".

A profile rarely gives a full date, so `PartialDate` keeps only what was given (a year, perhaps a
month, perhaps a day) and never invents the rest.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Final

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

# Years outside this range are typing mistakes or attacks, never real careers.
EARLIEST_YEAR: Final = 1900
LATEST_YEAR: Final = 2100
# Longer strings cannot be a date; refusing them early keeps parsing bounded.
MAX_DATE_TEXT: Final = 64

# Month names and abbreviations by language; add a language by adding its names here.
_MONTH_NAMES: Final[dict[str, str]] = {
    "en": "january february march april may june july august september october november december",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre "
          "dicembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
}  # fmt: skip
_EXTRA_ABBREVIATIONS: Final[dict[str, int]] = {
    "sept": 9, "janv": 1, "févr": 2, "avr": 4, "juil": 7, "déc": 12, "mrz": 3, "okt": 10,
    "dez": 12, "ene": 1, "dic": 12, "set": 9, "out": 10, "mei": 5, "mär": 3,
}  # fmt: skip


def _month_lookup() -> dict[str, int]:
    lookup: dict[str, int] = {}
    for names in _MONTH_NAMES.values():
        for number, name in enumerate(names.split(), start=1):
            lookup.setdefault(name, number)
            lookup.setdefault(name[:3], number)
    lookup.update(_EXTRA_ABBREVIATIONS)
    # Also without accents: text read from screenshots and typed on English keyboards loses
    # them ("Marz 2021", "fevr. 2019").
    for name, number in list(lookup.items()):
        lookup.setdefault(_without_accents(name), number)
    return lookup


def _without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_MONTHS: Final = _month_lookup()
# Words for an ongoing role ("Jan 2020 - Present") in the languages above.
PRESENT_WORDS: Final = frozenset(
    "present now current today ongoing heute aujourd'hui actuel présent actualidad presente "
    "attuale atual momento heden nu".split()
)

_ISO = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?")
_MONTH_FIRST = re.compile(r"(\d{1,2})[-/.](\d{4})")
_NAMED = re.compile(r"([^\W\d_]+)\.?,?\s+(?:(\d{1,2}),?\s+)?(\d{4})")
_DURATION_PART = re.compile(
    r"(\d{1,3})\s*(yrs?|years?|y|mos?|months?|m|jahre?|monate?|ans?|mois|años?|mes(?:es)?)\b"
)


class DateError(ValueError):
    """Text that cannot be read as a date; the message says what was expected."""


@dataclass(frozen=True, order=True, slots=True)
class PartialDate:
    """A date known to the year, and perhaps to the month and day."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not EARLIEST_YEAR <= self.year <= LATEST_YEAR:
            raise DateError(f"year {self.year} is outside {EARLIEST_YEAR} to {LATEST_YEAR}")
        if self.month is not None and not 1 <= self.month <= 12:
            raise DateError(f"month {self.month} is not between 1 and 12")
        if self.day is not None:
            if self.month is None:
                raise DateError("a day needs a month")
            try:
                dt.date(self.year, self.month, self.day)
            except ValueError as error:
                raise DateError(str(error)) from None

    def __str__(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @property
    def month_index(self) -> int:
        """Months since year 0, taking an unknown month as January (the earliest it can be)."""
        return self.year * 12 + (self.month or 1) - 1

    def earliest(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        if self.day is not None and self.month is not None:
            return dt.date(self.year, self.month, self.day)
        month = self.month or 12
        following = dt.date(self.year + (month == 12), month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    @classmethod
    def from_date(cls, value: dt.date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        """Read a date from an int year, a `date`, or text such as "Jan 2019" or "2019-01"."""
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.datetime):
            return cls.from_date(value.date())
        if isinstance(value, dt.date):
            return cls.from_date(value)
        if isinstance(value, bool):
            raise DateError("expected a date, got true/false")
        if isinstance(value, int):
            return cls(value)
        if not isinstance(value, str):
            raise DateError(f"expected a date as text, got {type(value).__name__}")
        text = _normalise(value)
        if not text:
            raise DateError("empty date")
        if len(text) > MAX_DATE_TEXT:
            raise DateError(f"date text longer than {MAX_DATE_TEXT} characters")
        if text in PRESENT_WORDS:
            raise DateError(f"'{value}' means an ongoing role, not a date")
        if match := _ISO.fullmatch(text):
            year, month, day = match.groups()
            return cls(int(year), _int_or_none(month), _int_or_none(day))
        if match := _MONTH_FIRST.fullmatch(text):
            return cls(int(match.group(2)), int(match.group(1)))
        if match := _NAMED.fullmatch(text):
            name, day, year = match.groups()
            month = _MONTHS.get(name)
            if month is None:
                raise DateError(f"'{name}' is not a month name")
            return cls(int(year), month, _int_or_none(day))
        raise DateError(
            f"cannot read '{_shorten(value)}' as a date (expected e.g. 'Jan 2019' or '2019')"
        )

    # pydantic: accept the forms above, serialise as ISO-like text ("2019", "2019-01", "2019-01-15").
    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.to_string_ser_schema()
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "anyOf": [{"type": "string", "maxLength": MAX_DATE_TEXT}, {"type": "integer"}],
            "description": "A date as far as it is known: 2019, '2019-01', '2019-01-15', 'Jan 2019'.",
            "examples": ["2019", "Jan 2019", "2019-01-15"],
        }


def is_present_word(value: object) -> bool:
    """True for "Present", "now" and their equivalents, which end an ongoing role."""
    return isinstance(value, str) and _normalise(value) in PRESENT_WORDS


def parse_duration_months(value: str) -> int:
    """Months in a LinkedIn-style duration such as "3 yrs 2 mos" or "11 months"."""
    text = _normalise(value)
    if len(text) > MAX_DATE_TEXT:
        raise DateError(f"duration text longer than {MAX_DATE_TEXT} characters")
    if text in {"less than a year", "< 1 yr"}:
        return 0
    months = 0
    found = False
    for number, unit in _DURATION_PART.findall(text):
        found = True
        is_year = unit[0] in "yja" and not unit.startswith("m")
        months += int(number) * (12 if is_year else 1)
    if not found:
        raise DateError(
            f"cannot read '{_shorten(value)}' as a duration (expected e.g. '3 yrs 2 mos')"
        )
    return months


def months_between(start: PartialDate, end: PartialDate) -> int:
    return end.month_index - start.month_index


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().lower().replace("\u2019", "'")
    return " ".join(text.split())


def _int_or_none(text: str | None) -> int | None:
    return int(text) if text else None


def _shorten(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
