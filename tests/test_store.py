"""The report store on both its databases, a real SQLite file and a real PostgreSQL database
(`database_url` in conftest.py): migrations, round trips, isolation between organisations, API
tokens, durability under kill -9, and hostile text. Tests marked `only_on("sqlite")` check
SQLite's own settings and files; test_store_postgres.py has PostgreSQL's own."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import Connection, create_engine, insert, inspect, make_url, text, update
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy.orm import Session

from linkvet.engine import Engine
from linkvet.model import Assessment, Profile
from linkvet.store import (
    TOKEN_SCOPES,
    ReportStatus,
    Store,
    StoreError,
    open_store,
)
from linkvet.store._database import MIGRATIONS
from linkvet.store._tables import ApiToken, Base, Organisation
from tests.conftest import AS_OF, ROOT, only_on


def _newest_revision() -> str | None:
    """Where the migrations end: every database the store opens must be there."""
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    return ScriptDirectory.from_config(config).get_current_head()


HEAD_REVISION = _newest_revision()


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _picture(kind: str, colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format=kind)
    return buffer.getvalue()


PNG = _picture("PNG", (200, 30, 30))
JPEG = _picture("JPEG", (30, 30, 200))


def _profile(name: str = "Anna Kowalska", **extra: object) -> Profile:
    return Profile.model_validate(
        {
            "platform": "linkedin",
            "url": "https://www.linkedin.com/in/anna-k",
            "name": name,
            "headline": "Senior Recruiter at Global Talent Solutions",
            "invitation": {"text": "Exclusive remote role, generous pay; let's move to WhatsApp."},
            **extra,
        }
    )


@contextlib.contextmanager
def _beside(database_url: str) -> Iterator[Connection]:
    """A plain connection beside the store's, to look at what it wrote; committed at the end."""
    engine = create_engine(database_url)
    if engine.dialect.name == "sqlite":
        sqlalchemy_event.listen(
            engine, "connect", lambda connection, _: connection.execute("PRAGMA foreign_keys = ON")
        )
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


def _add_organisation(database_url: str, slug: str) -> None:
    with _beside(database_url) as connection:
        connection.execute(
            insert(Organisation).values(
                slug=slug, name=slug.title(), created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
            )
        )


def _sqlite_file(database_url: str) -> Path:
    return Path(str(make_url(database_url).database))


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    with open_store(database_url) as opened:
        yield opened


@pytest.fixture(scope="module")
def assessed() -> tuple[Assessment, Profile]:
    profile = _profile()
    return Engine().assess(profile, as_of=AS_OF), profile


# --- migrations and SQLite settings --------------------------------------------------------


def test_migrations_run_from_empty_and_again_change_nothing(database_url: str) -> None:
    seen = []
    for _ in range(2):
        open_store(database_url).close()
        with _beside(database_url) as connection:
            tables = set(inspect(connection).get_table_names())
            version = connection.execute(text("SELECT version_num FROM alembic_version")).all()
            organisations = connection.execute(
                text("SELECT id, slug, created_at FROM organisations")
            ).all()
        seen.append((tables, version, organisations))
    assert seen[0] == seen[1]
    tables, version, organisations = seen[0]
    assert {"organisations", "reports", "report_photos", "api_tokens", "alembic_version"} <= tables
    assert version == [(HEAD_REVISION,)]
    assert [slug for _, slug, _ in organisations] == ["default"]


def test_the_migrations_make_exactly_the_tables_the_code_maps(store: Store) -> None:
    # Alembic's autogenerate finds nothing to add: the ORM classes and 0001 agree.
    with store._engine.connect() as connection:  # the store's own engine, with its settings
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


@only_on("sqlite")
def test_sqlite_runs_with_wal_foreign_keys_busy_timeout_and_full_sync(store: Store) -> None:
    with store._engine.connect() as connection:
        settings_seen = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
        }
    assert settings_seen == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "busy_timeout": 10_000,
        "synchronous": 2,  # FULL
    }


