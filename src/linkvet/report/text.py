"""The readable report that `linkvet check` prints: verdict, reasons with evidence, advice, and
what was not checked. Profile text is always shown as plain text, never as console markup."""

from __future__ import annotations

from typing import Final

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from linkvet.ingest.reading import InputReading
from linkvet.model import Assessment, Band, Evidence, Reason, Signal

BAND_STYLE: Final = {Band.LOW: "bold green", Band.MEDIUM: "bold yellow", Band.HIGH: "bold red"}
VERDICT: Final = {
    Band.LOW: "Low risk: nothing in what linkvet can see stands out.",
    Band.MEDIUM: "Medium risk: some warning signs. Check before you accept or reply.",
    Band.HIGH: "High risk: several warning signs of a fake persona or a disguised approach.",
}
# Reasons shown in full; the rest are counted, so that a long history cannot bury the verdict.
MAX_SHOWN_REASONS: Final = 12
MAX_EXCERPT: Final = 120


def render_assessment(assessment: Assessment, *, source: str | None = None) -> RenderableType:
    title = Text()
    title.append(printable(assessment.subject.name or "Unnamed contact"), style="bold")
    if assessment.subject.headline:
        title.append(f" — {printable(assessment.subject.headline)}")
    band = assessment.band
    verdict = Text()
    verdict.append(f" {band.value.upper()} ", style=f"reverse {BAND_STYLE[band]}")
    verdict.append(f"  {VERDICT[band]}  ")
    verdict.append(
        f"(estimated probability {assessment.probability:.0%}, prior {assessment.prior:.0%})",
        style="dim",
    )
    parts: list[RenderableType] = [verdict, Text()]
    weighed = tuple(reason for reason in assessment.reasons if reason.contribution != 0)
    parts.append(_reasons_table(weighed))
    notes = [reason.signal for reason in assessment.reasons if reason.contribution == 0]
    not_checked = [f"{skip.id}: {skip.reason}" for skip in assessment.detectors_skipped]
    pictures = sorted(
        {item.picture for signal in assessment.signals for item in signal.evidence if item.picture}
    )
    sections = (
        _bullets("Also seen (not counted)", [_note(signal) for signal in notes]),
        _bullets("Pictures of the evidence", pictures, style="bold cyan"),
        _bullets("What to do", assessment.advice),
        _bullets("Not checked", not_checked, style="dim"),
        _bullets("What linkvet cannot see", assessment.limitations, style="dim"),
    )
    parts.extend(section for section in sections if section.plain)
    subtitle = Text(printable(source), style="dim") if source else None
    return Panel(Group(*parts), title=title, subtitle=subtitle, border_style=BAND_STYLE[band])


def _reasons_table(reasons: tuple[Reason, ...]) -> RenderableType:
    if not reasons:
        return Text("No warning signs found by the checks that ran.", style="green")
    table = Table(title="Reasons, strongest first", title_justify="left", expand=True)
    table.add_column("counts", justify="right", no_wrap=True)
    table.add_column("group", no_wrap=True)
    table.add_column("what was seen", ratio=3)
    table.add_column("evidence", ratio=2)
    for reason in reasons[:MAX_SHOWN_REASONS]:
        signal = reason.signal
        style = "red" if reason.contribution > 0 else "green"
        table.add_row(
            Text(f"{reason.contribution:+.2f}", style=style),
            Text(signal.group.value),
            Text(printable(signal.explanation)),
            _evidence_text(signal.evidence),
        )
    hidden = len(reasons) - MAX_SHOWN_REASONS
    if hidden > 0:
        table.caption = f"... and {hidden} weaker reason(s); --format json lists them all"
    return table


def _evidence_text(evidence: tuple[Evidence, ...]) -> Text:
    text = Text()
    for index, item in enumerate(evidence):
        if index:
            text.append("\n")
        text.append(item.field, style="cyan")
        if item.excerpt is not None:
            text.append(": ")
            # The exact words that triggered the cue, highlighted, with where they are.
            text.append(_shorten(item.excerpt), style="bold black on yellow")
            if item.start is not None:
                text.append(f" [{item.start}:{item.end}]", style="dim")
        elif item.value is not None:
            text.append(": ")
            text.append(_shorten(str(item.value)), style="bold")
    return text


def _note(signal: Signal) -> str:
    """A signal that counts for nothing, with any links or values it carries, in full."""
    values = [
        str(item.value)
        for item in signal.evidence
        if isinstance(item.value, str) and "://" in item.value
    ]
    return "\n      ".join([signal.explanation, *values])


def _bullets(heading: str, lines: tuple[str, ...] | list[str], *, style: str = "") -> Text:
    text = Text()
    if not lines:
        return text
    text.append(f"{heading}\n", style="bold")
    for line in lines:
        text.append("  • ")
        text.append(printable(line), style=style)
        text.append("\n")
    return text


# Terminal control characters and bidirectional overrides in a profile's text could rewrite the
# screen or hide words; they are shown as escapes instead.
_HIDDEN: Final = {
    code: f"\\u{code:04x}"
    for code in (*range(0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F),
                 *range(0x2066, 0x206A))
    if chr(code) not in "\n\t"
}  # fmt: skip


def printable(text: str) -> str:
    """`text` safe to print on a terminal: control characters shown as \\uXXXX escapes."""
    return text.translate(_HIDDEN)


def _shorten(text: str) -> str:
    flat = " ".join(printable(text).split())
    return flat if len(flat) <= MAX_EXCERPT else flat[: MAX_EXCERPT - 1] + "…"


READ_FROM: Final = {
    "screenshot": "Read from the screenshot",
    "linkedin-pdf": "Read from LinkedIn's PDF",
    "json-resume": "Read from JSON Resume",
    "json": "Read from linkvet JSON",
}


def render_reading(reading: InputReading) -> RenderableType:
    """What was read from a file, and from where: so that a misreading is seen, not trusted."""
    parts: list[RenderableType] = []
    if reading.fields:
        placed = any(item.box is not None for item in reading.fields)
        table = Table(box=None, pad_edge=False, show_header=True, header_style="dim")
        columns = (
            ("field", "read as", "where (x, y)", "OCR confidence")
            if placed
            else ("field", "read as")
        )
        for column in columns:
            table.add_column(column)
        for item in reading.fields:
            row: list[str | Text] = [item.field, Text(_clip(printable(item.text), 90))]
            if placed:
                row.append(f"{item.box[0]}, {item.box[1]}" if item.box else "—")
                row.append(f"{item.confidence:.0f}" if item.confidence is not None else "—")
            table.add_row(*row)
        parts.append(table)
    extra = [*(f"skipped: {printable(note)}" for note in reading.skipped)]
    if reading.picture:
        extra.append(f"boxes drawn on: {reading.picture}")
    parts.extend(Text(line, style="dim") for line in extra)
    if not parts:
        parts.append(Text("(no details)", style="dim"))
    return Panel(Group(*parts), title=READ_FROM[reading.kind], border_style="dim")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
