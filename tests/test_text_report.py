"""The terminal report never passes a profile's control characters through to the terminal."""

from __future__ import annotations

import io

from rich.console import Console

from linkvet.engine import Engine
from linkvet.model import Profile
from linkvet.report.text import printable, render_assessment


def test_escape_sequences_in_a_profile_are_shown_not_obeyed() -> None:
    hostile = "Eve\x1b[2J\x1b]0;pwned\x07 \u202eevil"
    profile = Profile(
        name=hostile, headline=hostile, invitation={"text": f"Hello {hostile}, paid reports?"}
    )
    assessment = Engine().assess(profile)
    buffer = io.StringIO()
    Console(file=buffer, force_terminal=False, width=120).print(
        render_assessment(assessment, source=hostile)
    )
    shown = buffer.getvalue()
    assert "\x1b" not in shown
    assert "\x07" not in shown
    assert "\u202e" not in shown
    assert "\\u001b[2J" in shown


def test_printable_keeps_ordinary_text_and_line_breaks() -> None:
    assert printable("Zoë Ünal\n— Straße\tok") == "Zoë Ünal\n— Straße\tok"
    assert printable("a\x00b\x9bc") == "a\\u0000b\\u009bc"