def test_foreign_keys_are_enforced(store: Store) -> None:
    with (
        pytest.raises(StoreError, match=r"(?i)foreign key constraint"),
        store._session(writes=True) as session,
    ):
        session.execute(
            text(
                "INSERT INTO report_photos (report_id, sha256, media_type, data) "
                "VALUES (:report, :sha, 'image/png', :data)"
            ),
            {"report": str(uuid.uuid4()), "sha": "0" * 64, "data": b"x"},
        )


def test_a_database_from_a_newer_linkvet_is_refused_clearly(database_url: str) -> None:
    open_store(database_url).close()
    with _beside(database_url) as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(
        StoreError, match=rf"^cannot open database at {re.escape(database_url)}: .*'9999'"
    ):
        open_store(database_url)


def test_processes_opening_a_new_store_at_once_migrate_one_after_the_other(
    database_url: str,
) -> None:
    # Several web workers start together on a fresh database: each must find a complete schema.
    child = (
        "import sys; from linkvet.store import open_store; "
        "store = open_store(sys.argv[1]); store.create_token('worker', ['assess']); store.close()"
    )
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", child, database_url], cwd=ROOT, stderr=subprocess.PIPE
        )
        for _ in range(4)
    ]
    errors = [worker.communicate(timeout=120)[1].decode() for worker in workers]
    assert [worker.returncode for worker in workers] == [0] * 4, errors
    with _beside(database_url) as connection:
        assert connection.execute(text("SELECT count(*) FROM api_tokens")).scalar() == 4
        assert connection.execute(text("SELECT count(*) FROM organisations")).scalar() == 1


def test_threads_opening_a_new_store_at_once_all_get_it(database_url: str) -> None:
    opened: list[Store] = []
    threads = [
        threading.Thread(target=lambda: opened.append(open_store(database_url))) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(opened) == 4
    for store in opened:
        assert store.list_reports() == []
        store.close()


# --- where the store is ---------------------------------------------------------------------


def test_the_default_is_var_cases_sqlite_under_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LINKVET_DATABASE_URL", raising=False)
    with open_store() as store:
        assert "var/cases.sqlite" in repr(store)
    assert (tmp_path / "var" / "cases.sqlite").is_file()


def test_linkvet_database_url_is_honoured_and_an_argument_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    from_variable = tmp_path / "from-variable" / "cases.sqlite"
    monkeypatch.setenv("LINKVET_DATABASE_URL", _sqlite_url(from_variable))
    open_store().close()
    assert from_variable.is_file()
    assert not (tmp_path / "var").exists()

    argument = tmp_path / "argument.sqlite"
    open_store(_sqlite_url(argument)).close()
    assert argument.is_file()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("not a url", r"^cannot open database: not a database URL"),
        ("nosuchdb://host/db", r"^cannot open database at nosuchdb://host/db: .*nosuchdb"),
        ("sqlite://", r"needs a SQLite file .* not an in-memory database"),
        ("sqlite:///:memory:", r"not an in-memory database"),
        (
            "postgresql://analyst:s3cret@127.0.0.1:1/linkvet",
            r"^cannot open database at postgresql://analyst:\*\*\*@127\.0\.0\.1:1/linkvet: ",
        ),
    ],
)
def test_a_bad_url_gives_a_clear_store_error(url: str, expected: str) -> None:
    with pytest.raises(StoreError, match=expected) as raised:
        open_store(url)
    assert "s3cret" not in str(raised.value)
    assert "sqlalche.me" not in str(raised.value)


