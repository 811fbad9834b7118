"""The pages as a person uses them, in a real browser (Debian's Chromium through Playwright)
against the real server (`linkvet serve` in its own process): check a contact from a profile
screenshot in three steps, read why, report it; learn the signs and take the quiz; the same
without JavaScript; XSS and cross-site forms; accessibility (axe-core, WCAG 2.1 A/AA).

Screenshots of every page at phone and desktop width are written to a temporary folder, or to
the folder named by $LINKVET_SCREENSHOTS (`LINKVET_SCREENSHOTS=docs/screenshots` refreshes the
pictures in docs/web.md).
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pytest
from pdfminer.high_level import extract_text
from playwright.sync_api import (
    Browser,
    Page,
    Response,
    expect,
    sync_playwright,
)

from linkvet.learn import load_modules, load_quiz
from scripts.render_screenshot_fixtures import render
from tests.browser import (
    OpenPage,
    OtherSite,
    Server,
    Shots,
    axe_problems,
    launch_chromium,
    start_server,
    watched_pages,
)

PROFILE_SCREENSHOT: Final = "consultant-en.phone-light.png"
DEVICES: Final[dict[str, dict[str, Any]]] = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}
# A disguised approach: paid reports, then a move to WhatsApp.
MESSAGE: Final = (
    "Hi! I came across your profile and was impressed by your expertise in trade policy. I run "
    "a consultancy that prepares paid reports for clients in Asia. We pay $500 for a short report "
    "on your area of work. Could we move to WhatsApp to discuss the details? +65 8123 4567"
)
MOVE_CHANNEL: Final = "Did they ask to move to another app"
OFFERED_MONEY: Final = "Did they offer money, paid work, travel or gifts?"
READ_BOXES: Final = "The screenshot with a box around each field that was read"
CHECK_URL: Final = re.compile(r"/check/[A-Za-z0-9_-]{22}$")
CASE_ID: Final = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
XSS: Final = (
    '<img src=x onerror="window.__xss=1">',
    "<script>window.__xss=1</script>",
    '"><svg onload=window.__xss=1>',
)


@dataclass(frozen=True)
class Site:
    server: Server
    profile_screenshot: Path

    @property
    def url(self) -> str:
        return self.server.url


# Module scope: Playwright's sync API cannot start while another instance runs in the same
# thread, and other test modules (the screenshot and PDF readers) start their own.
@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The server, started while the profile screenshot is rendered (both take seconds)."""
    server = start_server(tmp_path_factory.mktemp("var"))
    try:
        rendered = render(tmp_path_factory.mktemp("profiles"), which="dev")
        screenshot = next(path for path in rendered if path.name == PROFILE_SCREENSHOT)
        server.wait_ready()
        yield Site(server, screenshot)
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser(site: Site) -> Iterator[Browser]:
    # After `site`: rendering the profile screenshot runs Playwright's sync API on its own.
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Browser) -> Iterator[OpenPage]:
    """`open_page("phone" | "desktop", javascript=True, axe=False)`: a page in a fresh browser
    context (its own cookies), watched for CSP refusals and script errors."""
    with watched_pages(browser) as new_page:

        def open_(device: str, *, javascript: bool = True, axe: bool = False) -> Page:
            return new_page(axe=axe, **DEVICES[device], java_script_enabled=javascript)

        yield open_


@pytest.fixture(scope="session")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Shots:
    folder = os.environ.get("LINKVET_SCREENSHOTS")
    return Shots(Path(folder) if folder else tmp_path_factory.mktemp("pages"))


def audit(page: Page) -> None:
    """No serious or critical axe-core violation, and nothing wider than the screen (a page
    that scrolls sideways on a phone fails WCAG's reflow criterion)."""
    problems = axe_problems(page)
    assert not problems, f"accessibility problems on {page.url}:\n" + "\n".join(problems)
    width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width[0] <= width[1], f"{page.url} is {width[0]} px wide on a {width[1]} px screen"


def no_xss(page: Page) -> None:
    assert page.evaluate("window.__xss") is None, f"a payload ran on {page.url}"


