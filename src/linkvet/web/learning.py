"""Learn the signs: the modules, the "spot the fake" quiz with its score, and the certificate,
as pages and under /api/v1/learn. The content is data (linkvet.learn): a security team adds its
own with $LINKVET_LEARN_DIR."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from linkvet.learn import (
    CertificateError,
    Module,
    Quiz,
    QuizResult,
    certificate_pdf,
    load_modules,
    load_quiz,
    score_quiz,
)
from linkvet.web.api_v1 import ERRORS, pdf_response, require
from linkvet.web.errors import ApiError
from linkvet.web.rendering import read_form, render

pages = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/learn", tags=["learn"], dependencies=[require("learn")])
ANSWERS = ("likely_fake", "likely_genuine")


def _modules(request: Request) -> list[Module]:
    return load_modules(request.app.state.settings.learn_dir)


def _module(request: Request, module_id: str) -> Module:
    module = next((m for m in _modules(request) if m.id == module_id), None)
    if module is None:
        raise ApiError(404, "no such module")
    return module


def _quiz(request: Request) -> Quiz:
    return load_quiz(request.app.state.settings.learn_dir)


def _certificate(result: QuizResult, name: str, organisation: str | None) -> Response:
    try:
        data = certificate_pdf(
            name=name, result=result, issued=dt.datetime.now(dt.UTC).date(),
            organisation=organisation or None,
        )  # fmt: skip
    except CertificateError as error:
        raise ApiError(422, str(error)) from None
    return pdf_response(data, "linkvet-certificate.pdf")


@pages.get("/learn")
def learn_index(request: Request) -> Response:
    return render(request, "learn_index.html", modules=_modules(request), quiz=_quiz(request))


@pages.get("/learn/quiz")
def quiz_page(request: Request) -> Response:
    return render(request, "quiz.html", quiz=_quiz(request), answers=ANSWERS)


@pages.post("/learn/quiz")
async def quiz_submit(request: Request) -> Response:
    form = await read_form(request)
    quiz = _quiz(request)
    given = {item.id: str(form.get(item.id) or "") for item in quiz.items}
    result = score_quiz(quiz, given)
    return render(request, "quiz_result.html", quiz=quiz, result=result, given=given)


@pages.post("/learn/quiz/certificate")
async def quiz_certificate(request: Request) -> Response:
    form = await read_form(request)
    quiz = _quiz(request)
    result = score_quiz(quiz, {item.id: str(form.get(item.id) or "") for item in quiz.items})
    name = form.get("name")
    organisation = form.get("organisation")
    return _certificate(
        result,
        name if isinstance(name, str) else "",
        organisation if isinstance(organisation, str) else None,
    )


@pages.get("/learn/{module_id}")
def module_page(request: Request, module_id: str) -> Response:
    return render(request, "learn_module.html", module=_module(request, module_id))


class ModuleSummary(BaseModel):
    id: str
    title: str
    summary: str
    minutes: int
    kind: str


@api.get("/modules", response_model=list[ModuleSummary], responses=ERRORS)
def api_modules(request: Request) -> list[ModuleSummary]:
    """The learning modules, in reading order."""
    return [
        ModuleSummary(id=m.id, title=m.title, summary=m.summary, minutes=m.minutes, kind=m.kind)
        for m in _modules(request)
    ]


@api.get("/modules/{module_id}", response_model=Module, responses=ERRORS)
def api_module(request: Request, module_id: str) -> Module:
    """One module, whole."""
    return _module(request, module_id)


class QuizQuestion(BaseModel):
    id: str
    card: dict[str, object]


class QuizQuestions(BaseModel):
    title: str
    summary: str
    items: list[QuizQuestion]


@api.get("/quiz", response_model=QuizQuestions, responses=ERRORS)
def api_quiz(request: Request) -> QuizQuestions:
    """The quiz without its answers: each item's profile card."""
    quiz = _quiz(request)
    return QuizQuestions(
        title=quiz.title,
        summary=quiz.summary,
        items=[QuizQuestion(id=i.id, card=i.card.model_dump(mode="json")) for i in quiz.items],
    )


AnswerMap = Annotated[
    dict[Annotated[str, StringConstraints(max_length=100)], str], Field(max_length=500)
]


class QuizAnswers(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: AnswerMap = Field(description='item id → "likely_fake" or "likely_genuine"')


@api.post("/quiz/score", response_model=QuizResult, responses=ERRORS)
def api_score(body: QuizAnswers, request: Request) -> QuizResult:
    """Mark a set of answers: each item right or wrong with its explanation, and the total."""
    return score_quiz(_quiz(request), body.answers)


class CertificateRequest(QuizAnswers):
    name: str = Field(min_length=1, max_length=100)
    organisation: str | None = Field(default=None, max_length=100)


@api.post(
    "/quiz/certificate", responses={**ERRORS, 200: {"content": {"application/pdf": {}}}},
    response_class=Response,
)  # fmt: skip
def api_certificate(body: CertificateRequest, request: Request) -> Response:
    """A PDF certificate for a pass (80% or more), to share with the security team."""
    return _certificate(score_quiz(_quiz(request), body.answers), body.name, body.organisation)
