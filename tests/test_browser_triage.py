"""The security team's pages in a real browser (Debian's Chromium through Playwright) against the
real server (`linkvet serve` in its own process): a signed-in reporter reports two contacts that
use one photo; an analyst finds them linked, confirms both fake and exports them as STIX; who may
see what; two analysts saving one case at once; accessibility (axe-core, WCAG 2.1 A/AA).

Screenshots of the pages at 390 and 1280 px are written as `triage-<page>-<width>.png` to a
temporary folder, or to the folder named by $LINKVET_SCREENSHOTS.
"""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pytest
import stix2validator  # type: ignore[import-untyped]
from playwright.sync_api import Browser, Locator, Page, Response, expect, sync_playwright

from linkvet.engine import Engine
from linkvet.model import Message, Photo, Platform, Profile
from linkvet.store import ReportStatus, open_store
from tests.browser import (
    Account,
    OpenPage,
    Server,
    Shots,
    axe_problems,
    create_account,
    launch_chromium,
    sign_in,
    start_server,
    watched_pages,
)
from tests.conftest import EXAMPLES
from tests.test_browser import CHECK_URL, DEVICES
from tests.test_photo_index import encoded, textured_image

WIDTHS: Final = {390: DEVICES["phone"], 1280: DEVICES["desktop"]}
# A real face (public domain), used by both personas of the acceptance test.
FACE_PHOTO: Final = EXAMPLES / "photos" / "eileen-collins-nasa.jpg"
MOVE_CHANNEL: Final = "Did they ask to move to another app"
OFFERED_MONEY: Final = "Did they offer money, paid work, travel or gifts?"


@dataclass(frozen=True)
class Persona:
    """A contact as a reporter pastes it: the profile's text and the approach."""

    name: str
    profile_text: str
    message: str


# Two personas of one campaign: other names and employers, other words, the same photo.
PERSONAS: Final = (
    Persona(
        name="Jessica Lin",
        profile_text=(
            "Jessica Lin\nSenior Talent Partner at Horizon Strategic Advisory\n"
            "Singapore  Contact info\n312 followers\n500+ connections\nAbout\n"
            "I connect experienced policy professionals with clients in Asia for short, "
            "well-paid consulting projects. Discretion guaranteed.\n"
        ),
        message=(
            "Hi! I came across your profile and was impressed by your work on trade policy. "
            "Our client, a research institute in Asia, pays $800 for a short paid report on EU "
            "export rules. Could we continue on WhatsApp? +65 8123 4567"
        ),
    ),
    Persona(
        name="Daniel Wu",
        profile_text=(
            "Daniel Wu\nHead of Expert Networks at Blue Harbor Consulting\n"
            "Hong Kong  Contact info\n98 followers\n230 connections\nAbout\n"
            "Building a panel of senior government and industry experts for confidential "
            "advisory work. Generous fees, travel covered.\n"
        ),
        message=(
            "Hello, we are building a small panel of experts for a confidential project on "
            "semiconductor supply chains. The fee is generous and we cover travel to Singapore. "
            "Are you on Telegram? It is easier to share the brief there."
        ),
    ),
)
# Cases filed straight into the store for the other tests: one campaign, another photo.
FILED: Final = (
    ("Mei Zhang", "Research Director at Lotus Bridge Institute"),
    ("Wei Chen", "Partner at Eastgate Policy Group"),
)


@dataclass(frozen=True)
class Team:
    """The server and the accounts of its "default" organisation."""

    server: Server
    reporter: Account
    analyst: Account
    other_analyst: Account
    admin: Account

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Team]:
    server = start_server(tmp_path_factory.mktemp("var"))
    try:
        server.wait_ready()  # it makes the store: accounts come after
        yield Team(
            server,
            reporter=create_account(server, "sam@example.org", "reporter", "Sam Taylor"),
            analyst=create_account(server, "ana@example.org", "analyst", "Ana Lopes"),
            other_analyst=create_account(server, "bo@example.org", "analyst", "Bo Lindqvist"),
            admin=create_account(server, "kim@example.org", "admin", "Kim Admin"),
        )
    finally:
        server.stop()


@pytest.fixture(scope="module")
def filed(team: Team) -> list[str]:
    """Two linked cases reported by the reporter, filed through the store (no check to wait
    for); their ids."""
    photo = Photo(data=base64.b64encode(encoded(textured_image(seed=7))))
    ids = []
    with open_store(team.server.database_url) as store:
        for name, headline in FILED:
            profile = Profile(
                platform=Platform.LINKEDIN,
                url=f"https://www.linkedin.com/in/{name.lower().replace(' ', '-')}-7731",
                name=name,
                headline=headline,
                photo=photo,
                invitation=Message(text=f"Hello from {headline}. May I send you a paid brief?"),
            )
            case = store.add_report(
                Engine().assess(profile), profile, reporter_name=team.reporter.name,
                reporter_contact=team.reporter.email, reporter_user_id=team.reporter.id,
                note="Filed by the browser tests.",
            )  # fmt: skip
            ids.append(case.id)
    return ids


