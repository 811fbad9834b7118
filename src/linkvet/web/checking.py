"""A check from the web: what the person gave (a file, pasted text, a photo, their answers) →
a `Profile` → an `Assessment`, kept for a week under an unguessable id so that the person can
come back to the result and report it."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import secrets
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from starlette.requests import Request

from linkvet._files import write_atomically
from linkvet.engine import Engine
from linkvet.errors import InputError
from linkvet.ingest.reader import read_input
from linkvet.ingest.reading import InputReading
from linkvet.local_store import LocalStore
from linkvet.model import Assessment, Message, Profile
from linkvet.registry import default_detectors
from linkvet.web.settings import WebSettings

CHECK_ID: Final = re.compile(r"[A-Za-z0-9_-]{22}")
READERS: Final = 2
ANSWER_FIELDS: Final = (
    "wrote_straight_after_connecting",
    "shared_contacts",
    "contacts_vouched",
    "asked_to_move_channel",
    "asked_about_work_access",
    "offered_money_travel_gifts",
)
ANSWER_VALUES: Final = ("yes", "no", "unsure")


@dataclass(frozen=True)
class CheckInput:
    """What a person gave on the check page or to the API; any part may be missing."""

    upload: bytes | None = None
    upload_name: str = "upload"
    photo: bytes | None = None
    profile_text: str = ""
    messages_text: str = ""
    answers: dict[str, str] | None = None


@dataclass(frozen=True)
class CheckRecord:
    id: str
    created_at: dt.datetime
    profile: Profile
    assessment: Assessment
    read: InputReading | None


class CheckService:
    """One engine and one local store for the whole app; the store's SQLite connection is
    shared between request threads, so its use is serialised."""

    def __init__(self, settings: WebSettings) -> None:
        self.settings = settings
        settings.var_dir.mkdir(parents=True, exist_ok=True)
        # Compared with, never added to: what one person checks must not show on another's
        # result. The security team seeds it (`linkvet photos add`, `linkvet check`).
        self.store = LocalStore(settings.local_store_path)
        self.engine = Engine(detectors=default_detectors(options=self.store.detector_options()))
        self._lock = threading.Lock()
        # OCR and PDF reading run child processes: a few at a time, whatever the load.
        self._readers = threading.BoundedSemaphore(READERS)

    def assess(self, profile: Profile) -> Assessment:
        """Assess without keeping anything (the API's plain assess): no pictures are drawn."""
        with self._lock:
            return self.engine.assess(profile)

    def check(self, given: CheckInput) -> CheckRecord:
        check_id = secrets.token_urlsafe(16)
        # Pictures are drawn in a folder of the check's own, then named after the check: they
        # go with it (an erased case takes them along), and their names reveal nothing, not
        # even which photo was checked.
        self.settings.pictures_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.settings.pictures_dir) as scratch:
            with self._readers:
                profile, read = self._profile(given, Path(scratch))
            with self._lock:
                assessment = self.engine.assess(profile, artifacts_dir=Path(scratch))
            names = self._keep_pictures(Path(scratch), check_id)
        record = CheckRecord(
            id=check_id,
            created_at=dt.datetime.now(dt.UTC),
            profile=profile,
            assessment=_public_pictures(assessment, names),
            read=(
                read.model_copy(update={"picture": _picture_url(read.picture, names)})
                if read
                else None
            ),
        )
        self._save(record)
        return record

    def _keep_pictures(self, scratch: Path, check_id: str) -> dict[str, str]:
        """Move the check's pictures beside the others as `<check id>-<n>.png`; old name ->
        new name."""
        names = {}
        for number, path in enumerate(sorted(scratch.glob("*.png")), start=1):
            name = f"{check_id}-{number}.png"
            path.replace(self.settings.pictures_dir / name)
            names[path.name] = name
        return names

    def load(self, check_id: str) -> CheckRecord | None:
        if not CHECK_ID.fullmatch(check_id):
            return None
        path = self.settings.checks_dir / f"{check_id}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            record = CheckRecord(
                id=check_id,
                created_at=dt.datetime.fromisoformat(data["created_at"]),
                profile=Profile.model_validate(data["profile"]),
                assessment=Assessment.model_validate(data["assessment"]),
                read=InputReading.model_validate(data["read"]) if data.get("read") else None,
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None  # gone, or damaged: either way there is no such check to show
        age = dt.datetime.now(dt.UTC) - record.created_at
        return record if age <= dt.timedelta(days=self.settings.check_days) else None

    def close(self) -> None:
        self.store.close()

    def _profile(self, given: CheckInput, pictures: Path) -> tuple[Profile, InputReading | None]:
        read: InputReading | None = None
        if given.upload:
            result = read_input(given.upload, source=given.upload_name, pictures=pictures)
            profile, read = result.profile, result.reading
        elif given.profile_text.strip():
            from linkvet.ingest.pasted_text import profile_from_pasted_text

            profile = profile_from_pasted_text(
                given.profile_text, given.messages_text, source="the pasted profile"
            )
            return self._with_extras(profile, given, messages_done=True), None
        elif given.messages_text.strip() or given.photo or given.answers:
            profile = Profile()
        else:
            raise InputError(
                "nothing to check: choose a screenshot or a file, or paste the profile's text "
                "or the messages you received"
            )
        return self._with_extras(profile, given, messages_done=False), read

    def _with_extras(self, profile: Profile, given: CheckInput, *, messages_done: bool) -> Profile:
        """The profile with the pasted messages, the photo and the person's answers added."""
        adding_messages = bool(given.messages_text.strip()) and not messages_done
        if not (adding_messages or given.photo or given.answers):
            return profile
        merged = profile.model_dump(mode="json", exclude_none=True)
        if adding_messages:
            merged["messages"] = [
                *merged.get("messages", []),
                *(m.model_dump(mode="json", exclude_none=True) for m in _messages(given)),
            ]
        if given.photo:
            merged["photo"] = {"data": base64.b64encode(given.photo).decode("ascii")}
        if given.answers:
            merged["answers"] = {k: v for k, v in given.answers.items() if v in ANSWER_VALUES}
        from linkvet.api import profile_from_dict

        return profile_from_dict(merged, source="the check")

    def _save(self, record: CheckRecord) -> None:
        folder = self.settings.checks_dir
        self._prune(folder)
        data = {
            "created_at": record.created_at.isoformat(),
            "profile": record.profile.model_dump(mode="json", exclude_none=True),
            "assessment": record.assessment.model_dump(mode="json"),
            "read": record.read.model_dump(mode="json") if record.read else None,
        }
        write_atomically(folder / f"{record.id}.json", json.dumps(data))

    def _prune(self, folder: Path) -> None:
        """Checks and their pictures older than the retention period go."""
        oldest = time.time() - self.settings.check_days * 86_400
        pictures = self.settings.pictures_dir
        for path in [*folder.glob("*.json"), *pictures.glob("*.png")]:
            try:
                if path.stat().st_mtime < oldest:
                    path.unlink()
            except FileNotFoundError:
                continue


