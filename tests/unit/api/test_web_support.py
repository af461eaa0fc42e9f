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