@pytest.fixture(scope="module")
def browser(team: Team) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Browser) -> Iterator[OpenPage]:
    """`open_page(width=1280, axe=False)`: a page in a fresh browser context (signed out),
    watched for CSP refusals and script errors."""
    with watched_pages(browser) as new_page:

        def open_(width: int = 1280, *, axe: bool = False) -> Page:
            return new_page(axe=axe, **WIDTHS[width])

        yield open_


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Shots:
    folder = os.environ.get("LINKVET_SCREENSHOTS")
    return Shots(Path(folder) if folder else tmp_path_factory.mktemp("pages"))


def signed_in_page(open_page: OpenPage, team: Team, account: Account, **options: int) -> Page:
    page = open_page(**options)
    page.goto(f"{team.url}/login")
    sign_in(page, account)
    return page


def posted_to(path: str) -> Callable[[Response], bool]:
    return lambda answer: answer.request.method == "POST" and answer.url.endswith(path)


# --- a reporter reports, an analyst triages -----------------------------------------------------


def check_and_report(page: Page, team: Team, persona: Persona) -> str:
    """Check the persona from its pasted text, message and photo; report it; the case id."""
    page.goto(f"{team.url}/check")
    page.get_by_text("No screenshot? Paste the profile's text instead").click()
    page.get_by_label("The profile's text").fill(persona.profile_text)
    page.get_by_label("The invitation or messages they sent you").fill(persona.message)
    page.get_by_label("Their profile photo, if you saved it").set_input_files(FACE_PHOTO)
    page.get_by_role("group", name=MOVE_CHANNEL).get_by_label("Yes", exact=True).check()
    page.get_by_role("group", name=OFFERED_MONEY).get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Check this contact").click()
    page.wait_for_url(CHECK_URL)
    expect(page.locator(".verdict .badge")).to_have_text(re.compile(r"^(HIGH|MEDIUM) RISK$"))
    sent_as = f"Sent as {team.reporter.name} ({team.reporter.email})"
    expect(page.get_by_text(sent_as)).to_be_visible()  # filed with the account, not by name

    page.get_by_label("A note for the security team").fill(f"{persona.name} wrote to me today.")
    page.get_by_role("button", name="Send to the security team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thank you: sent to your security team"
    )
    return page.get_by_role("status").locator("strong").inner_text()


def case_row(page: Page, name: str) -> Locator:
    return page.locator("table.cases tbody tr").filter(has=page.get_by_role("link", name=name))


def shown_status(page: Page) -> Locator:
    """The case page's status, as the facts at its top show it."""
    return page.locator("dl.facts dd strong")


def set_status(page: Page, status: str) -> None:
    page.get_by_label(re.compile(r"^Status \(your verdict")).select_option(label=status)
    page.get_by_role("region", name="Triage").get_by_role("button", name="Save").click()


def test_reported_personas_sharing_a_photo_are_linked_confirmed_and_exported(
    team: Team, open_page: OpenPage
) -> None:
    reporter = signed_in_page(open_page, team, team.reporter)
    ids = [check_and_report(reporter, team, persona) for persona in PERSONAS]
    first, second = PERSONAS

    analyst = signed_in_page(open_page, team, team.analyst)
    analyst.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    expect(analyst).to_have_url(f"{team.url}/cases")
    for persona in PERSONAS:
        expect(case_row(analyst, persona.name).locator(".linked")).to_have_text("1 linked")

    case_row(analyst, first.name).get_by_role("link", name=first.name).click()
    expect(analyst).to_have_url(f"{team.url}/cases/{ids[0]}")
    related = analyst.get_by_role("region", name="Related cases").locator("ul.related > li")
    expect(related).to_have_count(1)
    expect(related.get_by_role("link", name=second.name)).to_be_visible()
    reasons = related.locator("ul.evidence li")
    expect(reasons.filter(has_text=re.compile(r"^same photo \("))).to_have_count(1)
    set_status(analyst, "Confirmed fake")
    expect(shown_status(analyst)).to_have_text("Confirmed fake")

    related.get_by_role("link", name=second.name).click()
    expect(analyst).to_have_url(f"{team.url}/cases/{ids[1]}")
    set_status(analyst, "Confirmed fake")
    expect(shown_status(analyst)).to_have_text("Confirmed fake")

    # The confirmed cases, filtered on the list, exported as a STIX bundle.
    analyst.get_by_role("link", name="All cases").click()
    analyst.get_by_label("Status", exact=True).select_option(label="Confirmed fake")
    analyst.get_by_role("button", name="Filter").click()
    expect(analyst).to_have_url(re.compile(r"[?&]status=confirmed_fake(&|$)"))
    with analyst.expect_download() as started:
        analyst.get_by_role("link", name="STIX 2.1").click()
    download = started.value
    assert download.suggested_filename == "linkvet-cases.stix.json"
    bundle = Path(download.path()).read_text(encoding="utf-8")
    results = stix2validator.validate_string(bundle)
    if not results.is_valid:
        stix2validator.print_results(results)
    assert results.is_valid
    objects = json.loads(bundle)["objects"]
    personas = {o["name"] for o in objects if o.get("identity_class") == "individual"}
    assert personas == {persona.name for persona in PERSONAS}
    assert team.reporter.email not in bundle  # the reporter stays out of shared exports

    reporter.goto(f"{team.url}/my/reports")
    for persona in PERSONAS:
        mine = reporter.get_by_role("main").get_by_role("listitem").filter(has_text=persona.name)
        expect(mine).to_contain_text("Confirmed fake")