# --- checking a contact -----------------------------------------------------------------------


def fill_check(page: Page, site: Site) -> None:
    """The three steps, as a person does them: choose the screenshot (and paste the message),
    answer the questions, press the button."""
    steps = page.locator("main .step")
    expect(steps).to_have_text(["1", "2", "3"])
    page.get_by_label("Screenshot, PDF or JSON file").set_input_files(site.profile_screenshot)
    page.get_by_label("The invitation or messages they sent you").fill(MESSAGE)
    page.get_by_role("group", name=MOVE_CHANNEL).get_by_label("Yes", exact=True).check()
    page.get_by_role("group", name=OFFERED_MONEY).get_by_label("Yes", exact=True).check()


def press_check(page: Page) -> None:
    page.get_by_role("button", name="Check this contact").click()
    page.wait_for_url(CHECK_URL)


def expect_result(page: Page) -> None:
    """A verdict with its reasons, the marked words, advice, limits and the read boxes."""
    badge = page.locator(".verdict .badge")
    expect(badge).to_have_text(re.compile(r"^(HIGH|MEDIUM) RISK$"))
    expect(page.get_by_role("heading", name="What to do next")).to_be_visible()
    expect(page.get_by_role("heading", name="What the checks cannot see")).to_be_visible()
    reasons = page.locator("ol.reasons > li")
    assert reasons.count() >= 2
    expect(page.locator("ol.reasons mark").filter(has_text="paid reports")).to_be_visible()
    expect(reasons.filter(has_text="WhatsApp").first).to_be_visible()
    picture = page.get_by_role("img", name=READ_BOXES)
    picture.scroll_into_view_if_needed()
    expect(picture).to_be_visible()
    expect(picture).to_have_js_property("complete", True)
    assert picture.evaluate("image => image.naturalWidth") > 300
    answer = page.request.get(picture.evaluate("image => image.src"))
    assert answer.status == 200
    assert answer.headers["content-type"] == "image/png"


def report_it(page: Page, site: Site, note: str, name: str, contact: str) -> str:
    """Fill the report form and send it; returns the case id on the confirmation page."""
    before = site.server.report_count()
    page.get_by_label("A note for the security team").fill(note)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("How they can reach you").fill(contact)
    page.get_by_role("button", name="Send to the security team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you: sent to your security team"
    )
    case = page.get_by_role("status").locator("strong").inner_text()
    assert CASE_ID.fullmatch(case), case
    assert site.server.report_count() == before + 1
    assert site.server.note_of(case) == (note, name or None, contact or None)
    return case


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_check_a_contact_in_three_steps(
    device: str, site: Site, open_page: OpenPage, shots: Shots
) -> None:
    page = open_page(device, axe=True)
    home = page.goto(f"{site.url}/")
    assert home is not None
    assert "script-src 'self'" in home.headers["content-security-policy"]
    expect(page.get_by_role("heading", level=1)).to_have_text("Think before you link")
    audit(page)
    shots.page(page, "home", device)

    page.get_by_role("main").get_by_role("link", name="Check a contact").click()
    expect(page).to_have_url(f"{site.url}/check")
    audit(page)
    fill_check(page, site)
    # With JavaScript the page says which file was chosen.
    expect(page.get_by_role("status").first).to_have_text(f"Chosen: {PROFILE_SCREENSHOT} (460 KB)")
    audit(page)
    shots.page(page, "check", device)
    if device == "phone":
        fieldsets = page.locator("form.check > fieldset")
        shots.part(page, [fieldsets.nth(0)], "check-step1", device)
        shots.part(page, [fieldsets.nth(1)], "check-step2", device)
        shots.part(page, page.locator("form.check > p").all(), "check-step3", device)

    press_check(page)
    expect_result(page)
    audit(page)
    shots.page(page, "result", device)

    report_it(page, site, "Wrote straight after I accepted.", "Sam Taylor", "sam@example.org")
    audit(page)
    shots.page(page, "reported", device)

    answer = page.goto(f"{site.url}/no-such-page")
    assert answer is not None
    assert answer.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    audit(page)
    shots.page(page, "error-404", device)


