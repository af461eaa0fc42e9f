"""A director's session in the web studio, in headless Chromium: sign up, create a project, paste the
example screenplay, read the plan and its price, render with live progress and the storyboard
appearing, play the film with its subtitles, change one scene and see only it re-rendered, cancel a
job; another user gets "not found" for that project; the page works at 375 px. Each screen is
written to out/web/ for review."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"

pytestmark = pytest.mark.slow

PASSWORD = "lights camera action"
RENDER_TIMEOUT_MS = 240_000
# Devanagari, Bengali, Tamil, Telugu: each must be drawn with the font the studio serves for it.
INDIC = "नमस्ते दुनिया\nনমস্কার পৃথিবী\nவணக்கம் உலகம்\nనమస్కారం ప్రపంచం\n"
FONT_FACES = ("FS Devanagari", "FS Bengali", "FS Tamil", "FS Telugu")
TAMIL = """மீனவன்

விடியற்காலையில் கடற்கரையில் படகுகள் கிளம்பின. மீனவர் சேகர் தன் மகன் பாலுவுடன் வலையைத் தயார் செய்தார்.

"அப்பா, இன்று நிறைய மீன் கிடைக்குமா?" என்று பாலு கேட்டான்.

"கடல் தாய் கொடுப்பதை வாங்கிக் கொள்வோம்," என்றார் சேகர்.
"""


def _watch_console(page, problems: list[str]) -> None:
    # (Its waits are written as functions: a bare expression would be eval'd in the page, which the CSP forbids.)
    # The browser logs every 4xx answer as "Failed to load resource"; the first refresh without a cookie
    # is one. Script errors and CSP violations are what this collects.
    page.on("console", lambda m: problems.append(f"console: {m.text}")
            if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))


def _register(page, base: str, email: str) -> None:
    page.goto(base + "/")
    page.wait_for_url(re.compile(r"#/login$"))
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Name (optional)").fill("Leela Director")
    # the keyboard alone: type, Tab to the next field, Enter submits
    page.get_by_label("Email").fill(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#/projects$"))


def _wait_for_job(page, previous_rows: int) -> None:
    """Wait for a new job to appear in the jobs table and for the render section to finish it."""
    page.wait_for_function(f"() => document.querySelectorAll('#jobs tbody tr').length > {previous_rows}")
    newest = page.locator("#jobs tbody tr").first.get_attribute("data-job-id")
    page.wait_for_function("id => { const r = document.querySelector('#render-section'); return r.dataset.jobId === id "
                           "&& ['SUCCEEDED','FAILED','CANCELLED'].includes(r.dataset.status); }", arg=newest,
                           timeout=RENDER_TIMEOUT_MS)


def _plan(page) -> None:
    page.get_by_role("button", name="Show the plan").click()
    page.wait_for_function("() => { const r = document.querySelector('#render-button'); return r && !r.disabled; }")


def test_director_session(served, browser, shots):
    script = (EXAMPLES / "the_lighthouse_keeper.fountain").read_text(encoding="utf-8")
    problems: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _watch_console(page, problems)
    page.add_init_script("document.addEventListener('securitypolicyviolation', "
                         "e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))")

    # -- sign up (keyboard) and create a project ----------------------------------------------
    _register(page, served, "director@example.com")
    shots(page, "01-projects-empty")
    assert page.evaluate("localStorage.length") == 0
    assert "filmstudio_refresh" not in page.evaluate("document.cookie")  # httpOnly: invisible to script
    assert any(c["name"] == "filmstudio_refresh" and c["httpOnly"] and c["sameSite"] == "Strict"
               for c in context.cookies())
    page.get_by_label("New project name").fill("The Lighthouse Keeper")
    page.get_by_role("button", name="Create project").click()
    page.wait_for_url(re.compile(r"#/projects/[A-Za-z0-9_-]+$"))
    project_url = page.url

    # -- Indic text in the editor uses the served fonts -----------------------------------------
    page.get_by_label("Script text").fill(INDIC)
    page.wait_for_function("() => document.fonts.status === 'loaded'")
    loaded = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/\"/g, ''))")
    assert set(FONT_FACES) <= set(loaded), loaded
    shots(page, "02-indic-editor")

    # -- a Tamil script, its language chosen by hand: the plan shows it in its own script -----------
    page.get_by_label("Script text").fill(TAMIL)
    page.get_by_label("Language").select_option("ta")
    _plan(page)
    assert "Tamil" in page.locator("#plan-summary").inner_text() and "chosen by you" in page.locator("#plan-summary").inner_text()
    assert "கடல் தாய்" in page.locator("#plan-scenes").inner_text()
    shots(page, "03-plan-tamil")
    page.get_by_label("Language").select_option("")

    # -- the plan before rendering, of a script opened from a file ------------------------------------
    page.get_by_label("…or open a .fountain or .txt file").set_input_files(str(EXAMPLES / "the_lighthouse_keeper.fountain"))
    page.wait_for_function("() => document.querySelector('#script').value.includes('LIGHTHOUSE LANTERN ROOM')")
    assert page.get_by_label("Script text").input_value() == script
    _plan(page)
    assert page.locator("#scene-count").inner_text() == "3 scenes"
    assert page.locator("#character-count").inner_text() == "2 characters"
    assert page.locator("#characters li").count() == 2
    assert "LEELA" in page.locator("#characters").inner_text() and "voice" in page.locator("#characters").inner_text()
    assert page.locator("#plan-scenes .shot-duration").count() >= 3
    estimate = int(page.locator("#estimate-credits").inner_text())
    assert estimate > 0 and int(page.locator("#estimate-balance").inner_text()) == 30
    plan_seconds = float(page.locator("#plan-duration").get_attribute("data-seconds"))
    shots(page, "04-plan")

    # -- render: live progress, the storyboard appears while it runs -----------------------------
    page.get_by_role("button", name="Render", exact=True).click()
    page.wait_for_selector("#board img.panel", timeout=RENDER_TIMEOUT_MS)
    status_when_first_panel = page.locator("#render-section").get_attribute("data-status")
    shots(page, "05-rendering")
    _wait_for_job(page, 0)
    assert status_when_first_panel in ("QUEUED", "RUNNING")  # drawn panels shown before the film was done
    assert page.locator("#render-section").get_attribute("data-status") == "SUCCEEDED", \
        page.locator("#job-status").inner_text()
    assert page.locator("#job-status").get_attribute("data-progress") == "100"
    assert page.locator("#progress").get_attribute("value") == "100"
    assert page.locator("#stages li.done").count() == 8

    # -- the film plays, with its subtitle track -------------------------------------------------
    page.wait_for_selector("#film")
    page.wait_for_function("() => document.querySelector('#film').readyState >= 2", timeout=60_000)
    duration = page.evaluate("document.querySelector('#film').duration")
    assert abs(duration - plan_seconds) <= 0.5, (duration, plan_seconds)
    page.evaluate("(() => { const v = document.querySelector('#film'); v.muted = true; return v.play(); })()")
    page.wait_for_function("() => document.querySelector('#film').currentTime > 0.2", timeout=30_000)
    tracks = page.evaluate("[...document.querySelector('#film').textTracks].map(t => [t.kind, t.mode, t.cues ? t.cues.length : 0])")
    assert tracks and tracks[0][0] == "subtitles" and tracks[0][1] == "showing" and tracks[0][2] > 0, tracks
    assert page.locator("#contact-sheet").evaluate("img => img.complete && img.naturalWidth > 0")
    for link in ("#download-mp4", "#download-srt", "#download-vtt"):
        assert page.locator(link).get_attribute("href").startswith("blob:")
    page.locator("#film").evaluate("v => v.pause()")
    shots(page, "06-film")

    # -- edit one scene's dialogue, render again: the other scenes are reused --------------------
    edited = script.replace("Then we light the lamp early.", "Then we light the lamp right now, before dark.")
    assert edited != script
    page.get_by_label("Script text").fill(edited)
    _plan(page)
    page.get_by_role("button", name="Render", exact=True).click()
    _wait_for_job(page, 1)
    assert page.locator("#render-section").get_attribute("data-status") == "SUCCEEDED"
    states = {el.get_attribute("data-scene-id"): el.get_attribute("data-state")
              for el in page.locator("#board .scene-card").all()}
    assert states == {"s1": "rendered", "s2": "reused", "s3": "reused"}, states
    shots(page, "07-rerender")

    # -- cancel a job ------------------------------------------------------------------------------
    page.get_by_label("Script text").fill(edited.replace("They made it home.", "They all made it home."))
    _plan(page)
    page.get_by_role("button", name="Render", exact=True).click()
    page.wait_for_function("() => document.querySelectorAll('#jobs tbody tr').length > 2")
    page.locator("#jobs tbody tr").first.get_by_role("button", name=re.compile("^Cancel job")).click()
    page.wait_for_selector("#jobs tbody tr[data-status=CANCELLED]")
    assert page.locator("#jobs tbody tr").first.get_attribute("data-status") == "CANCELLED"
    shots(page, "08-jobs")

    # -- credits: balance and ledger ---------------------------------------------------------------
    page.get_by_role("link", name="Credits").click()
    page.wait_for_selector(".ledger tbody tr")
    ledger = page.locator(".ledger").inner_text()
    assert "settle" in ledger and "refund" in ledger and "grant" in ledger
    assert int(page.locator("#available").inner_text()) == 30 - 2 * estimate
    shots(page, "09-credits")

    # -- a reload keeps the login (the cookie), and the page fits 375 px ----------------------------
    phone = context.new_page()
    _watch_console(phone, problems)
    phone.set_viewport_size({"width": 375, "height": 812})
    phone.goto(project_url)
    phone.wait_for_selector("#jobs tbody tr")
    wide = phone.evaluate("[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 376 "
                          "&& !e.closest('.table-wrap')).map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 8)")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375, wide
    shots(phone, "10-project-375px")
    phone.close()

    # -- another user: that project is "not found" ---------------------------------------------------
    stranger_context = browser.new_context()
    stranger = stranger_context.new_page()
    _watch_console(stranger, [])  # its 404 is expected in the console
    _register(stranger, served, "stranger@example.com")
    stranger.goto(project_url)
    stranger.wait_for_selector("#not-found")
    assert stranger.get_by_role("heading", level=1).inner_text() == "Not found"
    assert "The Lighthouse Keeper" not in stranger.content()
    shots(stranger, "11-not-found")
    stranger_context.close()

    context.close()
    assert not problems, problems
