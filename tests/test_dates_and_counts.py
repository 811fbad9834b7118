"""Dates and counts as people copy them from profiles."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linkvet._counts import CountError, parse_count
from linkvet._dates import (
    DateError,
    PartialDate,
    is_present_word,
    months_between,
    parse_duration_months,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019", PartialDate(2019)),
        (2019, PartialDate(2019)),
        ("Jan 2019", PartialDate(2019, 1)),
        ("January 2019", PartialDate(2019, 1)),
        ("jan. 2019", PartialDate(2019, 1)),
        ("Sept 2020", PartialDate(2020, 9)),
        ("2019-03", PartialDate(2019, 3)),
        ("2019-03-15", PartialDate(2019, 3, 15)),
        ("03/2019", PartialDate(2019, 3)),
        ("März 2018", PartialDate(2018, 3)),
        ("janv. 2021", PartialDate(2021, 1)),
        ("diciembre 2015", PartialDate(2015, 12)),
        ("  Oct   2022 ", PartialDate(2022, 10)),
        ("March 5, 2021", PartialDate(2021, 3, 5)),
        (dt.date(2020, 2, 29), PartialDate(2020, 2, 29)),
    ],
)
def test_reads_dates_people_copy(text: object, expected: PartialDate) -> None:
    assert PartialDate.parse(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("9999", "outside"),
        ("1850", "outside"),
        ("2019-13", "month 13"),
        ("2019-02-30", "day is out of range"),
        ("Foo 2019", "not a month name"),
        ("yesterday", "cannot read"),
        ("", "empty"),
        ("x" * 10_000, "longer than"),
        ("Present", "ongoing role"),
        (True, "true/false"),
        (3.5, "float"),
    ],
)
def test_refuses_what_is_not_a_date(text: object, message: str) -> None:
    with pytest.raises(DateError, match=message):
        PartialDate.parse(text)


def test_partial_dates_know_their_bounds() -> None:
    assert PartialDate(2019).earliest() == dt.date(2019, 1, 1)
    assert PartialDate(2019).latest() == dt.date(2019, 12, 31)
    assert PartialDate(2020, 2).latest() == dt.date(2020, 2, 29)
    assert str(PartialDate(2019, 3)) == "2019-03"
    assert months_between(PartialDate(2019, 1), PartialDate(2020, 3)) == 14


@pytest.mark.parametrize("word", ["Present", "now", "Heute", "aujourd\u2019hui", "Actualidad"])
def test_present_words(word: str) -> None:
    assert is_present_word(word)


@pytest.mark.parametrize(
    ("text", "months"),
    [("3 yrs 2 mos", 38), ("1 yr", 12), ("11 mos", 11), ("2 years 3 months", 27), ("4 ans", 48)],
)
def test_reads_durations(text: str, months: int) -> None:
    assert parse_duration_months(text) == months


def test_refuses_unreadable_duration() -> None:
    with pytest.raises(DateError, match="duration"):
        parse_duration_months("a while")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("500+", (500, True)),
        ("1,234", (1234, False)),
        ("1 234", (1234, False)),
        ("12.5K", (12500, False)),
        ("3M followers", (3_000_000, False)),
        ("87 connections", (87, False)),
        ("0", (0, False)),
    ],
)
def test_reads_counts(text: str, expected: tuple[int, bool]) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize("text", ["-5", "lots", "1.5", "99999999999999", "5" * 100, "+"])
def test_refuses_what_is_not_a_count(text: str) -> None:
    with pytest.raises(CountError):
        parse_count(text)


@given(st.text(max_size=200))
def test_date_parser_never_crashes(text: str) -> None:
    try:
        parsed = PartialDate.parse(text)
    except DateError:
        return
    assert 1900 <= parsed.year <= 2100


@given(st.text(max_size=200))
def test_count_parser_never_crashes(text: str) -> None:
    try:
        value, _ = parse_count(text)
    except CountError:
        return
    assert value >= 0


@given(st.text(max_size=200))
def test_duration_parser_never_crashes(text: str) -> None:
    with contextlib.suppress(DateError):
        assert parse_duration_months(text) >= 0


@given(st.integers(1900, 2100), st.integers(1, 12))
def test_dates_round_trip_through_text(year: int, month: int) -> None:
    date = PartialDate(year, month)
    assert PartialDate.parse(str(date)) == date