def test_check_a_contact_without_javascript(site: Site, open_page: OpenPage) -> None:
    page = open_page("phone", javascript=False)
    page.goto(f"{site.url}/check")
    fill_check(page, site)
    expect(page.get_by_text("Chosen:")).to_have_count(0)  # app.js did not run
    press_check(page)
    expect_result(page)
    report_it(page, site, "Checked without JavaScript.", "", "")


# --- learning the signs -------------------------------------------------------------------------


def pass_quiz(page: Page, site: Site) -> None:
    """Answer every item of the quiz correctly (the answers come from the quiz's own data)."""
    quiz = load_quiz()
    page.goto(f"{site.url}/learn/quiz")
    expect(page.get_by_role("heading", level=1)).to_have_text(quiz.title)
    cards = page.locator("fieldset.quiz-card")
    expect(cards).to_have_count(len(quiz.items))
    for index, item in enumerate(quiz.items):
        card = cards.nth(index)
        expect(card.get_by_role("radio").first).to_have_attribute("name", item.id)
        label = "Likely fake" if item.answer == "likely_fake" else "Likely genuine"
        card.get_by_label(label, exact=True).check()


def see_score(page: Page) -> None:
    total = len(load_quiz().items)
    page.get_by_role("button", name="See my score").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Your score: {total} of {total} (100%)"
    )
    expect(page.get_by_role("status")).to_contain_text("Well done: you passed")


def download_certificate(page: Page, name: str, organisation: str) -> bytes:
    page.get_by_label("Your name, as it should appear").fill(name)
    page.get_by_label("Your organisation (optional)").fill(organisation)
    with page.expect_download() as started:
        page.get_by_role("button", name="Download the certificate (PDF)").click()
    download = started.value
    assert download.suggested_filename == "linkvet-certificate.pdf"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF-"), data[:20]
    return data


