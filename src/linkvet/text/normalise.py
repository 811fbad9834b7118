"""Text as the phrase rules see it, with a map back to the text as written.

Matching runs on a normalised copy: compatibility forms folded (NFKC: full-width letters, ligatures),
accents removed, case folded, invisible characters dropped, and look-alike letters from another
alphabet inside a Latin word replaced by their Latin twins. Every character of the copy remembers
the offset of the character it came from, so that evidence always points into the original text.

The invisible characters and look-alikes are not only removed: where they sit inside a word they
are a trick to dodge filters, and `NormalisedText` records them as evidence of it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Final

# Format characters that render as nothing: zero-width space, joiners, word joiner, byte-order
# mark, soft hyphen, the bidirectional controls, and the invisible maths operators.
INVISIBLE: Final = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u3164\ufeff\uffa0"
)

# Cyrillic and Greek letters that look like Latin ones (after case folding), as escapes so that
# the source itself shows no look-alikes.
CONFUSABLE_LATIN: Final[dict[str, str]] = {
    "\u0430": "a", "\u0432": "b", "\u0435": "e", "\u0451": "e", "\u043a": "k", "\u043c": "m",
    "\u043d": "h", "\u043e": "o", "\u0440": "p", "\u0441": "c", "\u0442": "t", "\u0443": "y",
    "\u0445": "x", "\u0456": "i", "\u0457": "i", "\u0458": "j", "\u0455": "s", "\u0501": "d",
    "\u051b": "q", "\u051d": "w", "\u04af": "y", "\u04bb": "h", "\u04cf": "l", "\u03b1": "a",
    "\u03b2": "b", "\u03b5": "e", "\u03b7": "n", "\u03b9": "i", "\u03ba": "k", "\u03bd": "v",
    "\u03bf": "o", "\u03c1": "p", "\u03c4": "t", "\u03c5": "u", "\u03c7": "x",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Obfuscation:
    """Where in the original text a trick was found, and what kind."""

    kind: str  # "hidden_characters" or "homoglyphs"
    start: int
    end: int


@dataclass(slots=True)
class NormalisedText:
    original: str
    text: str
    # origin[i] is the offset in `original` of the character that became text[i]; one extra
    # entry at the end maps the end of the text.
    origin: list[int]
    obfuscations: list[Obfuscation] = field(default_factory=list)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of text[start:end]."""
        first = self.origin[start]
        last = self.origin[end - 1] + 1 if end > start else first
        return first, last

    def excerpt(self, start: int, end: int) -> tuple[str, int, int]:
        """The original text behind text[start:end], with its offsets."""
        first, last = self.span(start, end)
        return self.original[first:last], first, last


def normalise(original: str) -> NormalisedText:
    """Fold `original` for matching; linear in its length."""
    if original.isascii():  # the common case: only case to fold, nothing hidden or foreign
        return NormalisedText(original, original.lower(), list(range(len(original) + 1)))
    chars: list[str] = []
    origin: list[int] = []
    result = NormalisedText(original=original, text="", origin=origin)
    run_start: int | None = None  # where the current run of invisible characters began
    for index, char in enumerate(original):
        if is_invisible(char):
            if run_start is None:
                run_start = index
            continue
        if run_start is not None:
            # Between two Latin letters the run hides a word from filters; elsewhere (emoji
            # sequences, the Persian zero-width non-joiner) it is ordinary spelling.
            if run_start > 0 and _latin(original[run_start - 1]) and _latin(char):
                result.obfuscations.append(Obfuscation("hidden_characters", run_start, index))
            run_start = None
        for folded in _fold(char):
            chars.append(folded)
            origin.append(index)
    origin.append(len(original))
    _replace_lookalikes(result, chars)
    return result


def is_invisible(char: str) -> bool:
    """Whether `char` renders as nothing: format characters, variation selectors, tag characters."""
    code = ord(char)
    return (
        char in INVISIBLE
        or 0xFE00 <= code <= 0xFE0F
        or 0x180B <= code <= 0x180D
        or 0x206A <= code <= 0x206F
        or 0xE0000 <= code <= 0xE007F
        or 0xE0100 <= code <= 0xE01EF
    )


@cache
def _fold(char: str) -> str:
    """One character NFKC-folded, without accents, case-folded (may be several characters, or
    none: a combining accent on its own, as in decomposed text, folds to nothing)."""
    decomposed = unicodedata.normalize("NFKD", char)
    stripped = "".join(part for part in decomposed if not unicodedata.combining(part))
    return unicodedata.normalize("NFKC", stripped).casefold().replace("\u2019", "'")


@cache
def _latin(char: str) -> bool:
    if char.isascii():
        return char.isalpha()
    return char.isalpha() and unicodedata.name(char, "").startswith("LATIN")


def _replace_lookalikes(result: NormalisedText, chars: list[str]) -> None:
    """Swap Cyrillic or Greek look-alikes inside mostly-Latin words for Latin letters."""
    start = None
    for index in range(len(chars) + 1):
        letter = index < len(chars) and chars[index].isalpha()
        if letter and start is None:
            start = index
        elif not letter and start is not None:
            _fix_word(result, chars, start, index)
            start = None
    result.text = "".join(chars)


def _fix_word(result: NormalisedText, chars: list[str], start: int, end: int) -> None:
    word = chars[start:end]
    foreign = [i for i, char in enumerate(word) if char in CONFUSABLE_LATIN]
    latin = sum(1 for char in word if "a" <= char <= "z")
    # A Cyrillic or Greek word stays as it is, and so does a unit such as "kΩ": only a word
    # mostly of Latin letters with a look-alike among them is a trick.
    if not foreign or latin < 2 or latin < len(foreign):
        return
    for offset in foreign:
        chars[start + offset] = CONFUSABLE_LATIN[chars[start + offset]]
    first, last = result.span(start, end)
    result.obfuscations.append(Obfuscation("homoglyphs", first, last))
