"""What the browser tests need besides the browser: the real server (`linkvet serve` in its own
process, with its data folder in a temporary directory), Debian's Chromium, axe-core, a second
web server on another origin, and the store the server writes its reports to.

No mocks: the pages are served by the app as `make run` serves them, read by a real browser.
"""

from __future__ import annotations

import contextlib
import http.server
import io
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pytest
from PIL import Image
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    FloatRect,
    Locator,
    Page,
    Playwright,
    expect,
)

from linkvet.store import open_store

ROOT: Final = Path(__file__).resolve().parent.parent
LINKVET: Final = Path(sys.executable).parent / "linkvet"
CHROMIUM: Final = "/usr/bin/chromium"
CHROMIUM_ARGS: Final = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# axe-core from npm (package.json at the top of the checkout; `npm ci` installs it).
AXE: Final = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS: Final = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SERIOUS: Final = frozenset({"serious", "critical"})
STARTUP_SECONDS: Final = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    """A `linkvet serve` process; `wait_ready()` blocks until it answers."""

    url: str
    var_dir: Path
    process: subprocess.Popen[bytes]
    log: Path

    def wait_ready(self, timeout: float = STARTUP_SECONDS) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"linkvet serve exited with {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/api/v1/health", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"linkvet serve did not answer in {timeout:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log)"

    def report_count(self) -> int:
        """How many reports the server's store holds, read from its SQLite file."""
        with open_store(self.database_url) as store:
            return len(store.list_reports(limit=1_000))

    def note_of(self, report_id: str) -> tuple[str, str | None, str | None]:
        """A stored report's note, reporter name and reporter contact."""
        with open_store(self.database_url) as store:
            report = store.get_report(report_id)
            assert report is not None, f"report {report_id} is not in the store"
            return report.note, report.reporter_name, report.reporter_contact

    def check_count(self) -> int:
        """How many checks (result pages) the server keeps."""
        return len(list((self.var_dir / "checks").glob("*.json")))

    @property
    def database_url(self) -> str:
        return f"sqlite:///{(self.var_dir / 'cases.sqlite').resolve()}"


def start_server(var_dir: Path) -> Server:
    """Start `linkvet serve` on a free loopback port, its data in `var_dir`; returns at once
    (call `wait_ready`), so that other set-up can run while it starts."""
    var_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"LINKVET_DATABASE_URL", "LINKVET_LEARN_DIR", "LINKVET_HTTPS"}
    }
    env["LINKVET_VAR"] = str(var_dir)
    log = var_dir / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(LINKVET), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=var_dir,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return Server(url=f"http://127.0.0.1:{port}", var_dir=var_dir, process=process, log=log)


def launch_chromium(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


class OtherSite:
    """A plain web server on another port (another origin) serving the files in a folder: the
    page of an attacker that a person opens while signed in to linkvet."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, directory=str(folder), **kwargs)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.folder = folder
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def page(self, name: str, html: str) -> str:
        (self.folder / name).write_text(html, encoding="utf-8")
        return f"{self.url}/{name}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def axe_problems(page: Page) -> list[str]:
    """The page's serious and critical WCAG 2.1 A/AA violations, one line per element. axe
    must be in the page already (`context.add_init_script(path=AXE)`: the CSP refuses injected
    inline scripts, but not the browser's own init scripts)."""
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    problems = []
    for violation in result["violations"]:
        if violation.get("impact") not in SERIOUS:
            continue
        for node in violation["nodes"]:
            problems.append(
                f"{violation['impact']} {violation['id']} ({violation['help']}) at "
                f"{' '.join(map(str, node['target']))}: {node.get('failureSummary', '')}"
            )
    return problems


@dataclass(frozen=True)
class Account:
    """An account made in the server's store before the browser signs in with it."""

    id: int
    email: str
    password: str
    name: str


def create_account(server: Server, email: str, role: str, name: str) -> Account:
    """An account of the "default" organisation with a fresh password (argon2 takes a moment)."""
    password = f"pw-{os.urandom(12).hex()}"
    with open_store(server.database_url) as store:
        user = store.create_user(
            email, password, role=role, display_name=name, actor="browser tests"
        )
    return Account(id=user.id, email=email, password=password, name=name)


def sign_in(page: Page, account: Account) -> None:
    """Fill and send the sign-in form the page shows (from /login, or a redirect to it)."""
    page.get_by_label("E-mail address").fill(account.email)
    page.get_by_label("Password", exact=True).fill(account.password)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name=f"Sign out {account.email}")).to_be_visible()