def _messages(given: CheckInput) -> list[Message]:
    """The pasted messages, split where their layout shows senders and times."""
    from linkvet.ingest.pasted_text import profile_from_pasted_text

    try:
        messages = profile_from_pasted_text("", given.messages_text, source="the messages").messages
    except InputError:
        messages = None
    return list(messages or [Message(text=given.messages_text.strip())])


def safe_name(name: str | None) -> str:
    """A file name for messages only: its last part, printable, short. Never used as a path."""
    if not name:
        return "upload"
    last = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c for c in last if c.isprintable())[:80]
    return cleaned or "upload"


def _picture_url(path: str | None, names: dict[str, str]) -> str | None:
    """Where the app serves a picture: its name under /pictures/, never the server's path."""
    if not path:
        return None
    kept = names.get(Path(path).name)
    return f"/pictures/{kept}" if kept else None


def _public_pictures(assessment: Assessment, names: dict[str, str]) -> Assessment:
    """The assessment with each evidence picture as its URL on this app."""
    reasons = tuple(
        reason.model_copy(
            update={
                "signal": reason.signal.model_copy(
                    update={
                        "evidence": tuple(
                            item.model_copy(update={"picture": _picture_url(item.picture, names)})
                            for item in reason.signal.evidence
                        )
                    }
                )
            }
        )
        for reason in assessment.reasons
    )
    return assessment.model_copy(update={"reasons": reasons})


def checks_of(request: Request) -> CheckService:
    """The app's check service."""
    service: CheckService = request.app.state.checks
    return service
