"""Cases: the reports people send, and what the security team does with them — triage status
and team, notes, links between related cases, merging duplicates, deletion and retention.

Every look-up is scoped to one organisation, and a reporter's to their own reports: an id from
elsewhere finds nothing, exactly as an unknown id does.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from linkvet.campaigns.case_links import (
    Fingerprint,
    candidate_keys,
    case_fingerprints,
    link_reasons,
)
from linkvet.model import SHORT_TEXT, Assessment, Band, Profile
from linkvet.store._base import (
    DEFAULT_ORGANISATION,
    StoreBase,
    now,
    organisation_id,
    report_key,
    write_audit,
)
from linkvet.store._checks import checked_note, checked_optional_line, display_copy, is_sha256
from linkvet.store._errors import NotFound, StoreError
from linkvet.store._photos import split_pictures
from linkvet.store._records import LinkRecord, NoteRecord, PhotoRecord, ReportRecord
from linkvet.store._tables import (
    LINK_REASON_CHARS,
    NAME_CHARS,
    NOTE_CHARS,
    TEAM_CHARS,
    URL_CHARS,
    CaseFingerprint,
    CaseLink,
    CaseNote,
    Organisation,
    Report,
    ReportPhoto,
    ReportStatus,
)

MAX_LIST: Final = 1_000
# Kinds compared by loading all of an organisation's values rather than by exact look-up.
NEAR_KINDS: Final = ("photo", "face")
# At most this many of the newest cases are compared with a new one, and linked to it.
MAX_CANDIDATES: Final = 5_000
MAX_LINKS: Final = 50
VERIFY_BATCH: Final = 100
SOURCE_CHECK: Final = re.compile(r"[A-Za-z0-9_-]{22}")


class CaseConflict(StoreError):
    """The case changed since it was read: someone else saved first. `current` is the case now."""

    def __init__(self, message: str, current: ReportRecord) -> None:
        super().__init__(message)
        self.current = current


@dataclass(frozen=True, slots=True)
class CaseFilter:
    """Which cases to list; every field left as None matches all."""

    band: Band | None = None
    status: ReportStatus | None = None
    team: str | None = None  # the same team, whatever the case of its letters
    since: dt.date | None = None  # reported on or after this day (UTC)
    until: dt.date | None = None  # reported on or before this day (UTC)
    text: str | None = None  # in the subject's name or URL
    include_merged: bool = False


@dataclass(frozen=True, slots=True)
class Purged:
    """What `purge_expired` erased: cases by organisation, and the web checks they came from."""

    cases: dict[str, int]
    checks: list[str]


@dataclass(frozen=True, slots=True)
class CasePage:
    cases: list[ReportRecord]
    total: int  # matching cases in all, beyond this page
    linked: dict[str, int]  # case id -> how many related cases it has


class CasesPart(StoreBase):
    def add_report(
        self,
        assessment: Assessment,
        profile: Profile,
        *,
        note: str = "",
        reporter_name: str | None = None,
        reporter_contact: str | None = None,
        reporter_user_id: int | None = None,
        team: str | None = None,
        source_check: str | None = None,
        organisation: str = DEFAULT_ORGANISATION,
    ) -> ReportRecord:
        """Store a case and link it to related ones; it is committed when this returns.
        `source_check` names the web check it came from, erased with the case."""
        report = Report(
            id=str(uuid.uuid4()),
            created_at=now(),
            status=ReportStatus.NEW,
            band=assessment.band,
            probability=assessment.probability,
            subject_name=display_copy(assessment.subject.name, limit=SHORT_TEXT),
            subject_url=display_copy(assessment.subject.url, limit=URL_CHARS),
            note=checked_note(note, limit=NOTE_CHARS),
            reporter_name=checked_optional_line(
                reporter_name, "the reporter's name", limit=NAME_CHARS
            ),
            reporter_contact=checked_optional_line(
                reporter_contact, "the reporter's contact", limit=NAME_CHARS
            ),
            reporter_user_id=reporter_user_id,
            team=checked_optional_line(team, "the team", limit=TEAM_CHARS),
            source_check=source_check
            if source_check and SOURCE_CHECK.fullmatch(source_check)
            else None,
            assessment_json=assessment.model_dump_json(),
        )
        report.profile_json, pictures = split_pictures(profile)
        report.photos = [
            ReportPhoto(sha256=picture.sha256, media_type=picture.media_type, data=picture.data)
            for picture in pictures
        ]
        # Worked out before the transaction: a face embedding takes a while, and writers wait.
        fingerprints = case_fingerprints(profile, {p.sha256: p.data for p in pictures})
        with self._session(writes=True) as session:
            owner = organisation_id(session, organisation)
            report.organisation_id = owner
            report.fingerprints = [
                CaseFingerprint(organisation_id=owner, kind=f.kind, value=f.value)
                for f in fingerprints
            ]
            self._lock_organisation(session, owner)
            session.add(report)
            _link(session, report.id, owner, fingerprints)
        return ReportRecord.from_row(report, organisation)

    def get_report(
        self,
        report_id: str,
        *,
        organisation: str = DEFAULT_ORGANISATION,
        reporter: int | None = None,
    ) -> ReportRecord | None:
        """The case with this id in this organisation (and filed by `reporter`, if given);
        `None` for another's or an unknown id."""
        with self._session() as session:
            row = _find(session, report_id, organisation, reporter)
            return None if row is None else ReportRecord.from_row(row, organisation)

    def list_reports(
        self, organisation: str = DEFAULT_ORGANISATION, limit: int = 50
    ) -> list[ReportRecord]:
        """The organisation's newest cases first."""
        return self.list_cases(
            organisation, limit=limit, filters=CaseFilter(include_merged=True)
        ).cases

    def list_cases(
        self,
        organisation: str = DEFAULT_ORGANISATION,
        *,
        filters: CaseFilter | None = None,
        reporter: int | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> CasePage:
        """The organisation's cases (a reporter's own, if `reporter` is given), newest first."""
        if not 1 <= limit <= MAX_LIST:
            raise StoreError(f"limit must be between 1 and {MAX_LIST:,}, not {limit}")
        if offset < 0:
            raise StoreError(f"offset must be at least 0, not {offset}")
        with self._session() as session:
            owner = organisation_id(session, organisation)
            query = _filtered(select(Report), owner, filters or CaseFilter(), reporter)
            total = session.scalar(query.with_only_columns(func.count()).order_by(None)) or 0
            rows = list(
                session.scalars(
                    query.order_by(Report.created_at.desc(), Report.id).limit(limit).offset(offset)
                )
            )
            ids = [row.id for row in rows]
            counts = session.execute(
                select(CaseLink.report_id, func.count())
                .where(CaseLink.report_id.in_(ids))
                .group_by(CaseLink.report_id)
            )
            linked = dict(counts.all())
            return CasePage([ReportRecord.from_row(r, organisation) for r in rows], total, linked)

    def teams(self, organisation: str = DEFAULT_ORGANISATION) -> list[str]:
        """The teams named on the organisation's cases, for the filter's choices."""
        with self._session() as session:
            owner = organisation_id(session, organisation)
            found = session.scalars(
                select(Report.team)
                .where(Report.organisation_id == owner, Report.team.is_not(None))
                .distinct()
                .order_by(Report.team)
            )
            return [team for team in found if team]

    def get_photo(
        self,
        report_id: str,
        sha256: str,
        *,
        organisation: str = DEFAULT_ORGANISATION,
        reporter: int | None = None,
    ) -> PhotoRecord | None:
        """A picture of a case, named by the `sha256` its `profile_json` gives."""
        if not is_sha256(sha256):
            return None
        with self._session() as session:
            row = _find(session, report_id, organisation, reporter)
            if row is None:
                return None
            photo = session.get(ReportPhoto, (row.id, sha256))
            return None if photo is None else PhotoRecord.from_row(photo)

    def photos(self, report_id: str, *, organisation: str) -> dict[str, bytes]:
        """All the pictures of a case, by sha256."""
        with self._session() as session:
            row = _find(session, report_id, organisation, None)
            return {} if row is None else {photo.sha256: photo.data for photo in row.photos}

    # --- triage ----------------------------------------------------------------------------

    def update_case(
        self,
        report_id: str,
        *,
        organisation: str,
        version: int,
        actor: str,
        status: ReportStatus | str | None = None,
        team: str | None = None,
    ) -> ReportRecord:
        """Set a case's status or team, if it is still at `version`; else `CaseConflict`, so
        that two analysts never silently overwrite each other. An empty team clears it."""
        new_status = _checked_status(status) if status is not None else None
        new_team = (
            checked_optional_line(team, "the team", limit=TEAM_CHARS) if team is not None else None
        )
        try:
            with self._session(writes=True) as session:
                row = self._current(session, report_id, organisation, version)
                changes = []
                if new_status is not None and new_status != row.status:
                    changes.append(f"status {row.status.value} -> {new_status.value}")
                    row.status = new_status
                if team is not None and new_team != row.team:
                    changes.append(f"team {new_team or '(none)'}")
                    row.team = new_team
                if changes:
                    row.updated_at = now()
                    write_audit(session, row.organisation_id, actor, "case.change", f"case {row.id}",
                           "; ".join(changes))  # fmt: skip
        except StoreError as error:
            if isinstance(error.__cause__, StaleDataError):
                raise self._conflict(report_id, organisation) from None
            raise
        return ReportRecord.from_row(row, organisation)

    def add_note(
        self, report_id: str, text: str, *, organisation: str, author: str, actor: str
    ) -> NoteRecord:
        note = checked_note(text, limit=NOTE_CHARS)
        if not note:
            raise StoreError("the note is empty")
        with self._session(writes=True) as session:
            row = _find(session, report_id, organisation, None)
            if row is None:
                raise NotFound("no such case")
            added = CaseNote(
                report_id=row.id, author=author[:NAME_CHARS], created_at=now(), text=note
            )
            session.add(added)
            session.flush()
            write_audit(session, row.organisation_id, actor, "case.note", f"case {row.id}")
            return NoteRecord(added.id, row.id, added.author, added.created_at, added.text)

    def notes(self, report_id: str, *, organisation: str) -> list[NoteRecord]:
        with self._session() as session:
            row = _find(session, report_id, organisation, None)
            if row is None:
                return []
            return [NoteRecord(n.id, row.id, n.author, n.created_at, n.text) for n in row.notes]

    def related(self, report_id: str, *, organisation: str) -> list[LinkRecord]:
        """The organisation's other cases that share something with this one, and what."""
        with self._session() as session:
            row = _find(session, report_id, organisation, None)
            if row is None:
                return []
            found = session.execute(
                select(CaseLink.reasons, Report)
                .join(Report, Report.id == CaseLink.other_id)
                .where(CaseLink.report_id == row.id, Report.organisation_id == row.organisation_id)
                .order_by(Report.created_at.desc())
            )
            return [
                LinkRecord(
                    other.id, other.subject_name, other.band, other.status, other.created_at,
                    tuple(reasons.splitlines()),
                )
                for reasons, other in found
            ]  # fmt: skip

    def merge_case(
        self, duplicate_id: str, into_id: str, *, organisation: str, version: int, actor: str
    ) -> ReportRecord:
        """Merge a duplicate (at `version`) into another case: it leaves the case list and its
        page points to the other; cases merged into it follow."""
        try:
            with self._session(writes=True) as session:
                duplicate = self._current(session, duplicate_id, organisation, version)
                # Merges take turns, so that two at once cannot make a loop (A into B, B into A).
                self._lock_organisation(session, duplicate.organisation_id)
                into = _find(session, into_id, organisation, None)
                if into is None:
                    raise NotFound("no such case to merge into")
                if into.id == duplicate.id:
                    raise StoreError("a case cannot be merged into itself")
                if into.merged_into is not None:
                    raise StoreError("that case was itself merged: merge into the case it went to")
                duplicate.merged_into = into.id
                duplicate.updated_at = now()
                for follower in session.scalars(
                    select(Report).where(Report.merged_into == duplicate.id)
                ):
                    follower.merged_into = into.id
                write_audit(session, duplicate.organisation_id, actor, "case.merge",
                       f"case {duplicate.id}", f"into case {into.id}")  # fmt: skip
        except StoreError as error:
            if isinstance(error.__cause__, StaleDataError):
                raise self._conflict(duplicate_id, organisation) from None
            raise
        return ReportRecord.from_row(duplicate, organisation)

    def merged_into(self, report_id: str, *, organisation: str) -> list[ReportRecord]:
        """The duplicates that were merged into this case."""
        with self._session() as session:
            row = _find(session, report_id, organisation, None)
            if row is None:
                return []
            found = session.scalars(
                select(Report).where(Report.merged_into == row.id).order_by(Report.created_at)
            )
            return [ReportRecord.from_row(other, organisation) for other in found]

    # --- erasure ---------------------------------------------------------------------------

    def delete_case(
        self, report_id: str, *, organisation: str, actor: str, version: int | None = None
    ) -> str | None:
        """Delete a case (if it is still at `version`, when given) with its photos, notes,
        fingerprints and links. Only its id stays, in the audit log. Returns the web check it
        came from, for the caller to erase."""
        with self._session(writes=True) as session:
            if version is None:
                row = _find(session, report_id, organisation, None)
                if row is None:
                    raise NotFound("no such case")
            else:
                row = self._current(session, report_id, organisation, version)
            session.delete(row)
            write_audit(session, row.organisation_id, actor, "case.delete", f"case {row.id}")
        self._scrub()
        return row.source_check

    def purge_expired(self, *, at: dt.datetime | None = None) -> Purged:
        """Delete the cases older than their organisation's retention."""
        moment = at or now()
        purged: dict[str, int] = {}
        checks: list[str] = []
        with self._session(writes=True) as session:
            for owner, slug, days in session.execute(
                select(Organisation.id, Organisation.slug, Organisation.retention_days).where(
                    Organisation.retention_days.is_not(None)
                )
            ):
                assert days is not None
                expired = list(
                    session.scalars(
                        select(Report).where(
                            Report.organisation_id == owner,
                            Report.created_at < moment - dt.timedelta(days=days),
                        )
                    )
                )
                for row in expired:
                    session.delete(row)
                    if row.source_check:
                        checks.append(row.source_check)
                if expired:
                    purged[slug] = len(expired)
                    write_audit(session, owner, "linkvet (retention)", "retention.purge",
                           slug, f"{len(expired)} case(s) older than {days} days")  # fmt: skip
        if purged:
            self._scrub()
        return Purged(purged, checks)

    def labelled_cases(
        self, organisation: str = DEFAULT_ORGANISATION
    ) -> Iterator[tuple[ReportRecord, dict[str, bytes]]]:
        """Cases with an analyst's verdict (confirmed fake, reported, benign) and their pictures,
        oldest first, for `linkvet evaluate`. Merged duplicates are left out."""
        verdicts = [
            ReportStatus.CONFIRMED_FAKE,
            ReportStatus.REPORTED_TO_PLATFORM,
            ReportStatus.BENIGN,
        ]
        with self._session() as session:
            owner = organisation_id(session, organisation)
            rows = session.scalars(
                select(Report)
                .where(
                    Report.organisation_id == owner,
                    Report.status.in_(verdicts),
                    Report.merged_into.is_(None),
                )
                .order_by(Report.created_at, Report.id)
            )
            for row in rows:
                yield (
                    ReportRecord.from_row(row, organisation),
                    {p.sha256: p.data for p in row.photos},
                )

    # ---------------------------------------------------------------------------------------

    def _current(self, session: Session, report_id: str, organisation: str, version: int) -> Report:
        row = _find(session, report_id, organisation, None)
        if row is None:
            raise NotFound("no such case")
        if row.version != version:
            raise self._conflict_with(row, organisation)
        return row

    def _conflict(self, report_id: str, organisation: str) -> StoreError:
        current = self.get_report(report_id, organisation=organisation)
        if current is None:
            return NotFound("the case was deleted meanwhile")
        return _conflict_message(current)

    def _conflict_with(self, row: Report, organisation: str) -> CaseConflict:
        return _conflict_message(ReportRecord.from_row(row, organisation))

    def _scrub(self) -> None:
        """SQLite: move the deleted pages out of the write-ahead log, where old copies of a
        deleted photo would otherwise linger (secure_delete zeroes them in the file)."""
        if self.dialect == "sqlite":
            with self._engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def _conflict_message(current: ReportRecord) -> CaseConflict:
    return CaseConflict(
        f"someone else changed this case first (it is now at version {current.version}, status "
        f"{current.status.value}): reload it, check their change, and make yours again",
        current,
    )


def _find(
    session: Session, report_id: str, organisation: str, reporter: int | None
) -> Report | None:
    key = report_key(report_id)
    query = select(Report).where(
        Report.id == key, Report.organisation_id == organisation_id(session, organisation)
    )
    if reporter is not None:
        query = query.where(Report.reporter_user_id == reporter)
    return session.scalar(query)


def _filtered(
    query: Select[Report], owner: int, filters: CaseFilter, reporter: int | None
) -> Select[Report]:
    query = query.where(Report.organisation_id == owner)
    if reporter is not None:
        query = query.where(Report.reporter_user_id == reporter)
    if not filters.include_merged:
        query = query.where(Report.merged_into.is_(None))
    if filters.band is not None:
        query = query.where(Report.band == Band(filters.band))
    if filters.status is not None:
        query = query.where(Report.status == _checked_status(filters.status))
    # Stored text holds no control characters or surrogates (PostgreSQL refuses NUL even in a
    # query): a filter drops them too.
    team = display_copy(filters.team, limit=TEAM_CHARS)
    if team and team.strip():
        query = query.where(func.lower(Report.team) == team.strip().lower())
    if filters.since is not None:
        query = query.where(Report.created_at >= _midnight(filters.since))
    if filters.until is not None and filters.until < dt.date.max:
        query = query.where(Report.created_at < _midnight(filters.until + dt.timedelta(days=1)))
    wanted = (display_copy(filters.text, limit=200) or "").strip()
    if wanted:
        query = query.where(
            or_(
                Report.subject_name.icontains(wanted, autoescape=True),
                Report.subject_url.icontains(wanted, autoescape=True),
            )
        )
    return query


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _checked_status(status: ReportStatus | str) -> ReportStatus:
    try:
        return ReportStatus(status)
    except ValueError:
        raise StoreError(
            f"unknown status {status!r:.40}: expected one of "
            f"{', '.join(s.value for s in ReportStatus)}"
        ) from None


def _link(session: Session, report_id: str, owner: int, mine: list[Fingerprint]) -> None:
    """Link a new case to the organisation's cases it shares something with, both ways."""
    # One IN list per kind, not an OR per value: a case with long messages has thousands of
    # template bands, beyond the depth of expression SQLite accepts.
    wanted: dict[str, set[str]] = {}
    for found in candidate_keys(mine):
        wanted.setdefault(found.kind, set()).add(found.value)
    conditions = [
        and_(CaseFingerprint.kind == kind, CaseFingerprint.value.in_(sorted(values)))
        for kind, values in sorted(wanted.items())
    ]
    if any(f.kind in NEAR_KINDS for f in mine):
        conditions.append(CaseFingerprint.kind.in_(NEAR_KINDS))
    if not conditions:
        return
    # Newest first, and bounded: a stock photo reported a thousand times links a new case to
    # the latest of them, at a cost that does not grow with the organisation's history.
    newest = func.max(Report.created_at)
    candidates = list(
        session.scalars(
            select(CaseFingerprint.report_id)
            .join(Report, Report.id == CaseFingerprint.report_id)
            .where(
                CaseFingerprint.organisation_id == owner,
                CaseFingerprint.report_id != report_id,
                or_(*conditions),
            )
            .group_by(CaseFingerprint.report_id)
            .order_by(newest.desc(), CaseFingerprint.report_id)
            .limit(MAX_CANDIDATES)
        )
    )
    if not candidates:
        return
    links = 0
    # Verified in batches, newest first, until enough are linked: the fingerprints of older
    # candidates are never read.
    for start in range(0, len(candidates), VERIFY_BATCH):
        batch = candidates[start : start + VERIFY_BATCH]
        theirs: dict[str, list[Fingerprint]] = {other: [] for other in batch}
        for other, kind, value in session.execute(
            select(CaseFingerprint.report_id, CaseFingerprint.kind, CaseFingerprint.value).where(
                CaseFingerprint.report_id.in_(batch)
            )
        ):
            theirs[other].append(Fingerprint(kind, value))
        for other, fingerprints in theirs.items():
            reasons = [r[:LINK_REASON_CHARS] for r in link_reasons(mine, fingerprints)][:4]
            if reasons:
                kept = "\n".join(reasons)
                session.add(CaseLink(report_id=report_id, other_id=other, reasons=kept))
                session.add(CaseLink(report_id=other, other_id=report_id, reasons=kept))
                links += 1
                if links == MAX_LINKS:
                    return
