"""The security team's pages and API through HTTP (the real app and store): signing in, roles,
organisations kept apart on every route, triage with optimistic locking, exports, the audit log.

The isolation test walks the app's own route table, so that a route added later is either
tried with another organisation's ids or named here as holding no organisation's data.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from stix2validator import ValidationOptions, validate_string  # type: ignore[import-untyped]

from linkvet.engine import Engine
from linkvet.model import Profile
from linkvet.store import ReportRecord, Role, Store, UserRecord
from linkvet.web.app import ROUTERS, close_app, create_app
from linkvet.web.settings import WebSettings
from tests.conftest import AS_OF, ROOT

CSRF: Final = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')
PASSWORD: Final = "correct horse battery staple"
NASA: Final = (ROOT / "examples" / "photos" / "eileen-collins-nasa.jpg").read_bytes()
PAYLOAD: Final = "<script>alert(1)</script><img src=x onerror=alert(2)>"
# Routes with a path parameter that hold no organisation's data (a person's own check, a
# learning module, an evidence picture named by a random id).
NOT_ORGANISATION_DATA: Final = {
    "/check/{check_id}",
    "/check/{check_id}/report",
    "/pictures/{name}",
    "/learn/{module_id}",
    "/api/v1/learn/modules/{module_id}",
    "/static",
}

# Routes whose path parameter is a format, not an id: they list the caller's own cases.
ORGANISATION_LISTS: Final = {"/cases/export.{kind}", "/api/v1/cases/export/{kind}"}


@dataclass
class Site:
    app: FastAPI
    store: Store
    users: dict[str, UserRecord]
    cases: dict[str, ReportRecord]
    photo: str  # the sha256 of the reporter's case photo
    tokens: dict[str, str]

    def client(self, who: str | None = None) -> TestClient:
        """A browser of its own, signed in as `who` (or not at all)."""
        client = TestClient(self.app)
        if who is not None:
            sign_in(client, self.users[who].email)
        return client


def csrf(client: TestClient, path: str = "/check") -> str:
    page = client.get(path)
    match = CSRF.search(page.text)
    assert match is not None, (path, page.status_code)
    return match[1]


def sign_in(client: TestClient, email: str, password: str = PASSWORD, next_path: str = "/"):  # type: ignore[no-untyped-def]
    return client.post(
        "/login",
        data={"csrf_token": csrf(client, "/login"), "email": email, "password": password,
              "next": next_path},
        follow_redirects=False,
    )  # fmt: skip


def _profile(name: str, url: str, photo: bytes | None = None) -> Profile:
    document: dict[str, object] = {
        "platform": "linkedin", "url": url, "name": name, "headline": "Talent partner",
        "invitation": {"text": "An exclusive paid advisory role; shall we move to WhatsApp?"},
    }  # fmt: skip
    if photo is not None:
        document["photo"] = {"data": base64.b64encode(photo).decode()}
    return Profile.model_validate(document)


def add_case(store: Store, name: str, url: str, **options: object) -> ReportRecord:
    photo = options.pop("photo", None)
    profile = _profile(name, url, photo)  # type: ignore[arg-type]
    return store.add_report(Engine().assess(profile, as_of=AS_OF), profile, **options)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("triage")
    app = create_app(WebSettings(var_dir=folder / "var", database_url=None))
    store: Store = app.state.store
    store.create_organisation("acme", "Acme Research")
    users = {}
    for key, role, organisation in (
        ("reporter", Role.REPORTER, "default"), ("other_reporter", Role.REPORTER, "default"),
        ("analyst", Role.ANALYST, "default"), ("admin", Role.ADMIN, "default"),
        ("acme_admin", Role.ADMIN, "acme"), ("acme_analyst", Role.ANALYST, "acme"),
    ):  # fmt: skip
        users[key] = store.create_user(
            f"{key}@{organisation}.example", PASSWORD, role=role, display_name=key.title(),
            organisation=organisation, actor="test",
        )  # fmt: skip
    cases = {
        "reported": add_case(store, "Nina Novak", "https://linkedin.com/in/nina-novak",
                             photo=NASA, reporter_user_id=users["reporter"].id, team="Propulsion"),
        "other": add_case(store, "Sofia Lind", "https://linkedin.com/in/sofia-lind",
                          photo=NASA, reporter_user_id=users["other_reporter"].id),
        "acme": add_case(store, "Tom Berg", "https://linkedin.com/in/tom-berg",
                         organisation="acme"),
    }  # fmt: skip
    photo = next(iter(store.photos(cases["reported"].id, organisation="default")))
    tokens = {
        "cases": store.create_token("siem", ["cases"])[0],
        "assess": store.create_token("intranet", ["assess"])[0],
        "acme": store.create_token("acme siem", ["cases", "report"], organisation="acme")[0],
    }
    yield Site(app, store, users, cases, photo, tokens)
    close_app(app)


# --- signing in ----------------------------------------------------------------------------------


def test_signing_in_sets_a_session_cookie_that_scripts_cannot_read(site: Site) -> None:
    client = site.client()
    answer = sign_in(client, site.users["analyst"].email, next_path="/cases")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/cases"
    cookie = next(
        v for k, v in answer.headers.multi_items() if k == "set-cookie" and "lv_session" in v
    )
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Path=/" in cookie
    assert client.get("/cases").status_code == 200
    logout = client.post(
        "/logout", data={"csrf_token": csrf(client, "/cases")}, follow_redirects=False
    )
    assert logout.status_code == 303
    assert client.get("/cases", follow_redirects=False).status_code == 303


@pytest.mark.parametrize(
    "next_path",
    ["//evil.example/", "https://evil.example/", "/\t/evil.example", "\\\\evil", "/%0a"],
)
def test_signing_in_never_sends_the_browser_to_another_site(site: Site, next_path: str) -> None:
    answer = sign_in(site.client(), site.users["analyst"].email, next_path=next_path)
    assert answer.status_code == 303
    assert answer.headers["location"] in {"/", next_path}
    assert answer.headers["location"].startswith("/")
    assert not answer.headers["location"].startswith("//")


def test_a_wrong_password_is_refused_and_guessing_is_throttled(site: Site) -> None:
    site.store.create_user(
        "guessed@default.example", PASSWORD, role="reporter", display_name="G", actor="t"
    )
    client = site.client()
    for _ in range(5):
        answer = sign_in(client, "guessed@default.example", "not the password")
        assert answer.status_code == 401
        assert "do not match an active account" in answer.text
    throttled = sign_in(client, "guessed@default.example")
    assert throttled.status_code == 429
    assert "Too many attempts" in throttled.text


def test_sign_in_and_out_need_the_forms_csrf_token(site: Site) -> None:
    client = site.client()
    client.get("/login")
    answer = client.post("/login", data={"email": site.users["admin"].email, "password": PASSWORD})
    assert answer.status_code == 403
    assert client.post("/logout", data={}).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in_and_back(site: Site) -> None:
    client = site.client()
    for path in ("/cases", f"/cases/{site.cases['reported'].id}", "/admin", "/my/reports"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/login?next=")


# --- roles ---------------------------------------------------------------------------------------


def test_each_role_reaches_what_it_may_and_nothing_more(site: Site) -> None:
    case = site.cases["reported"].id
    reporter, analyst, admin = (site.client(who) for who in ("reporter", "analyst", "admin"))
    for path in (
        "/cases",
        f"/cases/{case}",
        f"/cases/{case}/export.stix.json",
        "/admin",
        "/admin/audit",
    ):
        assert reporter.get(path).status_code == 403, path
    for path in ("/admin", "/admin/audit"):
        assert analyst.get(path).status_code == 403, path
    refused = analyst.post(
        f"/cases/{case}/delete", data={"csrf_token": csrf(analyst), "confirm": "delete"}
    )
    assert refused.status_code == 403
    for path in ("/cases", f"/cases/{case}", "/admin", "/admin/audit", "/my/reports"):
        assert admin.get(path).status_code == 200, path
    # A reporter sees their own report and its photo, and only theirs.
    assert reporter.get(f"/my/reports/{case}").status_code == 200
    assert reporter.get(f"/cases/{case}/photos/{site.photo}").status_code == 200
    other = site.cases["other"].id
    assert reporter.get(f"/my/reports/{other}").status_code == 404
    listing = reporter.get("/my/reports").text
    assert "Nina Novak" in listing
    assert "Sofia Lind" not in listing
    nav = reporter.get("/my/reports").text
    assert 'href="/cases"' not in nav
    assert 'href="/admin"' not in nav


def test_the_api_needs_a_token_with_the_cases_scope(site: Site) -> None:
    client = site.client()
    assert client.get("/api/v1/cases").status_code == 401
    weak = client.get("/api/v1/cases", headers={"authorization": f"Bearer {site.tokens['assess']}"})
    assert weak.status_code == 403
    assert weak.json()["error"]["code"] == "forbidden"
    good = client.get("/api/v1/cases", headers={"authorization": f"Bearer {site.tokens['cases']}"})
    assert good.status_code == 200
    assert {case["subject_name"] for case in good.json()["cases"]} >= {"Nina Novak", "Sofia Lind"}


# --- organisations kept apart, route by route -----------------------------------------------------


def _filled(path: str, site: Site, case_id: str) -> str:
    values = {
        "case_id": case_id, "sha256": site.photo, "user_id": str(site.users["analyst"].id),
        "token_id": "1", "report_id": case_id, "check_id": "A" * 22,
    }  # fmt: skip
    kind = "stix.json" if "export" in path else ""

    def fill(match: re.Match[str]) -> str:
        name = match[1]
        return kind if name == "kind" else values[name]

    return re.sub(r"\{(\w+)\}", fill, path)


def test_no_route_reaches_another_organisations_data(site: Site) -> None:
    """Every route with an id in its path, tried by the other organisation's admin (pages) or
    token (API) with this organisation's ids: always "not found", and nothing changes."""
    target = site.cases["reported"]
    browser = site.client("acme_admin")
    token = {"authorization": f"Bearer {site.tokens['acme']}"}
    tried = set()
    routes = [route for router, _ in ROUTERS for route in router.routes]
    assert all(isinstance(route, APIRoute) for route in routes)
    served = [(prefix + route.path, route) for router, prefix in ROUTERS for route in router.routes
              if isinstance(route, APIRoute)]  # fmt: skip
    for path, route in served:
        if "{" not in path or path in NOT_ORGANISATION_DATA:
            continue
        for method in (route.methods or set()) - {"HEAD"}:
            url = _filled(path, site, target.id)
            if path in ORGANISATION_LISTS:
                answer = browser.get(url, headers=token)
                assert answer.status_code == 200, (path, answer.text[:200])
                assert target.id not in answer.text, path
                assert "Nina Novak" not in answer.text, path
                tried.add(path)
                continue
            if path.startswith("/api/"):
                body = (
                    {"version": target.version, "status": "benign"}
                    if method == "PATCH"
                    else {"text": "x"}
                )
                answer = browser.request(method, url, headers=token, json=body)
            elif method == "POST":
                answer = browser.post(url, data={"csrf_token": csrf(browser), "version": str(target.version),
                                                 "status": "benign", "text": "x", "into": site.cases["other"].id,
                                                 "confirm": "delete", "role": "reporter", "state": "disabled"})  # fmt: skip
            else:
                answer = browser.get(url)
            assert answer.status_code == 404, (method, path, answer.status_code, answer.text[:200])
            tried.add(path)
    assert {"/cases/{case_id}", "/cases/{case_id}/photos/{sha256}", "/api/v1/cases/{case_id}",
            "/admin/users/{user_id}", "/my/reports/{case_id}"} <= tried  # fmt: skip
    after = site.store.get_report(target.id, organisation="default")
    assert after is not None
    assert after.version == target.version
    assert after.status == target.status
    assert site.store.notes(target.id, organisation="default") == []
    assert site.store.users("default")[0].disabled_at is None
    assert all(token.revoked_at is None for token in site.store.list_tokens("default"))


