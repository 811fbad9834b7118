"""The security team's side of the case store, on SQLite and on PostgreSQL: accounts and
sign-in, organisations kept apart, triage with optimistic locking, related cases linked
automatically, merging, erasure, retention, the audit log, and labels for `linkvet evaluate`."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest
from alembic import command
from alembic.config import Config
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from sqlalchemy import Connection, create_engine, text

from linkvet.cli import cli
from linkvet.engine import Engine
from linkvet.model import Profile
from linkvet.store import (
    CaseConflict,
    CaseFilter,
    LoginThrottled,
    ReportRecord,
    ReportStatus,
    Role,
    Store,
    StoreError,
    UserRecord,
    open_store,
    profile_of,
)
from linkvet.store._database import MIGRATIONS
from tests.conftest import AS_OF, ROOT, only_on

PASSWORD: Final = "correct horse battery staple"
NASA: Final = (ROOT / "examples" / "photos" / "eileen-collins-nasa.jpg").read_bytes()
ENGINE: Final = Engine()


def _resized_copy(data: bytes) -> bytes:
    """The same photo as a platform would serve it again: smaller, re-encoded."""
    with Image.open(io.BytesIO(data)) as image:
        smaller = image.convert("RGB").resize((image.width // 2, image.height // 2))
        buffer = io.BytesIO()
        smaller.save(buffer, format="JPEG", quality=70)
        return buffer.getvalue()


def _profile(name: str, url: str, photo: bytes | None = None, **extra: object) -> Profile:
    document: dict[str, object] = {
        "platform": "linkedin",
        "url": url,
        "name": name,
        "headline": "Talent partner",
        "invitation": {"text": "An exclusive paid advisory role; shall we move to WhatsApp?"},
        **extra,
    }
    if photo is not None:
        document["photo"] = {"data": __import__("base64").b64encode(photo).decode()}
    return Profile.model_validate(document)


def _report(store: Store, profile: Profile, **options: object) -> ReportRecord:
    assessment = ENGINE.assess(profile, as_of=AS_OF)
    return store.add_report(assessment, profile, **options)  # type: ignore[arg-type]


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    with open_store(database_url) as opened:
        opened.create_organisation("acme", "Acme Research")
        yield opened


@contextlib.contextmanager
def _beside(database_url: str) -> Iterator[Connection]:
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


def _count(database_url: str, table: str, where: str = "1 = 1", **params: object) -> int:
    with _beside(database_url) as connection:
        found = connection.execute(text(f"SELECT count(*) FROM {table} WHERE {where}"), params)
        return int(found.scalar_one())


def _admin(store: Store, organisation: str = "default") -> UserRecord:
    return store.create_user(
        f"admin@{organisation}.example", PASSWORD, role=Role.ADMIN, display_name="Ada Admin",
        organisation=organisation, actor="test",
    )  # fmt: skip


# --- migrations -------------------------------------------------------------------------------


def test_a_store_made_by_the_first_release_is_upgraded_with_its_reports(database_url: str) -> None:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    engine = create_engine(database_url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        connection.execute(
            text(
                "INSERT INTO reports (id, organisation_id, created_at, status, band, probability,"
                " note, assessment_json, profile_json, version) VALUES ('3b241101-e2bb-4255-8caf-"
                "4136c566a962', 1, :at, 'new', 'high', 0.9, 'old', '{}', '{}', 1)"
            ),
            {"at": dt.datetime(2026, 1, 2, tzinfo=dt.UTC)},
        )
    engine.dispose()
    with open_store(database_url) as store:
        page = store.list_cases("default")
        assert [case.note for case in page.cases] == ["old"]
        assert page.cases[0].team is None
        assert page.cases[0].merged_into is None
        assert store.related(page.cases[0].id, organisation="default") == []


# --- accounts and signing in ------------------------------------------------------------------


def test_a_password_is_kept_only_as_an_argon2id_hash(store: Store, database_url: str) -> None:
    user = _admin(store)
    with _beside(database_url) as connection:
        stored = connection.execute(text("SELECT password_hash FROM users")).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert store.authenticate(user.email, PASSWORD, address="10.0.0.1") == user
    assert store.authenticate(user.email.upper(), PASSWORD, address="10.0.0.1") == user
    assert store.authenticate(user.email, PASSWORD + "x", address="10.0.0.1") is None
    assert store.authenticate("nobody@example.org", PASSWORD, address="10.0.0.1") is None


@pytest.mark.parametrize(
    ("email", "password", "expected"),
    [
        ("not-an-address", PASSWORD, "not an e-mail address"),
        ("a@b.example", "short", "a password needs 12"),
        ("a@b.example", "x" * 1025, "a password needs 12"),
        ("a\u202e@b.example", PASSWORD, "control character"),
    ],
)
def test_bad_accounts_are_refused_with_the_reason(
    store: Store, email: str, password: str, expected: str
) -> None:
    with pytest.raises(StoreError, match=expected):
        store.create_user(email, password, role="reporter", display_name="X", actor="test")


def test_an_address_has_one_account_and_roles_are_checked(store: Store) -> None:
    _admin(store)
    with pytest.raises(StoreError, match="already an account"):
        _admin(store)
    with pytest.raises(StoreError, match="unknown role"):
        store.create_user("r@x.example", PASSWORD, role="boss", display_name="R", actor="t")


def test_guessing_is_throttled_per_account_even_with_the_right_password(store: Store) -> None:
    user = _admin(store)
    for _ in range(5):
        assert store.authenticate(user.email, "wrong password!", address="10.0.0.9") is None
    with pytest.raises(LoginThrottled, match="too many failed sign-ins"):
        store.authenticate(user.email, PASSWORD, address="10.0.0.10")
    # Another account is not held up by it.
    other = store.create_user(
        "other@x.example", PASSWORD, role="reporter", display_name="O", actor="t"
    )
    assert store.authenticate(other.email, PASSWORD, address="10.0.0.9") == other


def test_sessions_live_until_sign_out_expiry_or_a_disabled_account(
    store: Store, database_url: str
) -> None:
    admin = _admin(store)
    user = store.create_user("r@x.example", PASSWORD, role="reporter", display_name="R", actor="t")
    token = store.start_session(user)
    assert store.session_user(token) == user
    assert store.session_user(token + "x") is None
    assert store.session_user(None) is None
    store.end_session(token)
    assert store.session_user(token) is None

    token = store.start_session(user)
    with _beside(database_url) as connection:
        connection.execute(
            text("UPDATE sessions SET expires_at = :at"),
            {"at": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)},
        )
    assert store.session_user(token) is None

    token = store.start_session(user)
    store.change_user(user.id, organisation="default", actor=admin.actor, disabled=True)
    assert store.session_user(token) is None
    assert store.authenticate(user.email, PASSWORD, address="10.0.0.1") is None
    with _beside(database_url) as connection:
        assert "token" not in " ".join(
            row[0] for row in connection.execute(text("SELECT token_hash FROM sessions"))
        )
    assert _count(database_url, "sessions", "user_id = :id", id=user.id) == 0


def test_the_last_admin_stays_an_admin(store: Store) -> None:
    admin = _admin(store)
    with pytest.raises(StoreError, match="at least one active admin"):
        store.change_user(admin.id, organisation="default", actor="t", role="analyst")
    with pytest.raises(StoreError, match="at least one active admin"):
        store.change_user(admin.id, organisation="default", actor="t", disabled=True)
    second = store.create_user(
        "second@x.example", PASSWORD, role="admin", display_name="S", actor="t"
    )
    assert (
        store.change_user(admin.id, organisation="default", actor="t", role="analyst").role
        == Role.ANALYST
    )
    assert store.change_user(second.id, organisation="default", actor="t", password=PASSWORD + "2")


def test_an_account_of_another_organisation_cannot_be_changed(store: Store) -> None:
    theirs = _admin(store, "acme")
    _admin(store)
    with pytest.raises(StoreError, match="no account"):
        store.change_user(theirs.id, organisation="default", actor="t", disabled=True)
    assert [user.email for user in store.users("default")] == ["admin@default.example"]


# --- organisations and reporters kept apart -----------------------------------------------------


def test_nothing_of_one_organisation_is_reachable_from_another(store: Store) -> None:
    ours = _report(store, _profile("Nina Novak", "https://linkedin.com/in/nina", NASA))
    theirs = _report(
        store, _profile("Nina Novak", "https://linkedin.com/in/nina", NASA), organisation="acme"
    )
    sha = next(iter(store.photos(ours.id, organisation="default")))
    assert store.get_report(ours.id, organisation="acme") is None
    assert store.get_photo(ours.id, sha, organisation="acme") is None
    assert store.photos(ours.id, organisation="acme") == {}
    assert store.notes(ours.id, organisation="acme") == []
    assert ours.id not in {c.id for c in store.list_cases("acme").cases}
    # The same photo and name in another organisation links nothing across.
    assert store.related(ours.id, organisation="default") == []
    assert store.related(theirs.id, organisation="acme") == []
    for attempt in (
        lambda: store.update_case(
            ours.id, organisation="acme", version=1, actor="t", status="benign"
        ),
        lambda: store.add_note(ours.id, "x", organisation="acme", author="a", actor="t"),
        lambda: store.merge_case(ours.id, theirs.id, organisation="acme", version=1, actor="t"),
        lambda: store.merge_case(theirs.id, ours.id, organisation="acme", version=1, actor="t"),
        lambda: store.delete_case(ours.id, organisation="acme", actor="t"),
    ):
        with pytest.raises(StoreError, match="no such case"):
            attempt()
    assert store.get_report(ours.id, organisation="default") == ours


def test_a_reporter_reaches_only_their_own_reports(store: Store) -> None:
    one = store.create_user(
        "one@x.example", PASSWORD, role="reporter", display_name="One", actor="t"
    )
    two = store.create_user(
        "two@x.example", PASSWORD, role="reporter", display_name="Two", actor="t"
    )
    mine = _report(
        store, _profile("A B", "https://linkedin.com/in/ab", NASA), reporter_user_id=one.id
    )
    _report(store, _profile("C D", "https://linkedin.com/in/cd"), reporter_user_id=two.id)
    assert store.get_report(mine.id, organisation="default", reporter=two.id) is None
    assert store.get_report(mine.id, organisation="default", reporter=one.id) == mine
    sha = next(iter(store.photos(mine.id, organisation="default")))
    assert store.get_photo(mine.id, sha, organisation="default", reporter=two.id) is None
    assert [c.id for c in store.list_cases("default", reporter=one.id).cases] == [mine.id]


# --- related cases ------------------------------------------------------------------------------


def test_reports_sharing_a_photo_are_linked_both_ways(store: Store) -> None:
    first = _report(store, _profile("Nina Novak", "https://linkedin.com/in/nina-novak", NASA))
    second = _report(
        store,
        _profile("Sofia Lind", "https://linkedin.com/in/sofia-lind", _resized_copy(NASA)),
    )
    unrelated = _report(store, _profile("Tom Berg", "https://linkedin.com/in/tom-berg"))
    [link] = store.related(first.id, organisation="default")
    assert link.other_id == second.id
    assert link.other_subject_name == "Sofia Lind"
    assert any(reason.startswith("same photo") for reason in link.reasons), link.reasons
    assert [other.other_id for other in store.related(second.id, organisation="default")] == [
        first.id
    ]
    assert store.related(unrelated.id, organisation="default") == []
    page = store.list_cases("default")
    assert page.linked == {first.id: 1, second.id: 1}


def test_reports_of_one_persona_are_linked_by_url_name_and_employer(store: Store) -> None:
    first = _report(
        store,
        _profile("Dr. Élodie Marchand", "https://www.linkedin.com/in/elodie-m/",
                 experience=[{"title": "Partner", "organisation": "Northbridge Advisory Ltd", "current": True}]),
    )  # fmt: skip
    second = _report(
        store,
        _profile("Elodie Marchand", "https://linkedin.com/in/Elodie-M?trk=x",
                 experience=[{"title": "Partner", "organisation": "Northbridge Advisory", "current": True}]),
    )  # fmt: skip
    [link] = store.related(second.id, organisation="default")
    assert link.other_id == first.id
    text_of = " | ".join(link.reasons)
    assert link.reasons == (
        "same profile URL",
        "same name: elodie marchand",
        "same claimed employer: northbridge advisory",
    ), text_of


# --- triage -------------------------------------------------------------------------------------


def test_two_analysts_never_silently_overwrite_each_other(store: Store) -> None:
    case = _report(store, _profile("Nina Novak", "https://linkedin.com/in/nina"))
    first = store.update_case(
        case.id, organisation="default", version=case.version, actor="a", status="triaging"
    )
    assert first.version == case.version + 1
    assert first.updated_at is not None
    with pytest.raises(CaseConflict, match="someone else changed this case first") as raised:
        store.update_case(
            case.id, organisation="default", version=case.version, actor="b", status="benign"
        )
    assert raised.value.current.status == ReportStatus.TRIAGING
    assert store.get_report(case.id, organisation="default").status == ReportStatus.TRIAGING  # type: ignore[union-attr]


def test_concurrent_edits_from_one_version_let_exactly_one_through(store: Store) -> None:
    case = _report(store, _profile("Nina Novak", "https://linkedin.com/in/nina"))
    outcomes: list[str] = []
    start = threading.Barrier(6)

    def edit(status: str) -> None:
        start.wait()
        try:
            store.update_case(
                case.id, organisation="default", version=case.version, actor=status, status=status
            )
            outcomes.append("saved")
        except CaseConflict:
            outcomes.append("conflict")

    statuses = ["triaging", "benign", "confirmed_fake"] * 2
    threads = [threading.Thread(target=edit, args=(status,)) for status in statuses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict"] * 5 + ["saved"]


def test_the_verdict_is_the_label_and_filters_find_cases(store: Store) -> None:
    fake = _report(store, _profile("Nina Novak", "https://linkedin.com/in/nina"), team="Propulsion")
    fine = _report(store, _profile("Tom Berg", "https://linkedin.com/in/tom"))
    undecided = _report(store, _profile("Eve Ek", "https://linkedin.com/in/eve"))
    fake = store.update_case(
        fake.id, organisation="default", version=fake.version, actor="a", status="confirmed_fake"
    )
    fine = store.update_case(
        fine.id,
        organisation="default",
        version=fine.version,
        actor="a",
        status="benign",
        team="Finance",
    )
    assert (fake.label, fine.label, undecided.label) == (1, 0, None)

    def ids(**filters: object) -> set[str]:
        return {c.id for c in store.list_cases("default", filters=CaseFilter(**filters)).cases}  # type: ignore[arg-type]

    assert ids(status=ReportStatus.CONFIRMED_FAKE) == {fake.id}
    assert ids(team="propulsion") == {fake.id}
    assert ids(text="berg") == {fine.id}
    assert ids(text="%") == set()  # a LIKE wildcard is a plain character
    assert ids(band=fake.band) >= {fake.id}
    today = dt.datetime.now(dt.UTC).date()
    assert ids(since=today, until=today) == {fake.id, fine.id, undecided.id}
    assert ids(until=today - dt.timedelta(days=1)) == set()
    assert store.teams("default") == ["Finance", "Propulsion"]
    with pytest.raises(StoreError, match="unknown status"):
        store.update_case(
            fine.id, organisation="default", version=fine.version, actor="a", status="guilty"
        )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text_filter=st.text(max_size=300), team=st.text(max_size=300))
def test_any_filter_text_is_searched_for_never_an_error(
    store: Store, text_filter: str, team: str
) -> None:
    page = store.list_cases("default", filters=CaseFilter(text=text_filter, team=team))
    assert page.total >= 0


def test_notes_are_kept_in_order_with_their_author(store: Store) -> None:
    case = _report(store, _profile("Nina Novak", "https://linkedin.com/in/nina"))
    store.add_note(
        case.id, "Asked HR: no such recruiter.", organisation="default", author="Ana", actor="a"
    )
    store.add_note(
        case.id,
        "Reported to LinkedIn.\nTicket 123.",
        organisation="default",
        author="Bo",
        actor="b",
    )
    assert [(n.author, n.text) for n in store.notes(case.id, organisation="default")] == [
        ("Ana", "Asked HR: no such recruiter."),
        ("Bo", "Reported to LinkedIn.\nTicket 123."),
    ]
    with pytest.raises(StoreError, match="empty"):
        store.add_note(case.id, "   ", organisation="default", author="Ana", actor="a")


def test_a_merged_duplicate_leaves_the_list_and_points_to_its_case(store: Store) -> None:
    keep = _report(store, _profile("Nina Novak", "https://linkedin.com/in/nina"))
    dup = _report(store, _profile("Nina Novak", "https://linkedin.com/in/nina"))
    older_dup = _report(store, _profile("Nina Novak", "https://linkedin.com/in/nina"))
    store.merge_case(
        older_dup.id, dup.id, organisation="default", version=older_dup.version, actor="a"
    )
    merged = store.merge_case(
        dup.id, keep.id, organisation="default", version=dup.version, actor="a"
    )
    assert merged.merged_into == keep.id
    # What had been merged into the duplicate follows it.
    assert store.get_report(older_dup.id, organisation="default").merged_into == keep.id  # type: ignore[union-attr]
    assert [c.id for c in store.list_cases("default").cases] == [keep.id]
    assert {c.id for c in store.merged_into(keep.id, organisation="default")} == {
        dup.id,
        older_dup.id,
    }
    with pytest.raises(StoreError, match="into itself"):
        store.merge_case(keep.id, keep.id, organisation="default", version=keep.version, actor="a")
    fresh = store.get_report(keep.id, organisation="default")
    assert fresh is not None
    with pytest.raises(StoreError, match="itself merged"):
        store.merge_case(keep.id, dup.id, organisation="default", version=fresh.version, actor="a")
    with pytest.raises(CaseConflict):
        store.merge_case(dup.id, keep.id, organisation="default", version=dup.version, actor="a")


# --- erasure and retention ----------------------------------------------------------------------


def test_deleting_a_case_erases_its_photo_hashes_notes_and_links(
    store: Store, database_url: str
) -> None:
    gone = _report(store, _profile("Nina Novak", "https://linkedin.com/in/nina", NASA))
    kept = _report(store, _profile("Sofia Lind", "https://linkedin.com/in/sofia", NASA))
    store.add_note(gone.id, "note", organisation="default", author="a", actor="a")
    assert _count(database_url, "case_links") == 2
    store.delete_case(gone.id, organisation="default", actor="Ada")
    for table in ("report_photos", "case_fingerprints", "case_notes"):
        assert _count(database_url, table, "report_id = :id", id=gone.id) == 0, table
    assert _count(database_url, "case_links") == 0
    assert _count(database_url, "report_photos", "report_id = :id", id=kept.id) == 1
    assert store.related(kept.id, organisation="default") == []
    [entry] = [e for e in store.audit_log("default") if e.action == "case.delete"]
    assert entry.target == f"case {gone.id}"
    assert "Nina" not in entry.detail
    with pytest.raises(StoreError, match="no such case"):
        store.delete_case(gone.id, organisation="default", actor="Ada")


@only_on("sqlite")
def test_an_erased_photo_leaves_no_copy_in_the_sqlite_files(
    store: Store, database_url: str
) -> None:
    marker = _photo_with_marker()
    case = _report(store, _profile("Nina Novak", "https://linkedin.com/in/nina", marker))
    path = Path(database_url.removeprefix("sqlite:///"))
    assert marker[-4000:] in _files_bytes(path)
    store.delete_case(case.id, organisation="default", actor="a")
    assert marker[-4000:] not in _files_bytes(path)


def _photo_with_marker() -> bytes:
    """A photo whose bytes are unlike anything else in the database."""
    image = Image.effect_noise((256, 256), 90).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _files_bytes(path: Path) -> bytes:
    return b"".join(
        candidate.read_bytes()
        for candidate in (path, path.with_name(path.name + "-wal"))
        if candidate.exists()
    )


def test_retention_erases_old_cases_per_organisation(store: Store) -> None:
    ours = _report(store, _profile("Nina Novak", "https://linkedin.com/in/nina", NASA))
    theirs = _report(
        store, _profile("Tom Berg", "https://linkedin.com/in/tom"), organisation="acme"
    )
    store.set_retention("default", 30, actor="Ada")
    assert store.organisation("default").retention_days == 30  # type: ignore[union-attr]
    assert store.purge_expired().cases == {}
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=31)
    assert store.purge_expired(at=later).cases == {"default": 1}
    assert store.get_report(ours.id, organisation="default") is None
    assert store.get_report(theirs.id, organisation="acme") is not None  # acme keeps its cases
    actions = [entry.action for entry in store.audit_log("default")]
    assert actions[:2] == ["retention.purge", "retention.set"]
    for days in (0, -1, 40_000):
        with pytest.raises(StoreError, match="retention must be"):
            store.set_retention("default", days, actor="Ada")


# --- the audit log and labels -------------------------------------------------------------------


def test_the_audit_log_records_who_did_what_in_each_organisation(store: Store) -> None:
    admin = _admin(store)
    store.authenticate(admin.email, PASSWORD, address="192.0.2.7")
    store.authenticate(admin.email, "wrong password!", address="192.0.2.8")
    case = _report(store, _profile("Nina Novak", "https://linkedin.com/in/nina"))
    store.update_case(
        case.id, organisation="default", version=case.version, actor=admin.actor, status="triaging"
    )
    store.audit("default", actor=admin.actor, action="case.view", target=f"case {case.id}")
    log = store.audit_log("default")
    assert [e.action for e in log] == [
        "case.view",
        "case.change",
        "login.failed",
        "login",
        "user.create",
    ]
    assert log[1].actor == "Ada Admin <admin@default.example> (admin)"
    assert log[1].detail == "status new -> triaging"
    assert log[2].detail == "from 192.0.2.8"
    assert store.audit_log("acme") == []
    with pytest.raises(StoreError, match="limit"):
        store.audit_log("default", limit=0)


def test_labelled_cases_feed_linkvet_evaluate(
    store: Store, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for index, status in enumerate(["confirmed_fake", "benign", "reported_to_platform", "new"]):
        case = _report(
            store,
            _profile(
                f"Person {index}", f"https://linkedin.com/in/p{index}", NASA if index == 0 else None
            ),
        )
        store.update_case(
            case.id, organisation="default", version=case.version, actor="a", status=status
        )
    pairs = list(store.labelled_cases("default"))
    assert [case.label for case, _ in pairs] == [1, 0, 1]
    profile = profile_of(pairs[0][0].profile_json, pairs[0][1])
    assert profile.photo is not None
    assert profile.photo.data == NASA

    monkeypatch.setenv("LINKVET_DATABASE_URL", database_url)
    target = tmp_path / "labels.jsonl"
    result = CliRunner().invoke(cli, ["cases", "labels", "-o", str(target)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in target.read_text().splitlines()]
    assert [row["label"] for row in rows] == [1, 0, 1]
    evaluated = CliRunner().invoke(
        cli, ["evaluate", str(target), "--detectors", "approach.phrases", "--format", "json",
              "--plots", str(tmp_path / "plots")],
    )  # fmt: skip
    assert evaluated.exit_code == 0, evaluated.output
    assert json.loads(evaluated.output)["figures"]


def test_the_command_line_makes_organisations_accounts_and_tokens(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LINKVET_DATABASE_URL", database_url)
    runner = CliRunner()
    made = runner.invoke(cli, ["org", "create", "acme", "Acme Research"])
    assert made.exit_code == 0, made.output
    user = runner.invoke(
        cli, ["user", "create", "ana@acme.example", "--name", "Ana", "--role", "analyst",
              "--organisation", "acme", "--password-stdin"], input=PASSWORD + "\n",
    )  # fmt: skip
    assert user.exit_code == 0, user.output
    assert "analyst in acme" in user.output
    weak = runner.invoke(
        cli, ["user", "create", "bo@acme.example", "--name", "Bo", "--role", "analyst",
              "--password-stdin"], input="short\n",
    )  # fmt: skip
    assert weak.exit_code != 0
    assert "password needs" in weak.output
    token = runner.invoke(
        cli, ["token", "create", "siem", "--scopes", "cases", "--organisation", "acme"]
    )
    assert token.exit_code == 0, token.output
    with open_store(database_url) as store:
        assert store.authenticate("ana@acme.example", PASSWORD, address="x") is not None
        record = store.verify_token(token.output.splitlines()[0], "cases")
        assert record is not None
        assert record.organisation == "acme"


def test_a_much_reported_persona_links_a_new_case_to_the_newest_few(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("linkvet.store._cases.MAX_LINKS", 3)
    cases = [
        _report(store, _profile(f"Persona {n}", "https://linkedin.com/in/same-persona"))
        for n in range(6)
    ]
    newest = store.related(cases[-1].id, organisation="default")
    assert [link.other_id for link in newest] == [case.id for case in reversed(cases[2:5])]
    assert all(link.reasons == ("same profile URL",) for link in newest)


def test_sign_in_attempts_made_at_once_are_all_counted(store: Store) -> None:
    user = _admin(store)
    start = threading.Barrier(12)
    outcomes: list[str] = []

    def guess() -> None:
        start.wait()
        try:
            store.authenticate(user.email, "a wrong guess!", address="198.51.100.1")
            outcomes.append("refused")
        except LoginThrottled:
            outcomes.append("throttled")

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # However the attempts interleave, no more than the limit is ever verified.
    assert outcomes.count("refused") <= 5
    assert outcomes.count("throttled") >= 7


def test_a_date_at_the_end_of_time_is_a_filter_not_an_error(store: Store) -> None:
    case = _report(store, _profile("Nina Novak", "https://linkedin.com/in/nina"))
    page = store.list_cases("default", filters=CaseFilter(until=dt.date.max, since=dt.date.min))
    assert [found.id for found in page.cases] == [case.id]


def test_erasing_a_case_names_the_check_it_came_from(store: Store) -> None:
    case = _report(store, _profile("Nina Novak", "https://linkedin.com/in/nina"),
                   source_check="A" * 22)  # fmt: skip
    assert case.source_check == "A" * 22
    assert (
        _report(store, _profile("X Y", "https://x.example/y"), source_check="../x").source_check
        is None
    )
    assert store.delete_case(case.id, organisation="default", actor="a") == "A" * 22
