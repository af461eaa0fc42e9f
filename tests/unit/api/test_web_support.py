"""What the web studio needs from the API: the refresh cookie, the plan before a job, a job's scenes."""

from __future__ import annotations

import pytest
from api_helpers import SCRIPT, balance

COOKIE = {"X-Refresh-Transport": "cookie"}
PASSWORD = "a long enough password"


@pytest.fixture
def browser(api_aws, app):
    """A client over https, as a browser is: it keeps a Secure cookie and sends it back."""
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as c:
        yield c


def _set_cookie(response) -> str:
    (header,) = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    return header


def test_cookie_transport_keeps_the_refresh_token_out_of_the_body(client):
    r = client.post("/v1/auth/register", json={"email": "web@example.com", "password": PASSWORD}, headers=COOKIE)
    assert r.status_code == 201
    assert r.json()["tokens"]["refresh_token"] is None and r.json()["tokens"]["access_token"]
    cookie = _set_cookie(r)
    attrs = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert cookie.startswith("filmstudio_refresh=")
    assert {"httponly", "secure", "samesite", "path", "max-age"} <= attrs
    assert "samesite=strict" in cookie.lower() and "path=/v1/auth" in cookie.lower()


def test_refresh_with_the_cookie_rotates_it_and_logout_clears_it(browser):
    browser.post("/v1/auth/register", json={"email": "web2@example.com", "password": PASSWORD}, headers=COOKIE)
    first = browser.cookies.get("filmstudio_refresh")
    r = browser.post("/v1/auth/refresh", headers=COOKIE)
    assert r.status_code == 200, r.text
    assert r.json()["refresh_token"] is None
    second = browser.cookies.get("filmstudio_refresh")
    assert second and second != first
    me = browser.get("/v1/me", headers={"Authorization": f"Bearer {r.json()['access_token']}"})
    assert me.json()["email"] == "web2@example.com"
    assert browser.post("/v1/auth/logout", headers=COOKIE).status_code == 204
    assert not browser.cookies.get("filmstudio_refresh")
    browser.cookies.set("filmstudio_refresh", second, path="/v1/auth")
    assert browser.post("/v1/auth/refresh", headers=COOKIE).json()["error"]["code"] == "INVALID_REFRESH_TOKEN"


def test_the_cookie_alone_without_the_header_is_not_a_refresh_token(browser):
    browser.post("/v1/auth/register", json={"email": "web3@example.com", "password": PASSWORD}, headers=COOKIE)
    assert browser.cookies.get("filmstudio_refresh")
    r = browser.post("/v1/auth/refresh")
    assert r.status_code == 401 and r.json()["error"]["code"] == "INVALID_REFRESH_TOKEN"


def test_json_transport_is_unchanged_and_sets_no_cookie(client):
    r = client.post("/v1/auth/register", json={"email": "cli@example.com", "password": PASSWORD})
    assert r.json()["tokens"]["refresh_token"] and "set-cookie" not in r.headers


