"""Cases exported for sharing with other security teams: STIX 2.1, MISP event JSON, and CSV.

Privacy: the reporter's name and contact never leave the store, in any format. The reporter's
free-text note is their own words about their work, so it goes only into the CSV (for the
organisation's own triage), never into STIX or MISP, which are meant for other organisations.

A persona is *reported* as suspicious: every export says so, and none asserts who is behind it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from collections.abc import Sequence
from typing import Any, Final
from urllib.parse import quote, urlsplit

import stix2  # type: ignore[import-untyped]

from linkvet.model import Band
from linkvet.store import ReportRecord

__all__ = ["cases_csv", "misp_event", "stix_bundle", "url_pattern"]

TOP_REASONS: Final = 3

# OWASP "CSV injection": spreadsheets read a cell starting with one of these as a formula.
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")

# What RFC 3986 lets stand in a URI; anything else (a backslash, a space) is percent-encoded.
_URI_CHARACTERS: Final = "%:/?#[]@!$&'()*+,;=-._~"

# MISP threat_level_id: 1 high, 2 medium, 3 low, 4 undefined.
_MISP_THREAT_LEVEL: Final = {Band.HIGH: "1", Band.MEDIUM: "2", Band.LOW: "3"}

CSV_COLUMNS: Final = (
    "id",
    "created_at",
    "status",
    "band",
    "probability",
    "subject_name",
    "subject_url",
    "top_reasons",
    "note",
)


def stix_bundle(reports: Sequence[ReportRecord], *, organisation_name: str) -> str:
    """A STIX 2.1 bundle (JSON text): per report the persona (identity, user-account, url), an
    indicator on its profile URL, a sighting of it by the organisation, and a note of the reasons."""
    organisation = stix2.Identity(
        name=organisation_name,
        identity_class="organization",
        description="The organisation whose staff reported these contacts.",
    )
    objects: list[Any] = [organisation]
    for report in reports:
        objects.extend(_stix_objects(report, organisation))
    bundle = stix2.Bundle(objects=objects, allow_custom=False)
    text: str = bundle.serialize(pretty=True)
    return text


def _stix_objects(report: ReportRecord, organisation: Any) -> list[Any]:
    seen = _utc(report.created_at)
    name = report.subject_name or "(name not known)"
    reasons = _top_reasons(report)
    platform, handle = _platform_and_handle(report)
    persona = stix2.Identity(
        name=name,
        identity_class="individual",
        created_by_ref=organisation.id,
        description=(
            f"A {platform} persona reported to {organisation.name} as a suspected fake profile "
            "or disguised approach. Reported, not confirmed: this says nothing of who is behind it."
        ),
    )
    objects: list[Any] = [persona]
    refs = [persona.id]
    if report.subject_url is not None or handle is not None:
        account = stix2.UserAccount(
            account_type=platform,
            user_id=handle,
            account_login=handle,
            display_name=report.subject_name,
        )
        objects.append(account)
        refs.append(account.id)
    if report.subject_url is not None:
        # The url object's value must be a URI, and the indicator must match that value.
        uri = quote(report.subject_url, safe=_URI_CHARACTERS)
        url = stix2.URL(value=uri)
        indicator = stix2.Indicator(
            name=f"Reported {platform} profile: {name}",
            pattern=url_pattern(uri),
            pattern_type="stix",
            valid_from=seen,
            indicator_types=["anomalous-activity"],
            created_by_ref=organisation.id,
            description=_summary(report, reasons),
        )
        sighting = stix2.Sighting(
            sighting_of_ref=indicator.id,
            where_sighted_refs=[organisation.id],
            first_seen=seen,
            last_seen=seen,
            count=1,
            created_by_ref=organisation.id,
        )
        objects += [url, indicator, sighting]
        refs += [url.id, indicator.id]
    objects.append(
        stix2.Note(
            abstract=f"Why {name} was rated {report.band.value} risk",
            content=_summary(report, reasons),
            object_refs=refs,
            created_by_ref=organisation.id,
        )
    )
    return objects


def url_pattern(url: str) -> str:
    """The STIX pattern matching `url`, its quotes and backslashes escaped per STIX patterning."""
    literal = url.replace("\\", "\\\\").replace("'", "\\'")
    return f"[url:value = '{literal}']"


def misp_event(reports: Sequence[ReportRecord], *, organisation_name: str) -> dict[str, Any]:
    """A MISP event (`{"Event": {...}}`) with, per report, the profile URL, the persona's name
    and handle, and a comment with the band and the top reasons. Distribution 0: this
    organisation only, until an analyst widens it in MISP."""
    attributes: list[dict[str, Any]] = []
    for report in reports:
        _, handle = _platform_and_handle(report)
        if report.subject_url is not None:
            attributes.append(_misp_attribute("url", "External analysis", report.subject_url))
        if report.subject_name is not None:
            attributes.append(
                _misp_attribute("text", "Social network", f"Persona name: {report.subject_name}")
            )
        if handle is not None:
            attributes.append(
                _misp_attribute("text", "Social network", f"Persona handle: {handle}")
            )
        attributes.append(
            _misp_attribute("comment", "External analysis", _summary(report, _top_reasons(report)))
        )
    bands = [report.band for report in reports]
    worst = max(bands, key=list(Band).index) if bands else None
    dates = [_utc(report.created_at).date() for report in reports]
    return {
        "Event": {
            "uuid": str(uuid.uuid4()),
            "info": f"Suspected fake personas reported to {organisation_name} ({len(reports)})",
            "date": (min(dates) if dates else dt.datetime.now(dt.UTC).date()).isoformat(),
            "threat_level_id": _MISP_THREAT_LEVEL[worst] if worst is not None else "4",
            "analysis": "0",
            "distribution": "0",
            "published": False,
            "Orgc": {"name": organisation_name},
            "Attribute": attributes,
        }
    }


def _misp_attribute(kind: str, category: str, value: str) -> dict[str, Any]:
    # A profile URL or a name is context for analysts, not something to block on a network.
    return {
        "uuid": str(uuid.uuid4()),
        "type": kind,
        "category": category,
        "value": value,
        "to_ids": False,
        "distribution": "5",
    }


def cases_csv(reports: Sequence[ReportRecord]) -> str:
    """The cases as CSV, every cell quoted and none that a spreadsheet would run as a formula."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for report in reports:
        row = (
            report.id,
            _utc(report.created_at).isoformat(),
            report.status.value,
            report.band.value,
            f"{report.probability:.3f}",
            report.subject_name or "",
            report.subject_url or "",
            "; ".join(_top_reasons(report)),
            report.note,
        )
        writer.writerow([_defused(cell) for cell in row])
    return out.getvalue()