def test_a_database_path_that_cannot_be_a_file_gives_a_clear_store_error(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    with pytest.raises(
        StoreError, match=rf"^cannot open database at sqlite:///{re.escape(str(folder))}: unable"
    ):
        open_store(_sqlite_url(folder))
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot create the folder"):
        open_store(_sqlite_url(blocker / "cases.sqlite"))


def test_the_variable_is_named_when_it_is_the_bad_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINKVET_DATABASE_URL", "sqlite://")
    with pytest.raises(StoreError, match=r"\(from \$LINKVET_DATABASE_URL\)"):
        open_store()


# --- reports --------------------------------------------------------------------------------


def test_a_report_round_trips_with_its_pictures_stored_apart(
    store: Store, database_url: str
) -> None:
    profile = _profile(
        photo={"data": base64.b64encode(PNG).decode()},
        banner={"data": base64.b64encode(JPEG).decode(), "url": "https://example.com/b.jpg"},
    )
    assessment = Engine().assess(profile, as_of=AS_OF)
    before = dt.datetime.now(dt.UTC)
    record = store.add_report(
        assessment,
        profile,
        note="  Asked about my team's access.\nThen wanted WhatsApp.  ",
        reporter_name=" Sam Analyst ",
        reporter_contact="sam@example.org",
    )

    assert uuid.UUID(record.id).version == 4
    assert record.organisation == "default"
    assert record.status is ReportStatus.NEW
    assert record.version == 1
    assert record.created_at.tzinfo == dt.UTC
    assert before <= record.created_at <= dt.datetime.now(dt.UTC)
    assert (record.band, record.probability) == (assessment.band, assessment.probability)
    assert (record.subject_name, record.subject_url) == (profile.name, profile.url)
    assert record.note == "Asked about my team's access.\nThen wanted WhatsApp."
    assert (record.reporter_name, record.reporter_contact) == ("Sam Analyst", "sam@example.org")

    again = store.get_report(record.id)
    assert again == record
    assert again.assessment_json == assessment.model_dump_json()
    assert again.assessment.model_dump() == assessment.model_dump()

    stored_profile = json.loads(again.profile_json)
    png_sha, jpeg_sha = hashlib.sha256(PNG).hexdigest(), hashlib.sha256(JPEG).hexdigest()
    assert stored_profile["photo"] == {"sha256": png_sha}
    assert stored_profile["banner"] == {"url": "https://example.com/b.jpg", "sha256": jpeg_sha}
    assert stored_profile["name"] == profile.name
    assert "data" not in again.profile_json

    photo, banner = store.get_photo(record.id, png_sha), store.get_photo(record.id, jpeg_sha)
    assert photo is not None
    assert (photo.media_type, photo.data) == ("image/png", PNG)
    assert banner is not None
    assert (banner.media_type, banner.data) == ("image/jpeg", JPEG)
    assert store.get_photo(record.id, "0" * 64) is None
    assert store.get_photo(record.id, png_sha.upper()) is None

    with _beside(database_url) as connection:
        profile_json = connection.execute(text("SELECT profile_json FROM reports")).scalar_one()
        assert base64.b64encode(PNG).decode() not in profile_json
        assert connection.execute(text("SELECT count(*) FROM report_photos")).scalar() == 2
        # The pictures go with the case.
        connection.execute(text("DELETE FROM reports WHERE id = :id"), {"id": record.id})
        assert connection.execute(text("SELECT count(*) FROM report_photos")).scalar() == 0


def test_a_picture_used_twice_is_stored_once(
    store: Store, database_url: str, assessed: tuple[Assessment, Profile]
) -> None:
    data = base64.b64encode(PNG).decode()
    profile = _profile(photo={"data": data}, banner={"data": data})
    store.add_report(assessed[0], profile)
    with _beside(database_url) as connection:
        assert connection.execute(text("SELECT count(*) FROM report_photos")).scalar() == 1


def test_reports_are_listed_newest_first_and_ids_are_read_leniently(
    store: Store, assessed: tuple[Assessment, Profile]
) -> None:
    assessment, profile = assessed
    ids = [store.add_report(assessment, profile, note=f"report {n}").id for n in range(5)]
    assert [record.id for record in store.list_reports()] == ids[::-1]
    assert [record.id for record in store.list_reports(limit=2)] == ids[:-3:-1]
    with pytest.raises(StoreError, match="limit must be between 1 and 1,000"):
        store.list_reports(limit=0)

    assert store.get_report(ids[0].upper()) is not None
    for unknown in (str(uuid.uuid4()), "not-a-uuid", ""):
        assert store.get_report(unknown) is None
    with pytest.raises(StoreError, match="unknown organisation"):
        store.get_report(ids[0], organisation="x' OR '1'='1")


def test_a_report_is_never_found_from_another_organisation(
    store: Store, database_url: str, assessed: tuple[Assessment, Profile]
) -> None:
    _add_organisation(database_url, "acme")
    assessment, _ = assessed
    profile = _profile(photo={"data": base64.b64encode(PNG).decode()})
    ours = store.add_report(assessment, profile, note="ours")
    theirs = store.add_report(assessment, profile, note="theirs", organisation="acme")
    sha = hashlib.sha256(PNG).hexdigest()

    assert store.get_report(ours.id, organisation="acme") is None
    assert store.get_report(theirs.id) is None
    assert store.get_report(theirs.id, organisation="acme") == theirs
    assert store.get_photo(ours.id, sha, organisation="acme") is None
    assert store.get_photo(theirs.id, sha) is None
    assert [record.id for record in store.list_reports()] == [ours.id]
    assert [record.id for record in store.list_reports("acme")] == [theirs.id]

    for call in (
        lambda: store.add_report(assessment, profile, organisation="nobody"),
        lambda: store.get_report(ours.id, organisation="nobody"),
        lambda: store.list_reports("nobody"),
        lambda: store.create_token("x", ["assess"], organisation="nobody"),
    ):
        with pytest.raises(StoreError, match="unknown organisation 'nobody'"):
            call()


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("note", "x" * 5_001, "the note is too long: 5,001 characters, at most 5,000"),
        ("note", "a\x00b", r"the note contains a control character \(U\+0000\) at position 2"),
        ("note", "bell\x07", r"U\+0007"),
        ("reporter_name", "n" * 201, "the reporter's name is too long: 201 characters"),
        ("reporter_name", "Sam\nAdmin", r"the reporter's name contains .* \(U\+000A\)"),
        ("reporter_name", "Sam \u202eevil", r"\(U\+202E\) at position 5"),
        ("reporter_contact", "a@b.c\u2028x", r"the reporter's contact contains .* \(U\+2028\)"),
        ("note", b"bytes", "the note must be text, not bytes"),
    ],
)
def test_bad_text_is_refused_with_the_reason(
    store: Store, assessed: tuple[Assessment, Profile], field: str, value: object, expected: str
) -> None:
    with pytest.raises(StoreError, match=expected):
        store.add_report(*assessed, **{field: value})  # type: ignore[arg-type]
    assert store.list_reports() == []