# --- who may see what ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/cases", "/admin"])
def test_a_reporter_may_not_see_the_team_pages(
    path: str, team: Team, filed: list[str], open_page: OpenPage
) -> None:
    page = signed_in_page(open_page, team, team.reporter)
    for target in (path, f"/cases/{filed[0]}"):
        answer = page.goto(f"{team.url}{target}")
        assert answer is not None
        assert answer.status == 403, target
        expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Cases")).to_have_count(0)
    expect(nav.get_by_role("link", name="Admin")).to_have_count(0)


def test_signing_in_leads_back_and_signing_out_ends_the_session(
    team: Team, open_page: OpenPage
) -> None:
    page = open_page()
    page.goto(f"{team.url}/cases")
    expect(page).to_have_url(re.compile(r"/login\?next=(/|%2F)cases$"))
    sign_in(page, team.analyst)
    expect(page).to_have_url(f"{team.url}/cases")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")

    page.get_by_role("button", name=f"Sign out {team.analyst.email}").click()
    expect(page).to_have_url(f"{team.url}/")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Sign in")).to_be_visible()
    assert "lv_session" not in {cookie["name"] for cookie in page.context.cookies()}
    page.goto(f"{team.url}/cases")
    expect(page).to_have_url(re.compile(r"/login\?next=(/|%2F)cases$"))


# --- two analysts at once -----------------------------------------------------------------------


def test_the_second_of_two_analysts_saving_one_case_is_told_it_changed(
    team: Team, filed: list[str], open_page: OpenPage
) -> None:
    case_url = f"{team.url}/cases/{filed[1]}"
    first = signed_in_page(open_page, team, team.analyst)
    second = signed_in_page(open_page, team, team.other_analyst)
    for page in (first, second):
        page.goto(case_url)
        expect(shown_status(page)).to_have_text("New")

    set_status(first, "Triaging")
    expect(shown_status(first)).to_have_text("Triaging")
    with second.expect_response(posted_to(f"/cases/{filed[1]}")) as answered:
        set_status(second, "Benign")
    assert answered.value.status == 409
    expect(second.get_by_role("heading", level=1)).to_have_text("Changed meanwhile")

    second.goto(case_url)
    expect(shown_status(second)).to_have_text("Triaging")
    with open_store(team.server.database_url) as store:
        case = store.get_report(filed[1])
        assert case is not None
        assert case.status == ReportStatus.TRIAGING


# --- accessibility and pictures -----------------------------------------------------------------


def triage_pages(
    open_page: OpenPage, team: Team, filed: list[str], width: int, *, axe: bool
) -> Iterator[tuple[Page, str]]:
    """Each triage page loaded at `width`, with a short name: sign-in, then a reporter's pages,
    then the team's (as an admin, who sees them all)."""

    def visit(page: Page, path: str) -> Page:
        answer = page.goto(f"{team.url}{path}")
        assert answer is not None
        assert answer.status == 200, path
        return page

    reporter = open_page(width, axe=axe)
    yield visit(reporter, "/login"), "login"
    sign_in(reporter, team.reporter)
    yield visit(reporter, "/my/reports"), "my-reports"
    yield visit(reporter, f"/my/reports/{filed[0]}"), "my-report"

    admin = open_page(width, axe=axe)
    visit(admin, "/login")
    sign_in(admin, team.admin)
    yield visit(admin, "/cases"), "cases"
    yield visit(admin, f"/cases/{filed[0]}"), "case"
    yield visit(admin, "/admin"), "admin"
    yield visit(admin, "/admin/audit"), "audit"


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_triage_pages_pass_axe(
    width: int, team: Team, filed: list[str], open_page: OpenPage, shots: Shots
) -> None:
    problems: list[str] = []
    for page, name in triage_pages(open_page, team, filed, width, axe=True):
        problems.extend(f"{page.url}: {problem}" for problem in axe_problems(page))
        shots.page(page, f"triage-{name}", str(width))
    assert not problems, "accessibility problems:\n" + "\n".join(problems)


def test_the_triage_pages_fit_a_phone_screen(
    team: Team, filed: list[str], open_page: OpenPage
) -> None:
    """WCAG 1.4.10 (reflow): no page scrolls sideways at 390 px. Measured against the layout
    viewport: in Chromium's phone emulation `innerWidth` grows with a page that is too wide."""
    too_wide: list[str] = []
    for page, _ in triage_pages(open_page, team, filed, 390, axe=False):
        scroll, screen = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll > screen:
            too_wide.append(f"{page.url} is {scroll} px wide on a {screen} px screen")
    assert not too_wide, "\n".join(too_wide)
