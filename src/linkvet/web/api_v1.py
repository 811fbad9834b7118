"""The JSON API under /api/v1: everything the pages do, for scripts and other tools.

Every call but `health` needs a token (`Authorization: Bearer lv_...`, made with `linkvet token
create`) with the scope the call names; every error is the one envelope of `errors.py`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from linkvet import __version__
from linkvet.ingest.reading import InputReading
from linkvet.model import Assessment, Profile
from linkvet.store import TOKEN_SCOPES, TokenRecord
from linkvet.web.checking import ANSWER_FIELDS, CheckInput, checks_of, safe_name
from linkvet.web.errors import ApiError

router = APIRouter()
Scope = Literal["assess", "report", "learn", "cases"]


class ErrorBody(BaseModel):
    code: str
    message: str
    details: list[Any] = []


class ErrorEnvelope(BaseModel):
    error: ErrorBody


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorEnvelope, "description": description}
    for status, description in (
        (401, "no token, or an unknown or revoked one"),
        (403, "a token without the scope this call needs"),
        (413, "the body is larger than the limit"),
        (422, "the input cannot be read as a profile"),
    )
}


def require(scope: Scope) -> Any:
    """A dependency that lets the call through only with a token carrying `scope`."""

    def check_token(request: Request) -> None:
        header = request.headers.get("authorization", "")
        kind, _, token = header.partition(" ")
        if kind.lower() != "bearer" or not token.strip():
            raise ApiError(401, "an API token is needed: 'Authorization: Bearer <token>'")
        store = request.app.state.store
        record = store.verify_token(token.strip(), scope)
        if record is not None:
            request.state.token = record
            return
        if any(store.verify_token(token.strip(), other) for other in TOKEN_SCOPES):
            raise ApiError(403, f"the token lacks the '{scope}' scope")
        raise ApiError(401, "the token is unknown or revoked")

    return Depends(check_token)


def token_of(request: Request) -> TokenRecord:
    """The token that `require` let through."""
    token: TokenRecord = request.state.token
    return token


# One of the person's answers: yes, no, unsure, or empty for "not asked".
AnswerField = Annotated[str, Form(pattern="^(|yes|no|unsure)$")]


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    linkvet: str


@router.get("/health", response_model=Health, tags=["meta"])
def health() -> Health:
    """Whether the service is up (no token needed)."""
    return Health(linkvet=__version__)


@router.post(
    "/assess", response_model=Assessment, responses=ERRORS, tags=["assess"],
    dependencies=[require("assess")],
)  # fmt: skip
def assess(profile: Profile, request: Request) -> Response:
    """Assess one profile given as linkvet JSON (see `linkvet schema profile`). Nothing is kept."""
    # Serialised here rather than by FastAPI, which would validate the assessment once more.
    assessment = checks_of(request).assess(profile)
    return Response(assessment.model_dump_json(), media_type="application/json")


class CheckResponse(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str = Field(description="the check's id: GET /check/{id} shows it, and reports use it")
    assessment: Assessment
    read: InputReading | None = None


@router.post(
    "/checks", response_model=CheckResponse, responses=ERRORS, tags=["assess"],
    dependencies=[require("assess")],
)  # fmt: skip
def create_check(
    request: Request,
    file: Annotated[
        UploadFile | None, File(description="a screenshot, LinkedIn PDF or JSON")
    ] = None,
    photo: Annotated[UploadFile | None, File(description="the profile photo")] = None,
    profile_text: Annotated[str, Form(max_length=100_000)] = "",
    messages_text: Annotated[str, Form(max_length=100_000)] = "",
    wrote_straight_after_connecting: AnswerField = "",
    shared_contacts: AnswerField = "",
    contacts_vouched: AnswerField = "",
    asked_to_move_channel: AnswerField = "",
    asked_about_work_access: AnswerField = "",
    offered_money_travel_gifts: AnswerField = "",
) -> CheckResponse:
    """A check as on the check page: a file or pasted text, the messages, a photo, and the
    person's answers (yes / no / unsure). The result is kept for a week under its id."""
    given = {
        "wrote_straight_after_connecting": wrote_straight_after_connecting,
        "shared_contacts": shared_contacts,
        "contacts_vouched": contacts_vouched,
        "asked_to_move_channel": asked_to_move_channel,
        "asked_about_work_access": asked_about_work_access,
        "offered_money_travel_gifts": offered_money_travel_gifts,
    }
    answers = {name: given[name] for name in ANSWER_FIELDS if given[name]}
    record = checks_of(request).check(
        CheckInput(
            upload=file.file.read() if file and file.filename else None,
            upload_name=safe_name(file.filename if file else None),
            photo=photo.file.read() if photo and photo.filename else None,
            profile_text=profile_text,
            messages_text=messages_text,
            answers=answers or None,
        )
    )
    return CheckResponse(id=record.id, assessment=record.assessment, read=record.read)


class ReportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    check_id: str = Field(pattern=r"^[A-Za-z0-9_-]{22}$")
    note: str = Field(default="", max_length=5_000)
    reporter_name: str | None = Field(default=None, max_length=200)
    reporter_contact: str | None = Field(default=None, max_length=200)
    team: str | None = Field(
        default=None, max_length=200, description="the team or sector approached"
    )


class ReportResponse(BaseModel):
    id: str
    created_at: dt.datetime
    status: str


@router.post(
    "/reports", response_model=ReportResponse, status_code=201, responses=ERRORS,
    tags=["report"], dependencies=[require("report")],
)  # fmt: skip
def create_report(body: ReportRequest, request: Request) -> ReportResponse:
    """Send a check, with a note, to the organisation's security team (stored as a case)."""
    record = checks_of(request).load(body.check_id)
    if record is None:
        raise ApiError(404, "no such check (checks are kept for a week)")
    report = request.app.state.store.add_report(
        record.assessment, record.profile, note=body.note,
        reporter_name=body.reporter_name, reporter_contact=body.reporter_contact,
        team=body.team, source_check=body.check_id, organisation=token_of(request).organisation,
    )  # fmt: skip
    return ReportResponse(id=report.id, created_at=report.created_at, status=report.status)


def pdf_response(data: bytes, filename: str) -> Response:
    return Response(
        data,
        media_type="application/pdf",
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )
