"""Hostile and oversized text, through the real default engine.

A message may be up to 1,000,000 characters (the `Profile` model's cap); linkvet reads the first
100,000 characters of each text and 1,000,000 per profile, and says what it did not read. Whatever
the text (a megabyte of it, deeply nested HTML, a wall of zero-width characters, a letter buried
under combining accents), an assessment must come back quickly and be valid. Text from the
profile is evidence to show, never markup to interpret: HTML stays text in the excerpts, and the
readable report prints console markup such as "[bold]" literally.

Speed proper is measured in benchmarks/; the bound here is generous (15 s per profile) and is
there to catch run-away cost (quadratic loops, back-tracking), not to time anything. The bound is
enforced with an alarm, so that a run-away case fails after 15 s instead of hanging the suite.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, Final

import pytest
from pydantic import ValidationError

from linkvet.engine import Engine
from linkvet.model import MESSAGE_TEXT, Assessment, Band, Profile, Signal
from linkvet.text.fields import MAX_CHARS_PER_TEXT
from tests.conftest import AS_OF, ROOT

BOUND_SECONDS: Final = 15.0
NOT_READ: Final = "approach.text_not_fully_read"

HOSTILE = (
    "Dear Dr Lewis, your outstanding expertise in grid security impressed our client. "
    "We pay a generous fee for short reports. Which projects is your team working on? "
    "Add me on WhatsApp for the details. "
)


class TookTooLong(BaseException):
    """Raised by the alarm. Not an `Exception`, so that the engine cannot record it as one
    detector's failure and carry on with the next."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: FrameType | None) -> None:
        raise TookTooLong

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def default_engine() -> Engine:
    """The engine a user gets: every local detector, the bundled rules."""
    return Engine()


def assess_in_time(engine: Engine, data: dict[str, Any]) -> Assessment:
    """The assessment of `data`, failing if it takes BOUND_SECONDS or more."""
    profile = Profile.model_validate(data)
    started = time.perf_counter()
    try:
        with deadline(BOUND_SECONDS):
            assessment = engine.assess(profile, as_of=AS_OF)
    except TookTooLong:
        elapsed = float("inf")
    else:
        elapsed = time.perf_counter() - started
    assert elapsed < BOUND_SECONDS, f"still assessing after {BOUND_SECONDS} s"
    return assessment


def assert_valid(assessment: Assessment) -> None:
    """A complete assessment that survives its own JSON, with no detector that crashed."""
    assert assessment.band in set(Band)
    assert 0 <= assessment.probability <= 1
    again = Assessment.model_validate_json(assessment.model_dump_json())
    assert again.without_timings() == assessment.without_timings()
    failed = [skip for skip in assessment.detectors_skipped if skip.reason.startswith("failed")]
    assert failed == []


def codes(assessment: Assessment) -> set[str]:
    return {signal.code for signal in assessment.signals}


def signal_of(assessment: Assessment, code: str) -> Signal:
    (found,) = [signal for signal in assessment.signals if signal.code == code]
    return found


def one_message(text: str) -> dict[str, Any]:
    return {"name": "Morgan Hale", "messages": [{"text": text}]}


# ---------------------------------------------------------------------------------------------
# Oversized and pathological text: a valid assessment, in bounded time.

Case = Callable[[], dict[str, Any]]