def test_plan_shows_scenes_and_the_estimate_and_writes_nothing(client, alice):
    from filmstudio.db.records import JobRecord

    pid = client.post("/v1/projects", json={"name": "p"}, headers=alice.headers).json()["project_id"]
    before = balance(alice.user_id)
    r = client.post(f"/v1/projects/{pid}/plan", json={"script": SCRIPT}, headers=alice.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["plan"]["scenes"] and body["plan"]["characters"]
    assert all(shot["duration"] > 0 for scene in body["plan"]["scenes"] for shot in scene["shots"])
    assert body["estimate"]["available"] == before.available and body["estimate"]["affordable"] is True
    assert balance(alice.user_id) == before and not list(JobRecord.scan())
    job = client.post(f"/v1/projects/{pid}/jobs", json={"script": SCRIPT}, headers=alice.headers).json()
    assert job["credits"]["estimate"] == body["estimate"]["credits"]  # the price shown is the price charged


def test_plan_refuses_bad_input_and_other_users_projects(client, alice, bob):
    pid = client.post("/v1/projects", json={"name": "p"}, headers=alice.headers).json()["project_id"]
    r = client.post(f"/v1/projects/{pid}/plan", json={"script": SCRIPT, "language": "xx"}, headers=alice.headers)
    assert r.status_code == 422 and r.json()["error"]["code"] not in ("INTERNAL_ERROR", None)
    r = client.post(f"/v1/projects/{pid}/plan", json={"script": SCRIPT, "tier": "studio"}, headers=alice.headers)
    assert r.status_code == 403 and r.json()["error"]["code"] == "TIER_NOT_ALLOWED"
    r = client.post(f"/v1/projects/{pid}/plan", json={"script": SCRIPT}, headers=bob.headers)
    assert r.status_code == 404 and r.json()["error"]["code"] == "PROJECT_NOT_FOUND"


def test_scenes_before_the_plan_stage_and_for_a_stranger(client, alice, bob):
    pid = client.post("/v1/projects", json={"name": "p"}, headers=alice.headers).json()["project_id"]
    jid = client.post(f"/v1/projects/{pid}/jobs", json={"script": SCRIPT}, headers=alice.headers).json()["job_id"]
    r = client.get(f"/v1/jobs/{jid}/scenes", headers=alice.headers)
    assert r.status_code == 200 and r.json()["scenes"] == []  # this state machine never runs the plan stage
    assert client.get(f"/v1/jobs/{jid}/scenes", headers=bob.headers).status_code == 404
    r = client.get(f"/v1/jobs/{jid}/panels/s1-sh1", headers=alice.headers)
    assert r.status_code == 404 and r.json()["error"]["code"] == "PANEL_NOT_FOUND"


@pytest.fixture
def served_app(api_aws):
    """The app as `filmstudio serve` builds it: the API plus the web studio's files."""
    from fastapi.testclient import TestClient

    from filmstudio.api import web_static
    from filmstudio.api.app import create_app

    app = create_app()
    assert web_static.mount(app)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_the_studio_is_served_at_the_root_with_its_security_headers(served_app):
    r = served_app.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="js/main.js">' in r.text
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "unsafe" not in csp
    assert r.headers["x-content-type-options"] == "nosniff" and "max-age=" in r.headers["strict-transport-security"]
    assert served_app.get("/js/main.js").headers["content-type"].startswith("text/javascript")
    font = served_app.get("/fonts/tamil.ttf")
    assert font.status_code == 200 and font.headers["content-type"] == "font/ttf" and len(font.content) > 10_000


def test_the_static_mount_leaves_the_api_its_own_answers_and_never_leaves_web(served_app):
    r = served_app.get("/v1/no-such-route")
    assert r.status_code == 404 and r.json()["error"]["code"] == "NOT_FOUND"
    assert served_app.post("/v1/no-such-route", json={}).status_code == 404
    assert served_app.get("/health").json() == {"status": "ok"}
    for escape in ("/../pyproject.toml", "/%2e%2e/pyproject.toml", "/js/../../pyproject.toml", "/fonts/../../x.ttf",
                   "/fonts/latin.ttf", "/no-such-file.js"):
        r = served_app.get(escape)
        assert r.status_code == 404 and r.json()["error"]["code"] == "NOT_FOUND", escape


def test_the_lambda_app_does_not_serve_the_studio(client):
    r = client.get("/")
    assert r.status_code == 404 and r.json()["error"]["code"] == "NOT_FOUND"


def test_a_failed_job_says_its_stage_reason_and_code(client, alice):
    from filmstudio.jobs.store import JobStore

    pid = client.post("/v1/projects", json={"name": "p"}, headers=alice.headers).json()["project_id"]
    jid = client.post(f"/v1/projects/{pid}/jobs", json={"script": SCRIPT}, headers=alice.headers).json()["job_id"]
    JobStore().fail(jid, "compose", "the disk is full", "StageFailedError")
    error = client.get(f"/v1/jobs/{jid}", headers=alice.headers).json()["error"]
    assert error == {"stage": "compose", "reason": "the disk is full", "code": "StageFailedError"}
    listed = client.get(f"/v1/projects/{pid}/jobs", headers=alice.headers).json()["items"][0]["error"]
    assert listed["code"] == "StageFailedError"