def test_text_at_the_limits_and_on_many_lines_is_kept(
    store: Store, assessed: tuple[Assessment, Profile]
) -> None:
    body = "line one\n\tline two\r\n\u0634\u0643\u0631\u0627 \u200f"  # Arabic, right-to-left mark
    note = body + "x" * (5_000 - len(body))
    name = "Zo\u00eb \u0141" + "n" * 195
    record = store.add_report(*assessed, note=note, reporter_name=name, reporter_contact="   ")
    assert (record.note, len(record.note)) == (note, 5_000)
    assert (record.reporter_name, len(name)) == (name, 200)
    assert record.reporter_contact is None


# hostile text: every character, including surrogates, NUL and the bidirectional overrides
HOSTILE = st.text(
    st.one_of(
        st.characters(),
        st.characters(categories=["Cs", "Cc", "Cf", "Zl", "Zp"]),
        st.sampled_from("\x00\t\n\r\x7f\x85\u202e\u2066"),
    ),
    max_size=300,
) | st.integers(4_990, 5_010).map(lambda length: "x" * length)


# One store for all the examples of a test: hypothesis runs them inside a single test call.
FUZZ_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@FUZZ_SETTINGS
@given(note=HOSTILE, name=st.none() | HOSTILE, contact=st.none() | HOSTILE)
def test_any_text_is_stored_as_given_or_refused_with_a_store_error(
    store: Store,
    assessed: tuple[Assessment, Profile],
    note: str,
    name: str | None,
    contact: str | None,
) -> None:
    try:
        record = store.add_report(
            *assessed, note=note, reporter_name=name, reporter_contact=contact
        )
    except StoreError:
        event("refused")
        return
    event("stored")
    again = store.get_report(record.id)
    assert again is not None
    assert again.note == note.strip()
    assert again.reporter_name == ((name or "").strip() or None)
    assert again.reporter_contact == ((contact or "").strip() or None)


