"""Marking the "Spot the fake" quiz: right or wrong per item with the explanation, the total,
the percentage and whether it is a pass (80% or more)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Final, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from linkvet.learn.content import ANSWERS, Answer, IndicatorCode, Quiz

PASS_MARK: Final = 80  # percent


class ItemResult(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    item_id: str
    given: Answer | None  # None: not answered, or not one of the two answers
    answer: Answer
    correct: bool
    explanation: str
    indicators: tuple[IndicatorCode, ...] = ()

    @model_validator(mode="after")
    def _marked_right(self) -> Self:
        if self.correct != (self.given == self.answer):
            raise ValueError("correct must say whether the given answer is the answer")
        return self


class QuizResult(BaseModel):
    """A marked quiz. Its numbers are checked against its items, so a result built by hand
    cannot claim a pass it did not earn."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    quiz_title: str
    items: tuple[ItemResult, ...] = Field(min_length=1)
    correct: int = Field(ge=0)
    total: int = Field(ge=1)
    percentage: float = Field(ge=0, le=100)
    passed: bool
    pass_mark: Literal[80] = PASS_MARK

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.total != len(self.items):
            raise ValueError("total must be the number of items")
        if self.correct != sum(item.correct for item in self.items):
            raise ValueError("correct must be the number of items answered correctly")
        if not math.isclose(self.percentage, 100 * self.correct / self.total):
            raise ValueError("percentage does not match correct and total")
        if self.passed != _passes(self.correct, self.total, self.pass_mark):
            raise ValueError("passed does not match the score and the pass mark")
        return self

    @property
    def percent_label(self) -> str:
        """The percentage as people read it, rounded down so that a fail never shows the mark."""
        return f"{math.floor(self.percentage)}%"


def score_quiz(quiz: Quiz, answers: Mapping[str, str]) -> QuizResult:
    """Mark `answers` (item id -> "likely_fake" or "likely_genuine"). An item left out, or given
    anything else, is wrong; ids that are not in the quiz are ignored."""
    items = []
    for item in quiz.items:
        raw = answers.get(item.id)
        given = next((answer for answer in ANSWERS if answer == raw), None)
        items.append(
            ItemResult(
                item_id=item.id,
                given=given,
                answer=item.answer,
                correct=given == item.answer,
                explanation=item.explanation,
                indicators=item.indicators,
            )
        )
    correct = sum(item.correct for item in items)
    total = len(items)
    return QuizResult(
        quiz_title=quiz.title,
        items=tuple(items),
        correct=correct,
        total=total,
        percentage=100 * correct / total,
        passed=_passes(correct, total, PASS_MARK),
    )


def _passes(correct: int, total: int, pass_mark: int) -> bool:
    return correct * 100 >= pass_mark * total  # in integers: 4 of 5 is exactly 80%