WAIT_MS: Final = 90_000  # a screenshot check (OCR) takes several seconds on a small machine


@dataclass
class Console:
    """What the pages said on the console: CSP refusals and uncaught errors fail the test."""

    csp: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        page.on("console", self._message)
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))

    def _message(self, message: ConsoleMessage) -> None:
        text = message.text
        if message.type == "error" and ("Content Security Policy" in text or "Refused to" in text):
            self.csp.append(f"{message.page.url if message.page else '?'}: {text}")


OpenPage = Callable[..., Page]


@contextlib.contextmanager
def watched_pages(browser: Browser) -> Iterator[OpenPage]:
    """`new_page(axe=False, **context_options)`: a page in a fresh browser context (its own
    cookies), watched: CSP refusals and script errors fail the test when the block ends."""
    console = Console()
    contexts: list[BrowserContext] = []

    def new_page(*, axe: bool = False, **options: Any) -> Page:
        context = browser.new_context(**options)
        context.set_default_timeout(WAIT_MS)
        if axe:
            if not AXE.is_file():
                pytest.fail(f"{AXE} is missing: run `npm ci` at the top of the checkout")
            # An init script is the browser's own, so the CSP (no inline scripts) lets it run.
            context.add_init_script(path=AXE)
        contexts.append(context)
        page = context.new_page()
        console.watch(page)
        return page

    yield new_page
    for context in contexts:
        context.close()
    assert not console.csp, "CSP refusals:\n" + "\n".join(console.csp)
    assert not console.errors, "script errors:\n" + "\n".join(console.errors)


class Shots:
    """Pictures of the pages as `<name>-<device>.png`: whole pages, or a part of one."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder

    def page(self, page: Page, name: str, device: str) -> None:
        # Lazy pictures load only when scrolled to: load them all for the full-page picture.
        page.evaluate(
            """() => Promise.all([...document.images].map(image => {
                image.loading = "eager";
                return image.complete ? null : new Promise(done => {
                    image.addEventListener("load", done); image.addEventListener("error", done);
                });
            }))"""
        )
        self._unfocus(page)
        self._save(page.screenshot(full_page=True), name, device)

    def part(self, page: Page, parts: list[Locator], name: str, device: str) -> None:
        """The area around some elements, with a margin so that their borders show."""
        boxes = [box for part in parts if (box := part.bounding_box()) is not None]
        assert boxes, f"nothing to picture for {name}"
        scroll = page.evaluate("[window.scrollX, window.scrollY]")
        left = max(0, min(box["x"] for box in boxes) + scroll[0] - 8)
        top = max(0, min(box["y"] for box in boxes) + scroll[1] - 8)
        right = max(box["x"] + box["width"] for box in boxes) + scroll[0] + 8
        bottom = max(box["y"] + box["height"] for box in boxes) + scroll[1] + 8
        self._unfocus(page)
        clip: FloatRect = {"x": left, "y": top, "width": right - left, "height": bottom - top}
        self._save(page.screenshot(clip=clip, full_page=True), name, device)

    @staticmethod
    def _unfocus(page: Page) -> None:
        """No focus ring on the last control the test used: the pictures show a page at rest."""
        page.evaluate("document.activeElement && document.activeElement.blur()")

    def _save(self, png: bytes, name: str, device: str) -> None:
        """As a 256-colour PNG: text stays sharp and the files stay small."""
        with Image.open(io.BytesIO(png)) as picture:
            fewer = picture.convert("RGB").quantize(256, dither=Image.Dither.NONE)
            fewer.save(self.folder / f"{name}-{device}.png", optimize=True)
