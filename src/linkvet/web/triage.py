"""The security team's pages: the case list with filters, a case (assessment, evidence, photo,
related cases, notes, status), merging duplicates, deleting, and exports; and a reporter's own
reports.

Every case is looked up in the signed-in person's organisation, and a reporter's in their own
reports: an id from elsewhere is "no such case", exactly like an unknown one. Views, changes and
exports go into the audit log.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from linkvet.model import Band
from linkvet.report.exports import cases_csv, misp_event, stix_bundle
from linkvet.store import (
    CaseFilter,
    ReportRecord,
    ReportStatus,
    Role,
    Store,
    UserRecord,
    profile_of,
)
from linkvet.web.accounts import require_role, store_of
from linkvet.web.errors import ApiError
from linkvet.web.pages import evidence_pictures, reason_view
from linkvet.web.rendering import read_form, render
from linkvet.web.retention import erase_checks

router = APIRouter(include_in_schema=False)
PAGE_SIZE: Final = 50
EXPORT_LIMIT: Final = 1_000
STATUS_NAMES: Final = {
    ReportStatus.NEW: "New",
    ReportStatus.TRIAGING: "Triaging",
    ReportStatus.CONFIRMED_FAKE: "Confirmed fake",
    ReportStatus.BENIGN: "Benign",
    ReportStatus.REPORTED_TO_PLATFORM: "Reported to the platform",
}
EXPORTS: Final = {
    "stix.json": "application/stix+json;version=2.1",
    "misp.json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}


def case_filter(params: dict[str, str]) -> CaseFilter:
    """The list's filters from the query string; a value that means nothing is refused."""
    try:
        return CaseFilter(
            band=Band(params["band"]) if params.get("band") else None,
            status=ReportStatus(params["status"]) if params.get("status") else None,
            team=params.get("team") or None,
            since=dt.date.fromisoformat(params["since"]) if params.get("since") else None,
            until=dt.date.fromisoformat(params["until"]) if params.get("until") else None,
            text=(params.get("q") or "")[:200] or None,
        )
    except ValueError as error:
        raise ApiError(
            422,
            "a filter is not valid (band low/medium/high, a status from the list, dates as "
            f"YYYY-MM-DD): {str(error)[:100]}",
        ) from None


def export_document(
    store: Store, cases: list[ReportRecord], kind: str, *, organisation: str, actor: str
) -> bytes:
    """An export of `cases` as `kind` (a key of EXPORTS), recorded in the audit log."""
    found = store.organisation(organisation)
    name = found.name if found else organisation
    data = _exported(store, cases, kind, organisation, name, actor)
    target = f"case {cases[0].id}" if len(cases) == 1 else "case list"
    listed = " ".join(case.id[:8] for case in cases)
    store.audit(organisation, actor=actor, action="cases.export", target=target,
                detail=f"{len(cases)} case(s) as {kind}: {listed}")  # fmt: skip
    return data


def _exported(
    store: Store, cases: list[ReportRecord], kind: str, organisation: str, name: str, actor: str
) -> bytes:
    if kind == "stix.json":
        return stix_bundle(cases, organisation_name=name).encode()
    if kind == "misp.json":
        return json.dumps(misp_event(cases, organisation_name=name), indent=2).encode()
    if kind == "csv":
        return cases_csv(cases).encode()
    if kind == "pdf" and len(cases) == 1:
        from linkvet.report.case_pdf import CaseReportError, case_pdf

        case = cases[0]
        try:
            return case_pdf(
                case, organisation_name=name,
                photos=store.photos(case.id, organisation=organisation),
                notes=store.notes(case.id, organisation=organisation),
                related=store.related(case.id, organisation=organisation),
                generated_by=actor, generated_at=dt.datetime.now(dt.UTC),
            )  # fmt: skip
        except CaseReportError as error:  # WeasyPrint or its libraries missing here
            raise ApiError(503, f"the PDF report cannot be made on this server: {error}") from None
    raise ApiError(404, f"no export as {kind[:20]!r}: one of {', '.join(EXPORTS)}")