@FUZZ_SETTINGS
@given(token=HOSTILE, organisation=HOSTILE, report_id=HOSTILE)
def test_hostile_tokens_ids_and_organisations_fail_safely(
    store: Store, token: str, organisation: str, report_id: str
) -> None:
    assert store.verify_token(token, "assess") is None
    assert store.verify_token("lv_" + token, "assess") is None
    if organisation == "default":
        assert store.get_report(report_id, organisation=organisation) is None
    else:
        with pytest.raises(StoreError, match="organisation"):
            store.get_report(report_id, organisation=organisation)


def test_threads_share_one_store(store: Store, assessed: tuple[Assessment, Profile]) -> None:
    # FastAPI runs handlers in a thread pool: writers and token checks at once.
    token, _ = store.create_token("threads", ["report"])
    ids: list[str] = []
    failures: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(15):
                assert store.verify_token(token, "report") is not None
                ids.append(store.add_report(*assessed, note="from a thread").id)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(set(ids)) == 120
    assert len(store.list_reports(limit=1_000)) == 120


# --- durability -----------------------------------------------------------------------------

BURST = """
import sys
from linkvet.engine import Engine
from linkvet.model import Profile
from linkvet.store import open_store

store = open_store(sys.argv[1])
profile = Profile(name="Burst", headline="Recruiter", about="Remote role, great pay.")
assessment = Engine().assess(profile)
print("ready", flush=True)
for number in range(int(sys.argv[2])):
    record = store.add_report(assessment, profile, note=f"report {number}")
    print(record.id, flush=True)
"""


