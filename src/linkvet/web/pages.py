"""The pages a person uses: check a contact, see why, report it, learn the signs.

Server-rendered with Jinja2 (autoescaped), so everything works without JavaScript; every form
carries a CSRF token tied to the browser's cookie.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from linkvet.model import Assessment, Band, Profile
from linkvet.store import DEFAULT_ORGANISATION
from linkvet.web.accounts import signed_in, store_of
from linkvet.web.checking import (
    ANSWER_FIELDS,
    ANSWER_VALUES,
    CheckInput,
    CheckRecord,
    checks_of,
    safe_name,
)
from linkvet.web.errors import ApiError, SignInNeeded
from linkvet.web.rendering import read_form, render

router = APIRouter(include_in_schema=False)
PICTURE_NAME: Final = re.compile(r"[A-Za-z0-9_-]{1,80}\.png")
FIELD_PART: Final = re.compile(r"([a-z_]+)(?:\[(\d{1,5})\])?")

QUESTIONS: Final = {
    "wrote_straight_after_connecting": "Did they write to you straight after you connected?",
    "shared_contacts": "Do you share contacts with them?",
    "contacts_vouched": "Has a shared contact told you they know this person (not just online)?",
    "asked_to_move_channel": "Did they ask to move to another app (WhatsApp, Telegram, Signal) "
    "or to e-mail?",
    "asked_about_work_access": "Did they ask about your work, what you have access to, or your "
    "colleagues?",
    "offered_money_travel_gifts": "Did they offer money, paid work, travel or gifts?",
}
VERDICTS: Final = {
    Band.LOW: "Nothing in what linkvet can see stands out.",
    Band.MEDIUM: "Some warning signs. Check before you accept or reply.",
    Band.HIGH: "Several warning signs of a fake profile or a disguised approach.",
}


async def _file(form: FormData, name: str) -> tuple[bytes | None, str]:
    value = form.get(name)
    if isinstance(value, UploadFile) and value.filename:
        return await value.read(), value.filename
    return None, ""


def _text(form: FormData, name: str, limit: int) -> str:
    value = form.get(name)
    if not isinstance(value, str):
        return ""
    if len(value) > limit:
        raise ApiError(422, f"the {name.replace('_', ' ')} is longer than {limit:,} characters")
    return value


@router.get("/")
def home(request: Request) -> Response:
    return render(request, "home.html")


@router.get("/check")
def check_form(request: Request) -> Response:
    return render(request, "check.html", questions=QUESTIONS, values=ANSWER_VALUES)


@router.post("/check")
async def check_submit(request: Request) -> Response:
    form = await read_form(request)
    limit = request.app.state.settings.max_text_chars
    upload, upload_name = await _file(form, "file")
    photo, _ = await _file(form, "photo")
    answers = {
        name: value
        for name in ANSWER_FIELDS
        if isinstance(value := form.get(name), str) and value in ANSWER_VALUES
    }
    record = await run_in_threadpool(
        checks_of(request).check,
        CheckInput(
            upload=upload,
            upload_name=safe_name(upload_name),
            photo=photo,
            profile_text=_text(form, "profile_text", limit),
            messages_text=_text(form, "messages_text", limit),
            answers=answers or None,
        ),
    )
    return RedirectResponse(f"/check/{record.id}", status_code=303)


def _record(request: Request, check_id: str) -> CheckRecord:
    record = checks_of(request).load(check_id)
    if record is None:
        raise ApiError(404, "no such check: results are kept for a week")
    return record


@router.get("/check/{check_id}")
def result(request: Request, check_id: str) -> Response:
    record = _record(request, check_id)
    response = render(request, "result.html", **_result_context(record))
    response.headers["cache-control"] = "no-store"  # a person's check, not for shared caches
    return response


@router.post("/check/{check_id}/report")
async def report(request: Request, check_id: str) -> Response:
    form = await read_form(request)
    record = _record(request, check_id)
    user = signed_in(request)
    if user is None and not request.app.state.settings.anonymous_reports:
        raise SignInNeeded(f"/check/{check_id}")
    report = await run_in_threadpool(
        lambda: store_of(request).add_report(
            record.assessment,
            record.profile,
            note=_text(form, "note", 5_000),
            # Signed in, the account says who reported: the form cannot.
            reporter_name=user.display_name if user else _text(form, "reporter_name", 200) or None,
            reporter_contact=user.email if user else _text(form, "reporter_contact", 200) or None,
            reporter_user_id=user.id if user else None,
            team=_text(form, "team", 200) or None,
            source_check=check_id,
            organisation=user.organisation if user else DEFAULT_ORGANISATION,
        )
    )
    # Post, then redirect: reloading the confirmation must not file the report twice.
    return RedirectResponse(f"/check/{check_id}/reported/{report.id}", status_code=303)


@router.get("/check/{check_id}/reported/{report_id}")
def reported(request: Request, check_id: str, report_id: str) -> Response:
    user = signed_in(request)
    organisation = user.organisation if user else DEFAULT_ORGANISATION
    report = store_of(request).get_report(report_id, organisation=organisation)
    # Only the check a report was made from confirms it: no probing for other cases' ids.
    if (
        report is None
        or report.source_check != check_id
        or checks_of(request).load(check_id) is None
    ):
        raise ApiError(404, "no such report")
    response = render(request, "reported.html", report=report, check_id=check_id)
    response.headers["cache-control"] = "no-store"
    return response


@router.get("/pictures/{name}")
def picture(request: Request, name: str) -> Response:
    """An evidence picture made by a check; only plain PNG names inside var/pictures/."""
    folder: Path = request.app.state.settings.pictures_dir.resolve()
    if not PICTURE_NAME.fullmatch(name):
        raise ApiError(404, "no such picture")
    path = (folder / name).resolve()
    if path.parent != folder or not path.is_file():
        raise ApiError(404, "no such picture")
    return FileResponse(path, media_type="image/png")


def _result_context(record: CheckRecord) -> dict[str, Any]:
    assessment = record.assessment
    counted = [reason for reason in assessment.reasons if reason.contribution != 0]
    noted = [reason for reason in assessment.reasons if reason.contribution == 0]
    return {
        "record": record,
        "assessment": assessment,
        "verdict": VERDICTS[assessment.band],
        "counted": [reason_view(reason, record.profile) for reason in counted],
        "noted": [reason_view(reason, record.profile) for reason in noted],
        "pictures": _pictures(assessment, record),
        "links": _search_links(assessment),
        "checked_at": record.created_at.astimezone(dt.UTC).strftime("%d %b %Y %H:%M UTC"),
    }


def reason_view(reason: Any, profile: Profile) -> dict[str, Any]:
    evidence = []
    for item in reason.signal.evidence:
        view: dict[str, Any] = {"field": item.field, "value": item.value, "excerpt": item.excerpt}
        text = field_text(profile, item.field)
        if text is not None and item.start is not None and item.end is not None:
            # The excerpt in its sentence: up to 80 characters either side, the cue marked.
            start, end = item.start, item.end
            view["before"] = ("…" if start > 80 else "") + text[max(0, start - 80) : start]
            view["match"] = text[start:end]
            view["after"] = text[end : end + 80] + ("…" if end + 80 < len(text) else "")
        evidence.append(view)
    return {
        "contribution": reason.contribution,
        "group": reason.signal.group.value,
        "explanation": reason.signal.explanation,
        "advice": reason.signal.advice,
        "evidence": evidence,
    }


def field_text(profile: Profile, path: str) -> str | None:
    """The text at an evidence path such as `messages[2].text` or `about`, if it is text."""
    value: Any = profile
    for part in path.split("."):
        match = FIELD_PART.fullmatch(part)
        if match is None or value is None:
            return None
        value = getattr(value, match[1], None)
        if match[2] is not None:
            index = int(match[2])
            value = value[index] if isinstance(value, list) and index < len(value) else None
    return value if isinstance(value, str) else None


def _pictures(assessment: Assessment, record: CheckRecord) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    if record.read is not None and record.read.picture:
        found.append(
            {"url": record.read.picture,
             "alt": "The screenshot with a box around each field that was read"}
        )  # fmt: skip
    return evidence_pictures(assessment, found)


def evidence_pictures(
    assessment: Assessment, found: list[dict[str, str]] | None = None
) -> list[dict[str, str]]:
    """The evidence pictures of an assessment (the photo overlay, say), each once."""
    found = found if found is not None else []
    for signal in assessment.signals:
        for item in signal.evidence:
            if item.picture and all(p["url"] != item.picture for p in found):
                found.append(
                    {"url": item.picture,
                     "alt": f"Evidence for: {signal.explanation}"}
                )  # fmt: skip
    return found


def _search_links(assessment: Assessment) -> list[dict[str, str]]:
    """Reverse-image-search links from the evidence, given as "Google Lens: https://..."."""
    links = []
    # Only the reverse-search detector's own links: other evidence values can hold profile text.
    for signal in assessment.signals:
        if signal.code != "photo.reverse_search_links":
            continue
        for item in signal.evidence:
            value = item.value
            if not isinstance(value, str):
                continue
            label, _, url = value.rpartition(": ")
            if url.startswith("https://") and " " not in url:
                links.append({"url": url, "label": label or url.split("/")[2]})
    return links
