"""/api/v1/cases: the security team's cases for scripts and other tools — list with filters,
read, change status or team (with the version read, as the pages do), add notes, export.

Every call needs a token with the `cases` scope and sees only the token's organisation.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from linkvet.model import Assessment, Band
from linkvet.store import CaseFilter, ReportRecord, ReportStatus, Store, TokenRecord
from linkvet.web.accounts import store_of
from linkvet.web.api_v1 import ERRORS, require, token_of
from linkvet.web.errors import ApiError
from linkvet.web.triage import download, export_document


def _not_for_caches(response: Response) -> None:
    response.headers["cache-control"] = "no-store"  # cases are not for shared caches


router = APIRouter(
    prefix="/cases", tags=["cases"], dependencies=[require("cases"), Depends(_not_for_caches)]
)
CASE_ERRORS = {
    **ERRORS,
    404: {"model": ERRORS[401]["model"], "description": "no such case in the token's organisation"},
}
CHANGE_ERRORS = {
    **CASE_ERRORS,
    409: {"model": ERRORS[401]["model"], "description": "the case changed since `version`"},
}
Status = Literal["new", "triaging", "confirmed_fake", "benign", "reported_to_platform"]


class CaseSummary(BaseModel):
    id: str
    created_at: dt.datetime
    updated_at: dt.datetime | None
    version: int = Field(description="send it back with a change: a newer version means 409")
    status: Status
    label: Literal[0, 1] | None = Field(
        description="the analyst's verdict for `linkvet evaluate`: 1 fake, 0 genuine"
    )
    band: Band
    probability: float
    subject_name: str | None
    subject_url: str | None
    team: str | None
    merged_into: str | None

    @classmethod
    def of(cls, case: ReportRecord) -> CaseSummary:
        return cls(
            id=case.id, created_at=case.created_at, updated_at=case.updated_at,
            version=case.version, status=case.status.value, label=case.label, band=case.band,
            probability=case.probability, subject_name=case.subject_name,
            subject_url=case.subject_url, team=case.team, merged_into=case.merged_into,
        )  # fmt: skip


class CaseList(BaseModel):
    cases: list[CaseSummary]
    total: int = Field(description="matching cases in all")
    limit: int
    offset: int


class RelatedCase(BaseModel):
    id: str
    subject_name: str | None
    band: Band
    status: Status
    reasons: list[str]


class CaseNote(BaseModel):
    author: str
    created_at: dt.datetime
    text: str


class CaseDetail(CaseSummary):
    note: str
    reporter_name: str | None
    reporter_contact: str | None
    assessment: Assessment
    related: list[RelatedCase]
    notes: list[CaseNote]


class CaseChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, description="the version the change was made on")
    status: Status | None = None
    team: str | None = Field(default=None, max_length=200, description="empty clears it")


class NoteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=5_000)


def _actor(token: TokenRecord) -> str:
    return f"API token {token.prefix}… ({token.name})"


def _filters(
    band: Band | None = None,
    status: Status | None = None,
    team: Annotated[str | None, Query(max_length=200)] = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    q: Annotated[str | None, Query(max_length=200, description="in the name or URL")] = None,
) -> CaseFilter:
    """The case list's filters, from the query string."""
    return CaseFilter(
        band=band, status=ReportStatus(status) if status else None, team=team,
        since=since, until=until, text=q,
    )  # fmt: skip


Filters = Annotated[CaseFilter, Depends(_filters)]


def _case(store: Store, token: TokenRecord, case_id: str) -> ReportRecord:
    case = store.get_report(case_id, organisation=token.organisation)
    if case is None:
        raise ApiError(404, "no such case")
    return case


