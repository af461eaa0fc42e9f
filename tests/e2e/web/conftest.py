"""The web studio in real headless Chromium (Debian's package, driven by Playwright; no browser
download) against `filmstudio serve` on 127.0.0.1, with its own local cloud."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from served_api import served_api

CHROMIUM = os.environ.get("FILMSTUDIO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "out" / "web"


def chromium_or_skip() -> str:
    if Path(CHROMIUM).is_file():
        return CHROMIUM
    if os.environ.get("CI"):  # .ci/run installs it: missing there is a broken CI, not a reason to skip
        pytest.fail(f"{CHROMIUM} is missing; .ci/run should have installed Debian's chromium")
    pytest.skip(f"{CHROMIUM} is missing (apt-get install -y chromium)")


@pytest.fixture(scope="module")
def served():
    with served_api() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def shots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take