def test_lists_searches_and_exports_hold_only_the_organisations_cases(site: Site) -> None:
    browser = site.client("acme_analyst")
    token = {"authorization": f"Bearer {site.tokens['acme']}"}
    ours = {site.cases["reported"].id, site.cases["other"].id}
    for answer in (
        browser.get("/cases"), browser.get("/cases?q=Nina"), browser.get("/cases/export.csv"),
        browser.get("/cases/export.stix.json"), browser.get("/cases/export.misp.json"),
        browser.get("/my/reports"),
        browser.get("/api/v1/cases", headers=token), browser.get("/api/v1/cases?q=Nina", headers=token),
        browser.get("/api/v1/cases/export/csv", headers=token),
        browser.get("/api/v1/cases/export/stix.json", headers=token),
    ):  # fmt: skip
        assert answer.status_code == 200, answer.url
        assert not any(case_id in answer.text for case_id in ours), answer.url
        assert "Nina Novak" not in answer.text, answer.url
    assert site.cases["acme"].id in browser.get("/cases").text


# --- triage ---------------------------------------------------------------------------------------


def test_the_case_page_shows_links_and_takes_status_team_and_notes(site: Site) -> None:
    analyst = site.client("analyst")
    case = site.cases["reported"]
    page = analyst.get(f"/cases/{case.id}").text
    assert "Related cases" in page
    assert "Sofia Lind" in page
    assert "same photo" in page
    assert f"/cases/{case.id}/photos/{site.photo}" in page
    listing = analyst.get("/cases").text
    assert "1 linked" in listing
    token = csrf(analyst, f"/cases/{case.id}")
    saved = analyst.post(f"/cases/{case.id}", data={"csrf_token": token, "version": str(case.version),
                                                   "status": "triaging", "team": "Propulsion"})  # fmt: skip
    assert saved.status_code == 200
    assert "Triaging" in saved.text
    stale = analyst.post(f"/cases/{case.id}", data={"csrf_token": token, "version": str(case.version),
                                                   "status": "benign", "team": ""})  # fmt: skip
    assert stale.status_code == 409
    assert "Changed meanwhile" in stale.text
    assert "someone else changed this case first" in stale.text
    noted = analyst.post(
        f"/cases/{case.id}/notes", data={"csrf_token": token, "text": f"HR knows no one {PAYLOAD}"}
    )
    assert noted.status_code == 200
    assert "HR knows no one &lt;script&gt;" in noted.text
    assert PAYLOAD not in noted.text
    assert analyst.get("/cases?status=triaging&team=Propulsion").text.count("Nina Novak") == 1
    assert "Nina Novak" not in analyst.get("/cases?status=benign").text
    log = site.client("admin").get("/admin/audit").text
    assert "case.view" in log
    assert "case.change" in log
    assert "status new -&gt; triaging" in log