def pdf_text(data: bytes) -> str:
    """The PDF's text without white space (a long name wraps)."""
    return "".join(extract_text(io.BytesIO(data)).split())


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_learn_and_pass_the_quiz(
    device: str, site: Site, open_page: OpenPage, shots: Shots
) -> None:
    modules = load_modules()
    page = open_page(device, axe=True)
    page.goto(f"{site.url}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Learn the signs").click()
    expect(page).to_have_url(f"{site.url}/learn")
    listed = page.locator("ol.modules > li")
    expect(listed).to_have_count(len(modules))
    for module in modules:
        expect(page.get_by_role("link", name=module.title, exact=True)).to_be_visible()
    audit(page)
    shots.page(page, "learn", device)

    page.get_by_role("link", name=modules[0].title, exact=True).click()
    expect(page).to_have_url(f"{site.url}/learn/{modules[0].id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(modules[0].title)
    expect(page.get_by_role("heading", name="Key points")).to_be_visible()
    audit(page)
    shots.page(page, "learn-module", device)

    page.get_by_role("link", name="Take the quiz").click()
    pass_quiz(page, site)
    audit(page)
    shots.page(page, "quiz", device)
    see_score(page)
    audit(page)
    shots.page(page, "quiz-result", device)

    data = download_certificate(page, "Sam Taylor", "Ministry of Examples")
    assert "SamTaylor" in pdf_text(data)


def test_quiz_and_certificate_without_javascript(site: Site, open_page: OpenPage) -> None:
    page = open_page("desktop", javascript=False)
    pass_quiz(page, site)
    see_score(page)
    download_certificate(page, "Alex Morgan", "")


# --- security -----------------------------------------------------------------------------------


def pasted_profile(payload: str) -> str:
    """A profile page as copied from the browser, with the payload in its text."""
    return (
        f"{payload}\nSenior Partner at Horizon Consulting {payload}\nSingapore  Contact info\n"
        f"2,341 followers\n500+ connections\nAbout\n"
        f"I help governments and private clients understand policy. {payload}\n"
    )


@pytest.mark.parametrize("payload", XSS)
def test_payloads_stay_text(payload: str, site: Site, open_page: OpenPage) -> None:
    page = open_page("desktop")
    page.goto(f"{site.url}/check")
    if "/" not in payload:  # a file name cannot hold one
        page.get_by_label("Screenshot, PDF or JSON file").set_input_files(
            {"name": f"{payload}.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n"}
        )
        expect(page.get_by_role("status").first).to_contain_text(f"Chosen: {payload}.png")
        no_xss(page)
        page.get_by_label("Screenshot, PDF or JSON file").set_input_files([])
    page.get_by_text("No screenshot? Paste the profile's text instead").click()
    page.get_by_label("The profile's text").fill(pasted_profile(payload))
    page.get_by_label("The invitation or messages they sent you").fill(
        f"We pay for paid reports {payload}. Could we move to WhatsApp?"
    )
    press_check(page)
    no_xss(page)
    main = page.get_by_role("main")
    expect(main).to_contain_text(f"Senior Partner at Horizon Consulting {payload}")
    expect(page.locator("ol.reasons q").filter(has_text=payload).first).to_be_visible()
    expect(main.locator("img[src='x'], svg, script")).to_have_count(0)

    report_it(page, site, f"note {payload}", f"name {payload}", f"contact {payload}")
    no_xss(page)
    page.go_back()  # the result page again, from the browser's history
    no_xss(page)

    pass_quiz(page, site)
    see_score(page)
    data = download_certificate(page, f"N {payload}", f"O {payload}")
    no_xss(page)
    text = pdf_text(data)
    for part in (f"N {payload}", f"O {payload}"):
        assert "".join(part.split()) in text


def cross_site_form(action: str, fields: dict[str, str]) -> str:
    inputs = "".join(f'<input type="hidden" name="{k}" value="{v}">' for k, v in fields.items())
    return (
        "<!doctype html><title>You won a prize</title>"
        f'<form id="f" method="post" action="{action}" enctype="multipart/form-data">{inputs}'
        "</form><script>document.getElementById('f').submit()</script>"
    )


def posted_to(target: str) -> Callable[[Response], bool]:
    def matches(answer: Response) -> bool:
        return answer.url == target and answer.request.method == "POST"

    return matches


def test_other_sites_cannot_post_our_forms(site: Site, open_page: OpenPage, tmp_path: Path) -> None:
    """A page on another origin auto-submits our forms in the person's browser. It runs on the
    same host (same site), so the browser even sends the SameSite=Strict cookie: the signed
    form token, which the other page cannot read, is what stops it."""
    page = open_page("desktop")
    page.goto(f"{site.url}/check")
    page.get_by_label("The invitation or messages they sent you").fill(MESSAGE)
    press_check(page)
    check_id = page.url.rsplit("/", 1)[1]
    reports, checks = site.server.report_count(), site.server.check_count()

    other = OtherSite(tmp_path / "other")
    try:
        attacks = {
            "report.html": (f"/check/{check_id}/report", {"note": "forged"}),
            "report-token.html": (
                f"/check/{check_id}/report",
                {"note": "forged", "csrf_token": "0" * 64},
            ),
            "check.html": ("/check", {"messages_text": MESSAGE, "csrf_token": "x"}),
        }
        for name, (path, fields) in attacks.items():
            target = f"{site.url}{path}"
            attacker = other.page(name, cross_site_form(target, fields))
            with page.expect_response(posted_to(target)) as answered:
                page.goto(attacker)
            assert answered.value.status == 403, name
            cookie = answered.value.request.header_value("cookie") or ""
            assert "lv_csrf=" in cookie, f"{name}: the browser did not send the cookie"
            expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
        # A browser that never opened linkvet has no cookie at all.
        stranger = open_page("desktop")
        target = f"{site.url}/check/{check_id}/report"
        with stranger.expect_response(posted_to(target)) as answered:
            stranger.goto(other.page("fresh.html", cross_site_form(target, {"note": "forged"})))
        assert answered.value.status == 403
    finally:
        other.close()
    assert site.server.report_count() == reports
    assert site.server.check_count() == checks