def megabyte_message() -> dict[str, Any]:
    text = (HOSTILE * (MESSAGE_TEXT // len(HOSTILE) + 1))[:MESSAGE_TEXT]
    assert len(text) == 1_000_000
    return one_message(text)


def our_client_over_two_messages() -> dict[str, Any]:
    # 100,000 repetitions are 1.1 million characters, over the cap of one message (see
    # test_a_message_over_the_cap_is_refused); split over the note and a message instead.
    return {
        "invitation": {"text": "our client " * 50_000},
        "messages": [{"text": "our client " * 50_000}],
    }


def nested_html() -> dict[str, Any]:
    depth = 30_000
    return one_message("<div>" * depth + "<script>alert(1)</script>" + "</div>" * depth)


def nested_markdown() -> dict[str, Any]:
    quotes = "> " * 50_000
    links = "[" * 20_000 + "**click**" + "](https://example.org)" * 20_000
    lists = "".join("  " * level + "- item\n" for level in range(400))
    return {"about": lists[:MAX_CHARS_PER_TEXT], "messages": [{"text": quotes + links}]}


def combining_accents() -> dict[str, Any]:
    buried = "a" + "\u0301" * 50_000
    return {"about": buried, "messages": [{"text": buried}]}


def every_text_at_its_cap() -> dict[str, Any]:
    description = ("We pay a generous fee for reports on our client's projects. " * 1700)[
        :MAX_CHARS_PER_TEXT
    ]
    return {
        "headline": "Partner at Lumen Strategic Advisory",
        "about": ("Strategic synergy, global network of experts. " * 2200)[:MAX_CHARS_PER_TEXT],
        "experience": [
            {"title": "Partner", "organisation": f"Lumen Advisory {i}", "description": description}
            for i in range(20)
        ],
        "invitation": {"text": HOSTILE * 500},
    }


def ten_thousand_messages() -> dict[str, Any]:
    first = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    return {
        "connected_at": first.isoformat(),
        "messages": [
            {
                "text": "Add me on WhatsApp please",
                "sent_at": (first + dt.timedelta(seconds=i)).isoformat(),
            }
            for i in range(10_000)
        ],
    }


LARGE_CASES = [
    pytest.param(megabyte_message, id="one-megabyte-message"),
    pytest.param(lambda: one_message("a " * 200_000), id="200000-a-space-pairs"),
    pytest.param(our_client_over_two_messages, id="our-client-100000-times"),
    pytest.param(nested_html, id="html-nested-30000-deep"),
    pytest.param(nested_markdown, id="markdown-quotes-links-and-lists-nested"),
    pytest.param(combining_accents, id="50000-combining-accents-on-one-letter"),
    pytest.param(every_text_at_its_cap, id="every-profile-text-at-its-cap"),
    pytest.param(ten_thousand_messages, id="10000-messages"),
    pytest.param(lambda: one_message("\u200b" * 100_000), id="100000-zero-width-spaces"),
]


@pytest.mark.parametrize("make", LARGE_CASES)
def test_large_or_hostile_text_is_assessed_in_bounded_time(
    default_engine: Engine, make: Case
) -> None:
    assert_valid(assess_in_time(default_engine, make()))


def test_a_megabyte_message_is_read_from_its_beginning(default_engine: Engine) -> None:
    assessment = assess_in_time(default_engine, megabyte_message())
    assert {"channel.off_platform", "offer.paid_reports", NOT_READ} <= codes(assessment)
    excerpts = signal_of(assessment, "channel.off_platform").evidence
    assert len(excerpts) == 5  # the excerpts kept per signal; the rest are counted
    assert all(e.end is not None and e.end <= MAX_CHARS_PER_TEXT for e in excerpts)


def test_repeated_unnamed_client_is_one_signal_with_five_excerpts(
    default_engine: Engine,
) -> None:
    assessment = assess_in_time(default_engine, our_client_over_two_messages())
    vague = signal_of(assessment, "detail.vague_client")
    assert [e.field for e in vague.evidence] == ["invitation.text"] * 5
    assert [e.field for e in signal_of(assessment, NOT_READ).evidence] == [
        "invitation.text",
        "messages[0].text",
    ]


def test_a_message_over_the_cap_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"messages\.0\.text"):
        Profile.model_validate(one_message("our client " * 100_000))


# ---------------------------------------------------------------------------------------------
# What is not read is said.


def test_a_message_of_exactly_100000_characters_is_read_in_full(default_engine: Engine) -> None:
    text = ("x" * (MAX_CHARS_PER_TEXT - len(" WhatsApp"))) + " WhatsApp"
    assert len(text) == MAX_CHARS_PER_TEXT
    assessment = assess_in_time(default_engine, one_message(text))
    assert NOT_READ not in codes(assessment)
    assert "channel.off_platform" in codes(assessment)


def test_a_message_over_100000_characters_is_reported_as_not_fully_read(
    default_engine: Engine,
) -> None:
    text = "Hello. " + "x" * MAX_CHARS_PER_TEXT + " Add me on WhatsApp."
    data = {"messages": [{"text": "Thanks for connecting."}, {"text": text}]}
    assessment = assess_in_time(default_engine, data)
    not_read = signal_of(assessment, NOT_READ)
    assert [(e.field, e.value) for e in not_read.evidence] == [
        ("messages[1].text", "not read in full")
    ]
    assert "100,000 characters" in not_read.explanation
    assert not_read.weight == 0
    # The cue sits past the part that is read: not seen, which is why the limit is reported.
    assert "channel.off_platform" not in codes(assessment)


def test_messages_past_the_profile_budget_are_reported_as_not_read(
    default_engine: Engine,
) -> None:
    messages = [{"text": "x" * MAX_CHARS_PER_TEXT} for _ in range(10)]
    messages.append({"text": "Add me on WhatsApp, it is faster."})
    assessment = assess_in_time(default_engine, {"messages": messages})
    assert NOT_READ in codes(assessment)
    assert "messages[10].text" in {e.field for e in signal_of(assessment, NOT_READ).evidence}


# ---------------------------------------------------------------------------------------------
# Markup in a message is text: in the evidence, and in the readable report.

MARKUP_MESSAGE = (
    "Hi! <script>ale\u200brt(1)</script> Let's talk on [bold]Wh\u0430tsApp[/bold] "
    "or [link=https://evil.example]cl\u200bick[/link] and we pay a <b>generous</b> fee."
)
MARKUP_PROFILE = {
    "name": "[bold]Mallory[/bold] Reed",
    "headline": "[red]Partner[/red] <i>at</i> Lumen",
    "messages": [{"text": MARKUP_MESSAGE}],
}


def test_html_in_a_message_is_quoted_as_text(default_engine: Engine) -> None:
    assessment = assess_in_time(default_engine, MARKUP_PROFILE)
    in_message = [
        (found.code, evidence)
        for found in assessment.signals
        for evidence in found.evidence
        if evidence.field == "messages[0].text"
    ]
    for _, evidence in in_message:
        assert evidence.start is not None
        assert MARKUP_MESSAGE[evidence.start : evidence.end] == evidence.excerpt
    quoted = [(code, evidence.excerpt) for code, evidence in in_message]
    assert ("obfuscation.hidden_characters", "<script>ale\u200brt(1)</script>") in quoted
    assert ("obfuscation.homoglyphs", "[bold]Wh\u0430tsApp[/bold]") in quoted
    assert ("channel.off_platform", "Wh\u0430tsApp") in quoted
    hidden = signal_of(assessment, "obfuscation.hidden_characters")
    assert "'<script>ale·rt(1)</script>'" in hidden.explanation
    dumped = json.loads(assessment.model_dump_json())
    assert "<script>ale\u200brt(1)</script>" in json.dumps(dumped, ensure_ascii=False)


def test_the_readable_report_prints_markup_literally(tmp_path: Path) -> None:
    path = tmp_path / "markup.json"
    path.write_text(json.dumps(MARKUP_PROFILE, ensure_ascii=False), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "linkvet", "check", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "200", "NO_COLOR": "1"},
        check=False,
    )
    assert result.returncode in {0, 3, 4}, result.stderr
    shown = result.stdout
    for literal in (
        "[bold]Mallory[/bold] Reed",
        "[red]Partner[/red] <i>at</i> Lumen",
        "[bold]Wh\u0430tsApp[/bold]",
        "[link=https://evil.example]cl\u200bick[/link]",
        "<script>ale\u200brt(1)</script>",
        "<script>ale·rt(1)</script>",
    ):
        assert literal in shown, literal
