"""The web app through its HTTP interface (Starlette's test client, the real app and stores)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from linkvet.learn import load_quiz
from linkvet.web.app import close_app, create_app
from linkvet.web.settings import WebSettings

CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')
APPROACH = (
    "Hello! I lead a small consultancy advising clients on policy. We pay well for short "
    "reports on your area. Could we move to WhatsApp to discuss? All travel costs covered."
)
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = WebSettings(var_dir=tmp_path / "var", database_url=None, max_upload_bytes=200_000)
    app = create_app(settings)
    with TestClient(app) as test_client:
        yield test_client
    close_app(app)


@pytest.fixture
def token(client: TestClient) -> str:
    plain, _ = client.app.state.store.create_token("tests", ["assess", "report", "learn"])  # type: ignore[attr-defined]
    return str(plain)


def _csrf(client: TestClient, path: str = "/check") -> str:
    page = client.get(path)
    assert page.status_code == 200
    match = CSRF.search(page.text)
    assert match is not None
    return match[1]


def _check(client: TestClient, **fields: str) -> str:
    response = client.post(
        "/check", data={"csrf_token": _csrf(client), **fields}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert re.fullmatch(r"/check/[A-Za-z0-9_-]{22}", location)
    return location


def test_pages_answer_with_security_headers(client: TestClient) -> None:
    for path in ("/", "/check", "/learn", "/learn/quiz", "/learn/warning-signs"):
        response = client.get(path)
        assert response.status_code == 200, path
        for header in SECURITY_HEADERS:
            assert header in response.headers, (path, header)
        assert "script-src 'self'" in response.headers["content-security-policy"]


def test_a_check_from_pasted_messages_and_answers_gives_a_verdict(client: TestClient) -> None:
    location = _check(
        client,
        messages_text=APPROACH,
        asked_to_move_channel="yes",
        offered_money_travel_gifts="yes",
    )
    page = client.get(location)
    assert page.status_code == 200
    band = re.search(r'class="badge">(LOW|MEDIUM|HIGH) RISK<', page.text)
    assert band is not None
    assert band[1] in ("MEDIUM", "HIGH")
    assert "<mark>" in page.text
    assert "What the checks cannot see" in page.text
    assert "never proof" in page.text


def test_report_is_stored_as_a_case(client: TestClient) -> None:
    location = _check(client, messages_text=APPROACH)
    store = client.app.state.store  # type: ignore[attr-defined]
    before = len(store.list_reports())
    page = client.post(
        f"{location}/report",
        data={
            "csrf_token": _csrf(client),
            "note": "Asked me about my project",
            "reporter_name": "Sam",
        },
    )
    assert page.status_code == 200
    reports = store.list_reports()
    assert len(reports) == before + 1
    assert reports[0].id in page.text
    assert reports[0].note == "Asked me about my project"
    assert page.url.path == f"{location}/reported/{reports[0].id}"
    assert client.get(page.url.path).status_code == 200  # a reload files nothing more
    assert len(store.list_reports()) == before + 1


@pytest.mark.parametrize(
    "path",
    ["/check", "/check/AAAAAAAAAAAAAAAAAAAAAA/report", "/learn/quiz", "/learn/quiz/certificate"],
)
def test_forms_refuse_a_missing_or_forged_csrf_token(client: TestClient, path: str) -> None:
    client.get("/check")  # the browser has a CSRF cookie, but not the token of this site's form
    for data in ({"messages_text": "hi"}, {"messages_text": "hi", "csrf_token": "0" * 64}):
        response = client.post(path, data=data, follow_redirects=False)
        assert response.status_code == 403, (path, data)
        assert "did not come from this site" in response.text


def test_pasted_markup_is_shown_as_text(client: TestClient) -> None:
    payload = '<script>alert(1)</script><img src=x onerror=alert(2)>"><svg onload=alert(3)>'
    location = _check(client, messages_text=f"{APPROACH} {payload}")
    page = client.get(location).text
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_empty_check_says_what_to_give(client: TestClient) -> None:
    response = client.post("/check", data={"csrf_token": _csrf(client)})
    assert response.status_code == 422
    assert "nothing to check" in response.text


def test_a_wrong_file_type_is_refused_with_a_reason(client: TestClient) -> None:
    response = client.post(
        "/check",
        data={"csrf_token": _csrf(client)},
        files={"file": ("evil.exe", b"MZ\x90\x00" + b"\x00" * 100, "application/octet-stream")},
    )
    assert response.status_code == 422
    assert "not valid JSON" in response.text or "not" in response.text


def test_an_image_bomb_is_refused(client: TestClient) -> None:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (40_000, 40_000)).save(buffer, format="PNG")
    assert len(buffer.getvalue()) < 200_000
    response = client.post(
        "/check",
        data={"csrf_token": _csrf(client)},
        files={"file": ("bomb.png", buffer.getvalue(), "image/png")},
    )
    assert response.status_code == 422
    assert "million" in response.text


def test_uploads_over_the_cap_are_refused(client: TestClient, token: str) -> None:
    big = b"{" + b" " * 300_000 + b"}"
    page = client.post(
        "/check",
        data={"csrf_token": _csrf(client)},
        files={"file": ("big.json", big, "application/json")},
    )
    assert page.status_code == 413
    assert "limit" in page.text
    api = client.post(
        "/api/v1/assess", content=big, headers={"authorization": f"Bearer {token}",
                                                 "content-type": "application/json"},
    )  # fmt: skip
    assert api.status_code == 413
    assert api.json()["error"]["code"] == "too_large"


@pytest.mark.parametrize(
    "name", ["../secret.key", "..%2fsecret.key", "%2e%2e%2fsecret.key", "secret.key", "x.png"]
)
def test_pictures_cannot_leave_their_folder(client: TestClient, name: str) -> None:
    (client.app.state.settings.var_dir / "secret.key").exists()  # type: ignore[attr-defined]
    response = client.get(f"/pictures/{name}")
    assert response.status_code == 404
    assert b"secret" not in response.content.lower().replace(b"secret.key", b"")


def test_api_needs_a_token_with_the_scope(client: TestClient) -> None:
    store = client.app.state.store  # type: ignore[attr-defined]
    learn_only, _ = store.create_token("learn only", ["learn"])
    missing = client.post("/api/v1/assess", json={"name": "A"})
    assert missing.status_code == 401
    assert missing.json() == {
        "error": {
            "code": "unauthorized",
            "message": missing.json()["error"]["message"],
            "details": [],
        }
    }
    wrong = client.post(
        "/api/v1/assess", json={"name": "A"}, headers={"authorization": f"Bearer {learn_only}"}
    )
    assert wrong.status_code == 403
    assert wrong.json()["error"]["code"] == "forbidden"
    assert "scope" in wrong.json()["error"]["message"]
    unknown = client.post("/api/v1/assess", json={}, headers={"authorization": "Bearer lv_nope"})
    assert unknown.status_code == 401
    assert client.get("/api/v1/health").status_code == 200


def test_api_assess_returns_an_assessment(client: TestClient, token: str) -> None:
    response = client.post(
        "/api/v1/assess",
        json={"name": "Alex Doe", "invitation": {"text": APPROACH}},
        headers={"authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["band"] in ("low", "medium", "high")
    assert 0 < body["probability"] < 1


def test_api_errors_share_one_envelope(client: TestClient, token: str) -> None:
    auth = {"authorization": f"Bearer {token}"}
    invalid = client.post("/api/v1/assess", json={"name": 5, "conections": 1}, headers=auth)
    assert invalid.status_code == 422
    error = invalid.json()["error"]
    assert error["code"] == "invalid_input"
    assert {detail["field"] for detail in error["details"]} >= {"name", "conections"}
    for response, status in (
        (client.get("/api/v1/nothing-here"), 404),
        (client.get("/api/v1/assess", headers=auth), 405),
        (
            client.post(
                "/api/v1/assess",
                content=b"{not json",
                headers=auth | {"content-type": "application/json"},
            ),
            422,
        ),
    ):
        assert response.status_code == status
        assert set(response.json()) == {"error"}
        assert set(response.json()["error"]) == {"code", "message", "details"}


def test_api_check_then_report(client: TestClient, token: str) -> None:
    auth = {"authorization": f"Bearer {token}"}
    check = client.post(
        "/api/v1/checks",
        data={"messages_text": APPROACH, "asked_to_move_channel": "yes"},
        headers=auth,
    )
    assert check.status_code == 200, check.text
    check_id = check.json()["id"]
    report = client.post(
        "/api/v1/reports", json={"check_id": check_id, "note": "odd"}, headers=auth
    )
    assert report.status_code == 201
    assert report.json()["status"] == "new"
    missing = client.post("/api/v1/reports", json={"check_id": "A" * 22}, headers=auth)
    assert missing.status_code == 404


def test_quiz_pass_gives_a_certificate(client: TestClient, token: str) -> None:
    quiz = load_quiz()
    answers = {item.id: item.answer for item in quiz.items}
    page = client.post("/learn/quiz", data={"csrf_token": _csrf(client, "/learn/quiz"), **answers})
    assert page.status_code == 200
    assert "you passed" in page.text
    certificate = client.post(
        "/learn/quiz/certificate",
        data={"csrf_token": _csrf(client, "/learn/quiz"), "name": "Sam <b>Taylor</b>", **answers},
    )
    assert certificate.status_code == 200
    assert certificate.content.startswith(b"%PDF")
    api = client.post(
        "/api/v1/learn/quiz/certificate", json={"answers": answers, "name": "Sam"},
        headers={"authorization": f"Bearer {token}"},
    )  # fmt: skip
    assert api.status_code == 200
    assert api.headers["content-type"] == "application/pdf"


def test_a_failed_quiz_gets_no_certificate(client: TestClient, token: str) -> None:
    response = client.post(
        "/api/v1/learn/quiz/certificate", json={"answers": {}, "name": "Sam"},
        headers={"authorization": f"Bearer {token}"},
    )  # fmt: skip
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


def test_unknown_pages_get_a_page_not_a_traceback(client: TestClient) -> None:
    response = client.get("/check/not-an-id")
    assert response.status_code == 404
    assert "Traceback" not in response.text
    assert "results are kept for a week" in response.text


def test_file_names_are_never_used_as_paths(client: TestClient, tmp_path: Path) -> None:
    profile = b'{"name": "Alex Doe", "headline": "Engineer"}'
    for name in ("../../escape.json", "/etc/passwd", "..\\..\\escape.json", "a\x00b.json"):
        response = client.post(
            "/check",
            data={"csrf_token": _csrf(client)},
            files={"file": (name, profile, "application/json")},
            follow_redirects=False,
        )
        assert response.status_code == 303, name
    assert not (tmp_path / "escape.json").exists()
    assert not (tmp_path.parent / "escape.json").exists()
    written = {path.name for path in (tmp_path / "var").rglob("*") if path.is_file()}
    assert not any("escape" in name or "passwd" in name for name in written)


def test_text_the_store_refuses_is_a_clear_422(client: TestClient, token: str) -> None:
    auth = {"authorization": f"Bearer {token}"}
    check_id = client.post("/api/v1/checks", data={"messages_text": APPROACH}, headers=auth).json()[
        "id"
    ]
    for body in ({"reporter_name": "a\u202eb"}, {"note": "a\x00b"}):
        response = client.post("/api/v1/reports", json={"check_id": check_id, **body}, headers=auth)
        assert response.status_code == 422, body
        assert "control character" in response.json()["error"]["message"]
    page = client.post(
        f"/check/{check_id}/report",
        data={"csrf_token": _csrf(client), "reporter_name": "Sam\nAdmin"},
    )
    assert page.status_code == 422


def test_a_chunked_body_over_the_cap_is_413_on_the_api(client: TestClient, token: str) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"name": "'
        for _ in range(40):
            yield b"x" * 10_000
        yield b'"}'

    response = client.post(
        "/api/v1/assess", content=chunks(),
        headers={"authorization": f"Bearer {token}", "content-type": "application/json"},
    )  # fmt: skip
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_no_server_path_reaches_a_client(client: TestClient, token: str) -> None:
    photo = (
        Path(__file__).resolve().parent.parent / "examples" / "photos" / "eileen-collins-nasa.jpg"
    )
    auth = {"authorization": f"Bearer {token}"}
    check = client.post(
        "/api/v1/checks", data={"messages_text": APPROACH},
        files={"photo": ("p.jpg", photo.read_bytes(), "image/jpeg")}, headers=auth,
    )  # fmt: skip
    assert check.status_code == 200
    var = str(client.app.state.settings.var_dir.resolve())  # type: ignore[attr-defined]
    assert var not in check.text
    # Pictures are named after the check: the name says nothing of the photo.
    assert f"/pictures/{check.json()['id']}-1.png" in check.text
    page = client.get(f"/check/{check.json()['id']}").text
    assert var not in page


def test_only_reverse_search_links_are_offered(client: TestClient) -> None:
    location = _check(
        client,
        profile_text="Verify your account: https://evil.example/sso\nEngineer at Acme\n"
        "London · Contact info\n500+ connections",
    )
    assert 'href="https://evil.example' not in client.get(location).text


def test_an_expired_or_damaged_check_is_not_shown(client: TestClient) -> None:
    import json as json_module

    location = _check(client, messages_text=APPROACH)
    check_id = location.rsplit("/", 1)[-1]
    path = client.app.state.settings.checks_dir / f"{check_id}.json"  # type: ignore[attr-defined]
    data = json_module.loads(path.read_text())
    data["created_at"] = "2020-01-01T00:00:00+00:00"
    path.write_text(json_module.dumps(data))
    assert client.get(location).status_code == 404
    path.write_text('{"created_at": "2026-01-01"}')
    assert client.get(location).status_code == 404