def test_every_acknowledged_report_survives_kill_9(database_url: str) -> None:
    """A child adds reports as fast as it can and prints each id once `add_report` returns; it
    is killed mid-burst, three times over. Every id it printed must be in the store."""
    acknowledged: list[str] = []
    # Killed at once, or a little later, to land at other points of a commit.
    for delay in (0.0, 0.0013, 0.0047):
        child = subprocess.Popen(
            [sys.executable, "-c", BURST, database_url, "1000000"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdout.readline() == "ready\n"
        for _ in range(150):
            acknowledged.append(child.stdout.readline().strip())
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        # Ids printed between the last read and the kill count too; a line cut short does not.
        acknowledged += [line.strip() for line in child.stdout if line.endswith("\n")]
        assert child.wait(timeout=30) == -signal.SIGKILL

    with open_store(database_url) as store:
        missing = [key for key in acknowledged if store.get_report(key) is None]
    with _beside(database_url) as connection:
        if connection.dialect.name == "sqlite":
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        stored = connection.execute(text("SELECT count(*) FROM reports")).scalar_one()
    print(
        f"kill -9 ({make_url(database_url).get_backend_name()}): {len(acknowledged)} reports "
        f"acknowledged, {stored} stored, missing {missing}"
    )
    assert missing == []
    assert len(set(acknowledged)) == len(acknowledged) >= 450
    # At most one report per kill was committed but not yet acknowledged.
    assert len(acknowledged) <= stored <= len(acknowledged) + 3


# --- API tokens -----------------------------------------------------------------------------


def test_a_token_is_checked_for_scope_and_revocation(store: Store) -> None:
    token, record = store.create_token("intranet", ["report", "assess", "report"])
    assert token.startswith("lv_")
    assert len(token) == 3 + 43
    assert record.prefix == token[:8]
    assert record.scopes == ("assess", "report")
    assert (record.organisation, record.name) == ("default", "intranet")
    assert record.last_used_at is None
    assert record.revoked_at is None

    used = store.verify_token(token, "report")
    assert used is not None
    assert used.id == record.id
    assert used.last_used_at is not None
    assert used.last_used_at.tzinfo == dt.UTC
    assert store.verify_token(token, "assess") is not None
    assert store.verify_token(token, "learn") is None
    assert store.verify_token(token[:-1] + ("A" if token[-1] != "A" else "B"), "report") is None
    assert store.verify_token(token + " ", "report") is None
    assert store.verify_token("", "report") is None

    other, _ = store.create_token("other", TOKEN_SCOPES)
    revoked = store.revoke_token(record.id)
    assert revoked.revoked_at is not None
    assert store.verify_token(token, "report") is None
    assert store.revoke_token(record.id).revoked_at == revoked.revoked_at
    assert store.verify_token(other, "learn") is not None

    for unknown in (999, "1", None):
        with pytest.raises(StoreError, match="no API token"):
            store.revoke_token(unknown)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "scopes", "expected"),
    [
        ("ci", ["assess", "admin"], r"unknown scope\(s\) 'admin': expected assess, report, learn"),
        ("ci", [], "at least one scope"),
        ("ci", "assess", "a list of names, not one string"),
        ("", ["assess"], "the token's name is empty"),
        ("c\ti", ["assess"], r"U\+0009"),
        ("x" * 201, ["assess"], "too long"),
    ],
)
def test_bad_token_requests_are_refused(
    store: Store, name: str, scopes: list[str], expected: str
) -> None:
    with pytest.raises(StoreError, match=expected):
        store.create_token(name, scopes)


def test_an_unknown_scope_is_a_programming_error(store: Store) -> None:
    with pytest.raises(StoreError, match="unknown scope 'admin'"):
        store.verify_token("lv_whatever", "admin")


def test_a_token_from_another_organisation_cannot_be_revoked(
    store: Store, database_url: str
) -> None:
    _add_organisation(database_url, "acme")
    token, record = store.create_token("acme api", ["assess"], organisation="acme")
    with pytest.raises(StoreError, match="no API token"):
        store.revoke_token(record.id)
    verified = store.verify_token(token, "assess")
    assert verified is not None
    assert verified.organisation == "acme"


def test_last_use_is_written_at_most_once_a_minute(store: Store) -> None:
    token, record = store.create_token("busy client", ["assess"])
    first = store.verify_token(token, "assess")
    assert first is not None
    assert first.last_used_at is not None
    second = store.verify_token(token, "assess")
    assert second is not None
    assert second.last_used_at == first.last_used_at

    two_minutes_ago = first.last_used_at - dt.timedelta(minutes=2)
    with Session(store._engine) as session, session.begin():
        session.execute(
            update(ApiToken).where(ApiToken.id == record.id).values(last_used_at=two_minutes_ago)
        )
    third = store.verify_token(token, "assess")
    assert third is not None
    assert third.last_used_at is not None
    assert third.last_used_at >= first.last_used_at


@only_on("sqlite")
def test_the_plain_token_is_never_written_to_the_sqlite_files(
    store: Store, database_url: str
) -> None:
    database = _sqlite_file(database_url)
    tokens = [store.create_token(f"token {n}", ["assess"])[0] for n in range(5)]
    for token in tokens:
        assert store.verify_token(token, "assess") is not None
    store.revoke_token(1)
    # Read the files while the store is still open (the write-ahead log included), then after.
    for _ in range(2):
        written = b"".join(path.read_bytes() for path in database.parent.glob(f"{database.name}*"))
        for token in tokens:
            assert token.encode() not in written
            assert token[3:].encode() not in written
            assert hashlib.sha256(token.encode()).hexdigest().encode() in written
        store.close()