def download(data: bytes, kind: str, stem: str) -> Response:
    return Response(
        data,
        media_type=EXPORTS[kind],
        headers={
            "content-disposition": f'attachment; filename="{stem}.{kind}"',
            "cache-control": "no-store",
        },
    )


def _case(request: Request, user: UserRecord, case_id: str) -> ReportRecord:
    case = store_of(request).get_report(case_id, organisation=user.organisation)
    if case is None:
        raise ApiError(404, "no such case")
    return case


@router.get("/cases")
def case_list(request: Request, page: int = 1) -> Response:
    user = require_role(request, Role.ANALYST)
    params = dict(request.query_params)
    filters = case_filter(params)
    page = max(1, min(page, 10_000))
    store = store_of(request)
    found = store.list_cases(
        user.organisation, filters=filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    query = {k: v for k, v in params.items() if k != "page" and v}
    store.audit(user.organisation, actor=user.actor, action="cases.list", target="case list",
                detail=_described(query))  # fmt: skip
    return _no_store(
        render(
            request, "cases.html", page=found, page_number=page, page_size=PAGE_SIZE,
            filters=filters, query=query, teams=store.teams(user.organisation),
            statuses=STATUS_NAMES, bands=[band.value for band in Band],
        )
    )  # fmt: skip


@router.get("/cases/export.{kind}")
def export_cases(request: Request, kind: str) -> Response:
    """The filtered case list as CSV, STIX or MISP (at most EXPORT_LIMIT cases)."""
    user = require_role(request, Role.ANALYST)
    if kind not in EXPORTS or kind == "pdf":
        raise ApiError(404, "the case list exports as csv, stix.json or misp.json")
    store = store_of(request)
    cases = store.list_cases(
        user.organisation, filters=case_filter(dict(request.query_params)), limit=EXPORT_LIMIT
    ).cases
    data = export_document(store, cases, kind, organisation=user.organisation, actor=user.actor)
    return download(data, kind, "linkvet-cases")


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: str) -> Response:
    user = require_role(request, Role.ANALYST)
    case = _case(request, user, case_id)
    store = store_of(request)
    store.audit(user.organisation, actor=user.actor, action="case.view", target=f"case {case.id}")
    photos = store.photos(case.id, organisation=user.organisation)
    profile = profile_of(case.profile_json, {})
    assessment = case.assessment
    return _no_store(
        render(
            request, "case.html", case=case, assessment=assessment,
            reasons=[reason_view(r, profile) for r in assessment.reasons if r.contribution != 0],
            profile=profile, photos=sorted(photos), notes=store.notes(case.id, organisation=user.organisation),
            related=store.related(case.id, organisation=user.organisation),
            duplicates=store.merged_into(case.id, organisation=user.organisation),
            statuses=STATUS_NAMES, can_delete=user.role == Role.ADMIN,
            pictures=_kept_pictures(request, evidence_pictures(assessment)),
        )
    )  # fmt: skip


@router.get("/cases/{case_id}/photos/{sha256}")
def case_photo(request: Request, case_id: str, sha256: str) -> Response:
    user = require_role(request, Role.REPORTER)
    reporter = None if user.role != Role.REPORTER else user.id
    photo = store_of(request).get_photo(
        case_id, sha256, organisation=user.organisation, reporter=reporter
    )
    if photo is None:
        raise ApiError(404, "no such photo")
    store_of(request).audit(user.organisation, actor=user.actor, action="case.photo",
                            target=f"case {photo.report_id}")  # fmt: skip
    # Only pictures are shown as such; anything else downloads as bytes.
    kind = photo.media_type if photo.media_type.startswith("image/") else "application/octet-stream"
    return Response(photo.data, media_type=kind, headers={"cache-control": "private, no-store"})


