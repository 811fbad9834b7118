"""Debian's Chromium driven by Playwright, started the way this offline machine needs: no
background networking (its connections are refused here), no sandbox (we run as root)."""

from __future__ import annotations

from typing import Final

from playwright.sync_api import Browser, Playwright

CHROMIUM: Final = "/usr/bin/chromium"
CHROMIUM_ARGS: Final = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch_chromium(playwright: Playwright) -> Browser:
    """A headless Debian Chromium (`make browser-packages` installs it)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