@pytest.mark.parametrize(
    "query", ["band=purple", "status=guilty", "since=yesterday", "until=2026-13-01"]
)
def test_a_filter_that_means_nothing_gets_a_clear_error(site: Site, query: str) -> None:
    answer = site.client("analyst").get(f"/cases?{query}")
    assert answer.status_code == 422
    assert "a filter is not valid" in answer.text


def test_the_api_triages_with_versions_and_says_409_on_a_stale_one(site: Site) -> None:
    case = add_case(site.store, "Eve Ek", "https://linkedin.com/in/eve-ek")
    headers = {"authorization": f"Bearer {site.tokens['cases']}"}
    client = site.client()
    detail = client.get(f"/api/v1/cases/{case.id}", headers=headers).json()
    assert detail["status"] == "new"
    assert detail["label"] is None
    assert detail["assessment"]["band"]
    changed = client.patch(f"/api/v1/cases/{case.id}", headers=headers,
                           json={"version": detail["version"], "status": "confirmed_fake"})  # fmt: skip
    assert changed.status_code == 200
    assert changed.json()["label"] == 1
    stale = client.patch(f"/api/v1/cases/{case.id}", headers=headers,
                         json={"version": detail["version"], "status": "benign"})  # fmt: skip
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "conflict"
    for body in (
        {"status": "benign"},
        {"version": 1, "status": "guilty"},
        {"version": 1, "boss": 1},
    ):
        bad = client.patch(f"/api/v1/cases/{case.id}", headers=headers, json=body)
        assert bad.status_code == 422, body
    noted = client.post(
        f"/api/v1/cases/{case.id}/notes", headers=headers, json={"text": "seen on X too"}
    )
    assert noted.status_code == 201
    assert noted.json()["notes"][0]["author"] == "siem"