def _defused(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def _top_reasons(report: ReportRecord) -> list[str]:
    """The explanations of the reasons that raised the risk most."""
    raising = [reason for reason in report.assessment.reasons if reason.contribution > 0]
    return [reason.signal.explanation for reason in raising[:TOP_REASONS]]


def _summary(report: ReportRecord, reasons: Sequence[str]) -> str:
    lines = [f"Rated {report.band.value} risk (probability {report.probability:.2f}) by linkvet."]
    lines += [f"- {reason}" for reason in reasons] or ["- no single reason stood out"]
    return "\n".join(lines)


def _platform_and_handle(report: ReportRecord) -> tuple[str, str | None]:
    """The platform (default linkedin) and the account's handle: as given, else the last part of
    the profile URL's path (linkedin.com/in/<handle>)."""
    # profile_json is read as plain JSON: its pictures were replaced by digests, so it is no
    # longer a valid Profile.
    profile = json.loads(report.profile_json)
    platform = profile.get("platform") or "linkedin"
    handle = profile.get("handle")
    if not handle and report.subject_url:
        parts = [part for part in urlsplit(report.subject_url).path.split("/") if part]
        handle = parts[-1] if parts else None
    return str(platform), str(handle) if handle else None


def _utc(moment: dt.datetime) -> dt.datetime:
    # SQLite hands datetimes back without a zone; the store writes them in UTC.
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)