def _detail(request: Request, case_id: str, *, viewed: bool = True) -> CaseDetail:
    """The case in full; a view goes into the audit log (a change is there already)."""
    token = token_of(request)
    organisation = token.organisation
    store = store_of(request)
    case = _case(store, token, case_id)
    if viewed:
        store.audit(organisation, actor=_actor(token), action="case.view",
                    target=f"case {case.id}", detail="through the API")  # fmt: skip
    return CaseDetail(
        **CaseSummary.of(case).model_dump(),
        note=case.note, reporter_name=case.reporter_name, reporter_contact=case.reporter_contact,
        assessment=case.assessment,
        related=[
            RelatedCase(id=link.other_id, subject_name=link.other_subject_name,
                        band=link.other_band, status=link.other_status.value,
                        reasons=list(link.reasons))
            for link in store.related(case.id, organisation=organisation)
        ],
        notes=[
            CaseNote(author=note.author, created_at=note.created_at, text=note.text)
            for note in store.notes(case.id, organisation=organisation)
        ],
    )  # fmt: skip


@router.get("", response_model=CaseList, responses=ERRORS)
def list_cases(
    request: Request,
    filters: Filters,
    limit: Annotated[int, Query(ge=1, le=1_000)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> CaseList:
    """The organisation's cases, newest first; merged duplicates are left out."""
    token = token_of(request)
    store = store_of(request)
    page = store.list_cases(
        token.organisation, filters=filters, limit=limit, offset=offset,
    )  # fmt: skip
    store.audit(token.organisation, actor=_actor(token), action="cases.list",
                target="case list", detail=f"through the API: {request.url.query or 'no filter'}"[:500])  # fmt: skip
    return CaseList(
        cases=[CaseSummary.of(case) for case in page.cases], total=page.total,
        limit=limit, offset=offset,
    )  # fmt: skip


@router.get(
    "/export/{kind}", responses={**ERRORS, 200: {"description": "the file"}},
    response_class=Response,
)  # fmt: skip
def export_cases(
    request: Request,
    kind: Literal["csv", "stix.json", "misp.json"],
    filters: Filters,
) -> Response:
    """The filtered cases (at most 1,000) as CSV, a STIX 2.1 bundle or a MISP event."""
    token = token_of(request)
    store = store_of(request)
    cases = store.list_cases(token.organisation, filters=filters, limit=1_000).cases
    data = export_document(store, cases, kind, organisation=token.organisation, actor=_actor(token))
    return download(data, kind, "linkvet-cases")


@router.get("/{case_id}", response_model=CaseDetail, responses=CASE_ERRORS)
def get_case(request: Request, case_id: str) -> CaseDetail:
    """A case with its assessment, related cases and notes."""
    return _detail(request, case_id)


@router.patch("/{case_id}", response_model=CaseDetail, responses=CHANGE_ERRORS)
def change_case(request: Request, case_id: str, change: CaseChange) -> CaseDetail:
    """Set the status (the analyst's verdict) or the team, if the case is still at `version`."""
    token = token_of(request)
    case = store_of(request).update_case(
        case_id, organisation=token.organisation, version=change.version, actor=_actor(token),
        status=change.status, team=change.team,
    )  # fmt: skip
    return _detail(request, case.id, viewed=False)


@router.post("/{case_id}/notes", response_model=CaseDetail, status_code=201, responses=CASE_ERRORS)
def add_note(request: Request, case_id: str, body: NoteRequest) -> CaseDetail:
    token = token_of(request)
    note = store_of(request).add_note(
        case_id, body.text, organisation=token.organisation, author=token.name,
        actor=_actor(token),
    )  # fmt: skip
    return _detail(request, note.report_id, viewed=False)


@router.get(
    "/{case_id}/export/{kind}", responses={**CASE_ERRORS, 200: {"description": "the file"}},
    response_class=Response,
)  # fmt: skip
async def export_case(
    request: Request, case_id: str, kind: Literal["pdf", "stix.json", "misp.json"]
) -> Response:
    """One case as a PDF report, a STIX 2.1 bundle or a MISP event."""
    token = token_of(request)
    store = store_of(request)
    case = _case(store, token, case_id)
    data = await run_in_threadpool(
        lambda: export_document(
            store, [case], kind, organisation=token.organisation, actor=_actor(token)
        )
    )
    return download(data, kind, f"linkvet-case-{case.id}")