@router.get("/cases/{case_id}/export.{kind}")
async def export_case(request: Request, case_id: str, kind: str) -> Response:
    user = require_role(request, Role.ANALYST)
    if kind not in EXPORTS or kind == "csv":
        raise ApiError(404, "a case exports as pdf, stix.json or misp.json")
    case = _case(request, user, case_id)
    store = store_of(request)
    data = await run_in_threadpool(
        lambda: export_document(
            store, [case], kind, organisation=user.organisation, actor=user.actor
        )
    )
    return download(data, kind, f"linkvet-case-{case.id}")


@router.post("/cases/{case_id}")
async def change_case(request: Request, case_id: str) -> Response:
    user = require_role(request, Role.ANALYST)
    form = await read_form(request)
    case = store_of(request).update_case(
        case_id, organisation=user.organisation, version=_version(form), actor=user.actor,
        status=_field(form, "status") or None,
        team=_field(form, "team") if "team" in form else None,  # absent: left as it is
    )  # fmt: skip
    return RedirectResponse(f"/cases/{case.id}", status_code=303)


@router.post("/cases/{case_id}/notes")
async def add_note(request: Request, case_id: str) -> Response:
    user = require_role(request, Role.ANALYST)
    form = await read_form(request)
    note = store_of(request).add_note(
        case_id, _field(form, "text"), organisation=user.organisation,
        author=user.display_name, actor=user.actor,
    )  # fmt: skip
    return RedirectResponse(f"/cases/{note.report_id}#notes", status_code=303)


@router.post("/cases/{case_id}/merge")
async def merge(request: Request, case_id: str) -> Response:
    user = require_role(request, Role.ANALYST)
    form = await read_form(request)
    merged = store_of(request).merge_case(
        case_id, _field(form, "into"), organisation=user.organisation, version=_version(form),
        actor=user.actor,
    )  # fmt: skip
    return RedirectResponse(f"/cases/{merged.merged_into}", status_code=303)


@router.post("/cases/{case_id}/delete")
async def delete(request: Request, case_id: str) -> Response:
    user = require_role(request, Role.ADMIN)
    form = await read_form(request)
    if _field(form, "confirm") != "delete":
        raise ApiError(422, "type delete in the box to confirm that the case is to be erased")
    source = store_of(request).delete_case(
        case_id, organisation=user.organisation, actor=user.actor, version=_version(form)
    )
    erase_checks(request.app.state.settings, [source] if source else [])
    return RedirectResponse("/cases", status_code=303)


# --- a reporter's own reports -------------------------------------------------------------


@router.get("/my/reports")
def my_reports(request: Request) -> Response:
    user = require_role(request, Role.REPORTER)
    found = store_of(request).list_cases(
        user.organisation, reporter=user.id, filters=CaseFilter(include_merged=True),
        limit=EXPORT_LIMIT,
    )  # fmt: skip
    return _no_store(render(request, "my_reports.html", page=found, statuses=STATUS_NAMES))


@router.get("/my/reports/{case_id}")
def my_report(request: Request, case_id: str) -> Response:
    user = require_role(request, Role.REPORTER)
    case = store_of(request).get_report(case_id, organisation=user.organisation, reporter=user.id)
    if case is None:
        raise ApiError(404, "no such report")
    return _no_store(render(request, "my_report.html", case=case, statuses=STATUS_NAMES))


def _kept_pictures(request: Request, pictures: list[dict[str, str]]) -> list[dict[str, str]]:
    """The evidence pictures still on disk: they go with the check, after a week."""
    folder: Path = request.app.state.settings.pictures_dir
    return [p for p in pictures if (folder / p["url"].rsplit("/", 1)[-1]).is_file()]


def _described(query: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in sorted(query.items())) or "no filter"


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _version(form: FormData) -> int:
    try:
        return int(_field(form, "version"))
    except ValueError:
        raise ApiError(422, "the form lacks the case's version: reload the case") from None


def _no_store(response: Response) -> Response:
    response.headers["cache-control"] = "no-store"  # cases are not for shared caches
    return response
