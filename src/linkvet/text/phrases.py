"""Phrase rules: a small pattern language over words, matched in time linear in the text.

Rule files hold patterns such as `fee*|paid ... report*|paper*`. Rather than hand rule authors
regular expressions (one careless `(a+)+` hangs the process on a crafted message), a pattern is a
sequence of word tokens:

    word        that word (accents and case do not matter: "Réunion" matches "reunion")
    word*       the word with up to 8 more letters: `pay*` matches pay, pays, payment
    a|b|c       any one of the alternatives; an alternative may itself be several words joined
                by `-`, `.` or `_` ("e-mail" matches "e-mail", "e mail" and "email")
    #           any number ("# hours")
    ...         up to 3 words in between (`...5`: up to 5)

Consecutive tokens must be neighbours in the text, in the same sentence. A match preceded in
its clause, within a few words, or containing one, by a negation ("we do *not* offer payment",
"*keine* Bezahlung", "*sans* frais") is dropped, unless the pattern is listed as `fixed`. Matching walks the words
once and tries only the patterns whose first token fits the word, so the cost per word is
bounded by the rules, not by the text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from pydantic import BaseModel, ConfigDict, Field, field_validator

from linkvet.text.normalise import NormalisedText, normalise

MAX_GAP: Final = 6
PREFIX_EXTRA: Final = 8
MIN_PREFIX: Final = 2
# Words longer than this are not words (base64 blobs, URLs run together); prefix look-up stops.
MAX_WORD: Final = 40

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_ELISION = re.compile(
    r"(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quelqu|dell|dall|nell|sull)'(?=[^\W_]{2})"
)
_SPLIT_ALTERNATIVE = re.compile(r"[-._/]+")
# A sentence ends at these: a full stop only before a space ("wa.me" is one phrase), a line break
# only when a blank line follows (pasted e-mails wrap lines mid-sentence).
_SENTENCE_BREAK = re.compile(r"[!?;]|\.\s|\n[^\S\n]*\n")
# Words after which a full stop ends an abbreviation, not a sentence.
_ABBREVIATIONS: Final = frozenset(
    "dr mr mrs ms prof approx etc eg ie vs no st jr sr inc ltd co corp dept est fig min max "
    "jan feb mar apr jun jul aug sep sept oct nov dec ca cf al".split()
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PhraseRule(_Frozen):
    """The patterns of one indicator, by language code ("en", "de", ...).

    `phrases` are dropped when negated; `fixed` patterns carry their own negation ("not
    published anywhere") and are never dropped.
    """

    phrases: dict[str, tuple[str, ...]] = Field(min_length=1)
    fixed: dict[str, tuple[str, ...]] = Field(default_factory=dict)

    @field_validator("phrases", "fixed")
    @classmethod
    def _patterns_compile(cls, value: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for patterns in value.values():
            for pattern in patterns:
                compile_pattern(pattern)  # raises ValueError naming the problem
        return value


class Negation(_Frozen):
    """How negation is recognised, by language: the words, the words after a negation that undo
    it ("don't *hesitate*", "no *doubt*"), and the words that end a clause ("but")."""

    window: int = Field(ge=1, le=8)
    words: dict[str, tuple[str, ...]]
    not_after: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    clause_breaks: dict[str, tuple[str, ...]] = Field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Compiling patterns.

Alternative = tuple[tuple[str, bool], ...]  # words, each (text, is_prefix)


@dataclass(frozen=True, slots=True)
class Words:
    alternatives: tuple[Alternative, ...]
    # What the first word must be, for a quick refusal before trying each alternative.
    firsts: frozenset[str]
    first_prefixes: tuple[str, ...]

    @classmethod
    def of(cls, alternatives: tuple[Alternative, ...]) -> Words:
        heads = [alternative[0] for alternative in alternatives]
        return cls(
            alternatives,
            frozenset(word for word, prefix in heads if not prefix),
            tuple(word for word, prefix in heads if prefix),
        )

    def may_start(self, word: str) -> bool:
        return word in self.firsts or word.startswith(self.first_prefixes)


@dataclass(frozen=True, slots=True)
class Number:
    pass


@dataclass(frozen=True, slots=True)
class Gap:
    most: int


Element = Words | Number | Gap


def compile_pattern(pattern: str) -> tuple[Element, ...]:
    """The elements of `pattern`; ValueError names what is wrong with it."""
    elements: list[Element] = []
    for token in pattern.split():
        if token.startswith("..."):
            most = int(token[3:]) if token[3:].isdigit() else 3
            if (token[3:] and not token[3:].isdigit()) or not 1 <= most <= MAX_GAP:
                raise ValueError(
                    f"pattern {pattern!r}: a gap is '...' or '...N' with N <= {MAX_GAP}"
                )
            if not elements or isinstance(elements[-1], Gap):
                raise ValueError(f"pattern {pattern!r}: a gap must follow a word")
            elements.append(Gap(most))
        elif token == "#":  # noqa: S105 (a pattern token, not a password)
            elements.append(Number())
        else:
            elements.append(Words.of(tuple(_alternatives(token, pattern))))
    if not elements or isinstance(elements[-1], Gap):
        raise ValueError(f"pattern {pattern!r}: must start and end with a word")
    return tuple(elements)


def _alternatives(token: str, pattern: str) -> Iterator[Alternative]:
    for choice in token.split("|"):
        prefix = choice.endswith("*")
        body = normalise(choice.removesuffix("*")).text
        pieces = [piece for piece in _SPLIT_ALTERNATIVE.split(body) if piece]
        if not pieces or any(not _WORD.fullmatch(piece) for piece in pieces):
            raise ValueError(f"pattern {pattern!r}: {choice!r} is not a word")
        # Split as the text will be: "d'autre" is the two words "d'" and "autre".
        parts = [token.text for piece in pieces for token in tokenize(piece)]
        if prefix and len(parts[-1]) < MIN_PREFIX:
            raise ValueError(f"pattern {pattern!r}: {choice!r} is too short to take '*'")
        words = tuple((part, prefix and last) for last, part in _last_flags(parts))
        yield words
        if len(parts) > 1:  # "e-mail" is also written "email"
            yield (("".join(parts), prefix),)


def _last_flags(parts: list[str]) -> Iterator[tuple[bool, str]]:
    for index, part in enumerate(parts):
        yield index == len(parts) - 1, part


# ---------------------------------------------------------------------------------------------
# Matching.


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    clause: int


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    """A rule that matched: offsets are into the original text."""

    code: str
    excerpt: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Compiled:
    code: str
    elements: tuple[Element, ...]
    negatable: bool


class PhraseMatcher:
    """All patterns of a set of rules, indexed by what their first word can be."""

    def __init__(self, rules: Mapping[str, PhraseRule], negation: Negation) -> None:
        self._exact: dict[str, list[_Compiled]] = defaultdict(list)
        self._prefix: dict[str, list[_Compiled]] = defaultdict(list)
        self._numeric: list[_Compiled] = []
        for code, rule in rules.items():
            for negatable, by_language in ((True, rule.phrases), (False, rule.fixed)):
                for patterns in by_language.values():
                    for pattern in patterns:
                        self._index(_Compiled(code, compile_pattern(pattern), negatable))
        self._window = negation.window
        negators = _folded_words(negation.words)
        self._negators = negators
        self._not_after = _folded_words(negation.not_after)
        self._breaks = _folded_words(negation.clause_breaks)

    def _index(self, compiled: _Compiled) -> None:
        first = compiled.elements[0]
        if isinstance(first, Number):
            self._numeric.append(compiled)
            return
        assert isinstance(first, Words)
        for alternative in first.alternatives:
            word, prefix = alternative[0]
            (self._prefix if prefix else self._exact)[word].append(compiled)

    def find(self, text: str | NormalisedText) -> list[PhraseMatch]:
        """Every non-negated match in `text`, at most one per rule and starting word."""
        folded = text if isinstance(text, NormalisedText) else normalise(text)
        tokens = tokenize(folded.text)
        found: list[PhraseMatch] = []
        # Per rule, the token just past its last match: overlapping matches count once.
        covered: dict[str, int] = {}
        for index, token in enumerate(tokens):
            for compiled in self._candidates(token.text):
                if covered.get(compiled.code, 0) > index:
                    continue
                end = _match(compiled.elements, 0, tokens, index, token.clause)
                if end is None:
                    continue
                if compiled.negatable and self._negated(tokens, index, end):
                    continue
                covered[compiled.code] = end
                excerpt, start, stop = folded.excerpt(token.start, tokens[end - 1].end)
                found.append(PhraseMatch(compiled.code, excerpt, start, stop))
        return found

    def _candidates(self, word: str) -> Iterator[_Compiled]:
        yield from self._exact.get(word, ())
        for length in range(MIN_PREFIX, min(len(word), MAX_WORD) + 1):
            yield from self._prefix.get(word[:length], ())
        if word.isdigit():
            yield from self._numeric

    def _negated(self, tokens: Sequence[Token], index: int, end: int) -> bool:
        """Whether a negation precedes tokens[index:end] in its clause, or sits inside it
        ("we do *not* offer payment for reports")."""
        if any(self._negates(tokens, inside) for inside in range(index + 1, end - 1)):
            return True
        clause = tokens[index].clause
        for back in range(index - 1, max(-1, index - 1 - self._window), -1):
            token = tokens[back]
            if token.clause != clause or token.text in self._breaks:
                return False
            if self._negates(tokens, back):
                return True
        return False

    def _negates(self, tokens: Sequence[Token], index: int) -> bool:
        word = tokens[index].text
        if not (word in self._negators or word.endswith("n't")):
            return False
        following = tokens[index + 1].text if index + 1 < len(tokens) else ""
        return following not in self._not_after


def tokenize(text: str) -> list[Token]:
    """The words of (normalised) text, each with its offsets and the number of its sentence."""
    tokens = []
    clause = 0
    breaks = [
        found.start()
        for found in _SENTENCE_BREAK.finditer(text)
        if not _abbreviated(text, found.start())
    ]
    next_break = 0
    for match in _WORD.finditer(text):
        if next_break < len(breaks) and breaks[next_break] < match.start():
            clause += 1
            while next_break < len(breaks) and breaks[next_break] < match.start():
                next_break += 1
        word, start = match.group(), match.start()
        if elided := _ELISION.match(word):
            # French and Italian elisions are words of their own: "n'offrons" is "n'" + "offrons".
            cut = elided.end()
            tokens.append(Token(word[:cut], start, start + cut, clause))
            word, start = word[cut:], start + cut
        tokens.append(Token(word, start, match.end(), clause))
    return tokens


def _abbreviated(text: str, position: int) -> bool:
    """Whether the full stop at `position` closes an abbreviation ("approx.", "U.S.", "Dr.")."""
    if text[position] != ".":
        return False
    start = position
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "."):
        start -= 1
    word = text[start:position].replace(".", "")
    return word in _ABBREVIATIONS or len(word) == 1 or "." in text[start:position]


def _match(
    elements: tuple[Element, ...], position: int, tokens: Sequence[Token], index: int, clause: int
) -> int | None:
    """The token index just past a match of elements[position:] starting at tokens[index]."""
    if position == len(elements):
        return index
    element = elements[position]
    if isinstance(element, Gap):
        for skip in range(element.most + 1):
            end = _match(elements, position + 1, tokens, index + skip, clause)
            if end is not None:
                return end
        return None
    if index >= len(tokens) or tokens[index].clause != clause:
        return None
    if isinstance(element, Number):
        if not tokens[index].text.isdigit():
            return None
        return _match(elements, position + 1, tokens, index + 1, clause)
    if not element.may_start(tokens[index].text):
        return None
    for alternative in element.alternatives:
        after = _match_words(alternative, tokens, index, clause)
        if after is not None:
            end = _match(elements, position + 1, tokens, after, clause)
            if end is not None:
                return end
    return None


def _match_words(
    words: Alternative, tokens: Sequence[Token], index: int, clause: int
) -> int | None:
    for offset, (word, prefix) in enumerate(words):
        position = index + offset
        if position >= len(tokens) or tokens[position].clause != clause:
            return None
        text = tokens[position].text
        if prefix:
            if not (text.startswith(word) and len(text) - len(word) <= PREFIX_EXTRA):
                return None
        elif text != word:
            return None
    return index + len(words)


def _folded_words(by_language: Mapping[str, Sequence[str]]) -> frozenset[str]:
    return frozenset(normalise(word).text for words in by_language.values() for word in words)