# --- exports ------------------------------------------------------------------------------------


def test_exports_are_valid_and_keep_the_reporter_out_of_shared_formats(site: Site) -> None:
    analyst = site.client("analyst")
    case = site.cases["reported"]
    bundle = analyst.get(f"/cases/{case.id}/export.stix.json")
    assert bundle.status_code == 200
    assert "attachment" in bundle.headers["content-disposition"]
    assert validate_string(bundle.text, ValidationOptions(version="2.1")).is_valid
    assert "Reporter" not in bundle.text
    assert "reporter@" not in bundle.text
    listed = analyst.get("/cases/export.stix.json?band=" + case.band.value)
    assert validate_string(listed.text, ValidationOptions(version="2.1")).is_valid
    misp = analyst.get(f"/cases/{case.id}/export.misp.json").json()
    assert "Event" in misp
    pdf = analyst.get(f"/cases/{case.id}/export.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    rows = list(csv.DictReader(io.StringIO(analyst.get("/cases/export.csv").text)))
    assert {row["id"] for row in rows} >= {case.id}
    log = site.client("admin").get("/admin/audit").text
    assert "cases.export" in log


@pytest.mark.parametrize(
    "path",
    ["/cases/export.xml", "/cases/export.pdf", "/cases/{id}/export.csv", "/cases/{id}/export.exe"],
)
def test_an_export_that_does_not_exist_is_not_found(site: Site, path: str) -> None:
    answer = site.client("analyst").get(path.replace("{id}", site.cases["reported"].id))
    assert answer.status_code == 404


def test_an_export_through_the_api_refuses_unknown_formats(site: Site) -> None:
    headers = {"authorization": f"Bearer {site.tokens['cases']}"}
    client = site.client()
    assert client.get("/api/v1/cases/export/xml", headers=headers).status_code == 422
    bundle = client.get("/api/v1/cases/export/stix.json", headers=headers)
    assert validate_string(bundle.text, ValidationOptions(version="2.1")).is_valid
    stix = client.get(
        f"/api/v1/cases/{site.cases['reported'].id}/export/stix.json", headers=headers
    )
    assert json.loads(stix.text)["type"] == "bundle"


# --- pages stay safe ----------------------------------------------------------------------------


def test_profile_text_in_cases_is_shown_as_text(site: Site) -> None:
    case = add_case(site.store, f"Mallory {PAYLOAD}", "https://linkedin.com/in/mallory")
    analyst = site.client("analyst")
    for path in ("/cases", f"/cases/{case.id}"):
        page = analyst.get(path).text
        assert PAYLOAD not in page, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, path


def test_a_signed_in_report_goes_to_the_reporters_organisation_and_list(site: Site) -> None:
    reporter = site.client("acme_analyst")
    answer = reporter.post("/check", data={"csrf_token": csrf(reporter), "messages_text":
                           "We pay well for short reports. Let's move to WhatsApp, travel covered."},
                           follow_redirects=False)  # fmt: skip
    location = answer.headers["location"]
    filed = reporter.post(
        f"{location}/report",
        data={"csrf_token": csrf(reporter), "note": "odd", "team": "Chemistry"},
    )
    assert filed.status_code == 200
    report_id = filed.url.path.rsplit("/", 1)[1]
    stored = site.store.get_report(report_id, organisation="acme")
    assert stored is not None
    assert stored.reporter_user_id == site.users["acme_analyst"].id
    assert stored.team == "Chemistry"
    assert stored.reporter_name == "Acme_Analyst"
    assert site.store.get_report(report_id, organisation="default") is None
    assert report_id in reporter.get("/my/reports").text


def test_admins_manage_accounts_tokens_and_retention(site: Site, tmp_path: Path) -> None:
    admin = site.client("admin")
    token = csrf(admin, "/admin")
    made = admin.post("/admin/users", data={"csrf_token": token, "email": "new@default.example",
                      "display_name": "Newcomer", "role": "analyst", "password": PASSWORD})  # fmt: skip
    assert made.status_code == 200
    assert "new@default.example" in made.text
    weak = admin.post("/admin/users", data={"csrf_token": token, "email": "weak@default.example",
                      "display_name": "Weak", "role": "analyst", "password": "short"})  # fmt: skip
    assert weak.status_code == 422
    assert "a password needs" in weak.text
    shown = admin.post(
        "/admin/tokens", data={"csrf_token": token, "name": "ticketing", "scope": ["cases"]}
    )
    plain = re.search(r'class="secret">(lv_[A-Za-z0-9_-]+)<', shown.text)
    assert plain is not None
    assert site.store.verify_token(plain[1], "cases") is not None
    assert plain[1] not in admin.get("/admin").text  # shown once
    kept = admin.post("/admin/retention", data={"csrf_token": token, "days": "365"})
    assert kept.status_code == 200
    assert "365 days" in kept.text
    assert (
        admin.post("/admin/retention", data={"csrf_token": token, "days": "-3"}).status_code == 422
    )
    admin.post("/admin/retention", data={"csrf_token": token, "days": ""})
    newcomer = next(u for u in site.store.users("default") if u.email == "new@default.example")
    off = admin.post(f"/admin/users/{newcomer.id}", data={"csrf_token": token, "state": "disabled"})
    assert off.status_code == 200
    assert sign_in(site.client(), "new@default.example").status_code == 401


def _checked_and_reported(client: TestClient, **extra: str) -> tuple[str, str]:
    """A check with a photo (so that it draws pictures), reported; its check and case ids."""
    answer = client.post(
        "/check",
        data={"csrf_token": csrf(client), "messages_text": "We pay well for short reports. "
              "Let's move to WhatsApp; travel covered."},
        files={"photo": ("me.jpg", NASA, "image/jpeg")},
        follow_redirects=False,
    )  # fmt: skip
    check_id = answer.headers["location"].rsplit("/", 1)[1]
    filed = client.post(
        f"/check/{check_id}/report", data={"csrf_token": csrf(client), "note": "odd", **extra}
    )
    assert filed.status_code == 200, filed.text[:300]
    return check_id, filed.url.path.rsplit("/", 1)[1]


def test_erasing_a_case_erases_its_check_and_pictures_too(site: Site) -> None:
    reporter = site.client("reporter")
    check_id, case_id = _checked_and_reported(reporter)
    var = site.app.state.settings.var_dir
    pictures = sorted((var / "pictures").glob(f"{check_id}-*.png"))
    assert pictures, "the check drew no pictures"
    page = reporter.get(f"/check/{check_id}").text
    # Pictures are named after the check, never after the photo they show.
    assert all(f"/pictures/{path.name}" in page for path in pictures)
    admin = site.client("admin")
    case = site.store.get_report(case_id, organisation="default")
    assert case is not None
    token = csrf(admin, f"/cases/{case_id}")
    stale = admin.post(f"/cases/{case_id}/delete",
                       data={"csrf_token": token, "confirm": "delete", "version": str(case.version - 1)})  # fmt: skip
    assert stale.status_code == 409
    erased = admin.post(f"/cases/{case_id}/delete",
                        data={"csrf_token": token, "confirm": "delete", "version": str(case.version)})  # fmt: skip
    assert erased.status_code == 200
    assert site.store.get_report(case_id, organisation="default") is None
    assert not (var / "checks" / f"{check_id}.json").exists()
    assert not any(path.exists() for path in pictures)
    assert reporter.get(f"/check/{check_id}").status_code == 404


def test_a_signed_in_reporter_cannot_file_in_someone_elses_name(site: Site) -> None:
    reporter = site.client("reporter")
    _, case_id = _checked_and_reported(
        reporter, reporter_name="The Director", reporter_contact="director@example.org"
    )
    case = site.store.get_report(case_id, organisation="default")
    assert case is not None
    assert (case.reporter_name, case.reporter_contact) == ("Reporter", "reporter@default.example")


def test_the_confirmation_page_confirms_only_its_own_report(site: Site) -> None:
    client = site.client()
    check_id, case_id = _checked_and_reported(client)
    assert client.get(f"/check/{check_id}/reported/{case_id}").status_code == 200
    other = site.cases["reported"].id
    assert client.get(f"/check/{check_id}/reported/{other}").status_code == 404


@pytest.mark.parametrize("days", ["\u00b2", "1e3", "99999999", " 3 4"])
def test_retention_refuses_what_is_not_a_number_of_days(site: Site, days: str) -> None:
    admin = site.client("admin")
    answer = admin.post(
        "/admin/retention", data={"csrf_token": csrf(admin, "/admin"), "days": days}
    )
    assert answer.status_code == 422


def test_the_end_of_time_is_a_date_like_any_other(site: Site) -> None:
    assert site.client("analyst").get("/cases?until=9999-12-31&since=0001-01-01").status_code == 200
    headers = {"authorization": f"Bearer {site.tokens['cases']}"}
    assert site.client().get("/api/v1/cases?until=9999-12-31", headers=headers).status_code == 200


def test_signing_in_gives_a_new_csrf_cookie_and_signing_out_drops_it(site: Site) -> None:
    client = site.client()
    client.get("/login")
    before = client.cookies.get("lv_csrf")
    answer = sign_in(client, site.users["analyst"].email)
    assert answer.cookies.get("lv_csrf") not in (None, before)
    out = client.post(
        "/logout", data={"csrf_token": csrf(client, "/cases")}, follow_redirects=False
    )
    assert "lv_csrf=" in out.headers.get("set-cookie", "")
    assert client.cookies.get("lv_session") is None
