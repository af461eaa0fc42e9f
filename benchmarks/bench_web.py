"""The web studio's first load: bytes of JavaScript and CSS, and time to interactive of the project page.

Headless Chromium (Debian's package) opens a signed-in user's project page with an empty cache
against `filmstudio serve` on 127.0.0.1. Transfer: what the browser fetched (Resource Timing), and
the same files gzip-compressed, as CloudFront sends them; budget 150 KB compressed. Time to
interactive: navigation start to the app's `studio-interactive` mark (the page's data loaded and
its controls live), median of several loads. Skipped, with a message, where Chromium is absent.
"""

from __future__ import annotations

import gzip
import os
import socket
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("FILMSTUDIO_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOADS = 5
BUDGET_BYTES = 150 * 1024


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve() -> tuple[str, object]:
    from filmstudio.localcloud.serve import serve

    port, servers = _free_port(), []
    threading.Thread(target=serve, kwargs={"port": port, "log_level": "warning", "on_ready": servers.append},
                     daemon=True).start()
    deadline = time.monotonic() + 60
    while not (servers and servers[0].started):
        if time.monotonic() > deadline:
            raise RuntimeError("filmstudio serve did not start")
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", servers[0]


def measure() -> dict:
    from playwright.sync_api import sync_playwright

    base, server = _serve()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            context = browser.new_context()
            cookie = {"X-Refresh-Transport": "cookie"}
            tokens = context.request.post(f"{base}/v1/auth/register", headers=cookie,
                                          data={"email": "bench@example.com", "password": "a long enough password"})
            access = tokens.json()["tokens"]["access_token"]
            project = context.request.post(f"{base}/v1/projects", data={"name": "Bench"},
                                           headers={"Authorization": f"Bearer {access}"}).json()
            url = f"{base}/#/projects/{project['project_id']}"
            loads = []
            for _ in range(LOADS):
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                page.goto(url)
                page.wait_for_function("() => performance.getEntriesByName('studio-interactive').length > 0",
                                       timeout=30_000)
                loads.append(page.evaluate("""() => ({
                    tti: performance.getEntriesByName('studio-interactive')[0].startTime,
                    files: performance.getEntriesByType('resource')
                        .filter(e => /\\.(js|css)$/.test(new URL(e.name).pathname))
                        .map(e => [new URL(e.name).pathname, e.transferSize, e.encodedBodySize]),
                })"""))
                page.close()
            browser.close()
    finally:
        server.should_exit = True
    files = {path: (transfer, body) for path, transfer, body in loads[0]["files"]}
    web = REPO / "web"
    gz = sum(len(gzip.compress((web / urlparse(p).path.lstrip("/")).read_bytes(), 9)) for p in files)
    return {
        "files": len(files),
        "transferred": sum(t for t, _ in files.values()),
        "body": sum(b for _, b in files.values()),
        "gzip": gz,
        "tti_ms": [round(load["tti"], 1) for load in loads],
    }


def run() -> None:
    print("\n== web studio: first load of the project page (headless Chromium) ==")
    if not Path(CHROMIUM).is_file():
        print(f"skipped: {CHROMIUM} is missing (apt-get install -y chromium)")
        return
    sys.path.insert(0, str(REPO))
    r = measure()
    print(f"JS+CSS: {r['files']} files, {r['transferred'] / 1024:.1f} KB transferred from filmstudio serve "
          f"(uncompressed), {r['gzip'] / 1024:.1f} KB gzip-compressed as CloudFront sends them "
          f"(budget {BUDGET_BYTES // 1024} KB: {'within' if r['gzip'] <= BUDGET_BYTES else 'OVER'})")
    print(f"time to interactive: median {statistics.median(r['tti_ms']):.0f} ms, best {min(r['tti_ms']):.0f} ms "
          f"over {len(r['tti_ms'])} cold loads")


if __name__ == "__main__":
    run()
