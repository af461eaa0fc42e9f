"""Every route, through FastAPI's TestClient and through the Lambda handler (Mangum) with API
Gateway proxy events, as deployed: the authorizer Lambda verifies the token first and the API
reads the user from its context. A final check fails if a route was left out."""

from __future__ import annotations

import json
import re

import pytest
from api_helpers import EVENTS, SCRIPT

def every_route(app) -> dict[str, set[str]]:
    """path template -> methods, from the OpenAPI document (and the two documentation routes)."""
    routes = {path: {m.upper() for m in ops} for path, ops in app.openapi()["paths"].items()}
    return routes | {"/docs": {"GET"}, "/openapi.json": {"GET"}}


PUBLIC = ("/v1/auth/", "/health", "/docs", "/openapi.json")


class Transport:
    def __init__(self, kind, client, apigw, lambda_context, app):
        self.kind, self.client, self.apigw, self.ctx, self.app = kind, client, apigw, lambda_context, app
        self.hit: set[tuple[str, str]] = set()

    def _route(self, method: str, path: str) -> None:
        for template, methods in every_route(self.app).items():
            pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
            if method in methods and re.match(pattern, path):
                self.hit.add((method, template))
                return

    def __call__(self, method: str, path: str, *, json_body=None, token: str | None = None,
                 headers: dict | None = None, query: dict | None = None):
        self._route(method, path)
        headers = dict(headers or {})
        if self.kind == "testclient":
            if token:
                headers["Authorization"] = f"Bearer {token}"
            r = self.client.request(method, path, json=json_body, headers=headers, params=query,
                                    follow_redirects=False)
            return r.status_code, (r.json() if r.content and "json" in r.headers.get("content-type", "") else None), r
        authorizer = None
        if token and not path.startswith(PUBLIC):
            from functions.authorizer.handler import handler as authorize

            event = json.loads((EVENTS / "authorizer_token.json").read_text())
            event["authorizationToken"] = f"Bearer {token}"
            authorizer = authorize(event, self.ctx)["context"]
        r = self.apigw(method, path, body=json_body, headers=headers, query=query, authorizer=authorizer)
        body = r.json() if r.text and "json" in r.headers.get("content-type", "") else None
        return r.status_code, body, r


@pytest.fixture(params=["testclient", "mangum"])
def call(request, client, apigw, lambda_context, app):
    return Transport(request.param, client, apigw, lambda_context, app)


def test_every_route(call, app):
    from test_assets import _upload

    # auth
    status, reg, _ = call("POST", "/v1/auth/register", json_body={"email": "eve@example.com",
                                                                  "password": "a long enough password"})
    assert status == 201
    status, tokens, _ = call("POST", "/v1/auth/login", json_body={"email": "eve@example.com",
                                                                  "password": "a long enough password"})
    assert status == 200
    status, rotated, _ = call("POST", "/v1/auth/refresh", json_body={"refresh_token": tokens["refresh_token"]})
    assert status == 200
    token = rotated["access_token"]
    assert call("POST", "/v1/auth/logout", json_body={"refresh_token": reg["tokens"]["refresh_token"]})[0] == 204
    # me
    status, me, _ = call("GET", "/v1/me", token=token)
    assert status == 200 and me["email"] == "eve@example.com"
    status, credits, _ = call("GET", "/v1/me/credits", token=token)
    assert status == 200 and credits["available"] > 0
    # projects
    status, project, _ = call("POST", "/v1/projects", json_body={"name": "All routes"}, token=token)
    assert status == 201
    pid = project["project_id"]
    assert call("GET", "/v1/projects", token=token)[1]["items"][0]["project_id"] == pid
    assert call("GET", f"/v1/projects/{pid}", token=token)[0] == 200
    assert call("PATCH", f"/v1/projects/{pid}", json_body={"description": "d"}, token=token)[1]["description"] == "d"
    # assets
    status, created, _ = call("POST", f"/v1/projects/{pid}/assets", token=token,
                              json_body={"filename": "s.fountain", "content_type": "text/plain", "size": len(SCRIPT)})
    assert status == 201
    assert _upload(created, SCRIPT.encode())["outcome"] == "ready"
    aid = created["asset"]["asset_id"]
    assert call("GET", f"/v1/projects/{pid}/assets", token=token)[1]["items"][0]["asset_id"] == aid
    assert call("GET", f"/v1/assets/{aid}", token=token)[1]["status"] == "READY"
    # jobs
    status, job, raw = call("POST", f"/v1/projects/{pid}/jobs", json_body={"asset_id": aid}, token=token,
                            headers={"Idempotency-Key": "every-route"})
    assert status == 202, job
    jid = job["job_id"]
    assert call("GET", f"/v1/jobs/{jid}", token=token)[1]["status"] == "QUEUED"
    assert [j["job_id"] for j in call("GET", f"/v1/projects/{pid}/jobs", token=token)[1]["items"]] == [jid]
    assert call("GET", f"/v1/jobs/{jid}/outputs/film", token=token)[0] == 404  # not finished
    assert call("POST", f"/v1/projects/{pid}/plan", json_body={"script": SCRIPT}, token=token)[1]["estimate"]["credits"]
    assert call("GET", f"/v1/jobs/{jid}/scenes", token=token)[1]["scenes"] == []  # the plan stage has not run
    assert call("GET", f"/v1/jobs/{jid}/panels/s1-sh1", token=token)[0] == 404
    assert call("POST", f"/v1/jobs/{jid}/cancel", token=token)[1]["status"] == "CANCELLED"
    # admin (refused for this free user; granted for an admin)
    assert call("POST", f"/v1/admin/users/{me['user_id']}/credits", json_body={"amount": 5}, token=token)[0] == 403
    from filmstudio.auth.tokens import issue_access_token

    admin = issue_access_token("admin-1", "admin")
    assert call("POST", f"/v1/admin/users/{me['user_id']}/credits", json_body={"amount": 5}, token=admin)[0] == 200
    assert call("PUT", f"/v1/admin/users/{me['user_id']}/role", json_body={"role": "pro"}, token=admin)[0] == 200
    # deletes, docs, health
    assert call("DELETE", f"/v1/assets/{aid}", token=token)[0] == 204
    assert call("DELETE", f"/v1/projects/{pid}", token=token)[0] == 204
    assert call("GET", f"/v1/projects/{pid}", token=token)[0] == 404
    assert call("GET", "/health")[0] == 200
    assert call("GET", "/openapi.json")[0] == 200
    assert call("GET", "/docs")[0] == 200

    every = {(m, path) for path, methods in every_route(app).items() for m in methods}
    assert len(every) >= 22
    missed = every - call.hit
    assert not missed, f"routes not exercised through {call.kind}: {sorted(missed)}"


def test_sample_register_event_through_the_handler(apigw, lambda_context):
    """tests/events/apigw_rest_proxy_register.json as API Gateway sends it: role and credits ignored."""
    from functions.api.handler import handler

    event = json.loads((EVENTS / "apigw_rest_proxy_register.json").read_text())
    out = handler(event, lambda_context)
    assert out["statusCode"] == 201
    user = json.loads(out["body"])["user"]
    assert user["role"] == "free"


def test_sample_get_job_event_through_the_handler_is_404_for_a_stranger(apigw, lambda_context):
    from functions.api.handler import handler

    event = json.loads((EVENTS / "apigw_rest_proxy_get_job.json").read_text())
    out = handler(event, lambda_context)
    assert out["statusCode"] == 404 and json.loads(out["body"])["error"]["code"] == "JOB_NOT_FOUND"


def test_mangum_without_authorizer_context_still_needs_a_valid_token(apigw, alice):
    assert apigw("GET", "/v1/me").status_code == 401
    assert apigw("GET", "/v1/me", headers={"Authorization": f"Bearer {alice.access}"}).status_code == 200
    assert apigw("GET", "/v1/me", headers={"Authorization": f"Bearer {alice.access[:-5]}abcde"}).status_code == 401


def test_mangum_oversized_body_is_413(apigw, alice):
    r = apigw("POST", "/v1/projects", body="x" * (100 * 1024), headers={"Content-Type": "application/json"},
              authorizer={"user_id": alice.user_id, "role": "free", "tier": "preview"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"


def test_mangum_unknown_role_in_the_context_is_refused(apigw, alice):
    r = apigw("GET", "/v1/me", authorizer={"user_id": alice.user_id, "role": "superuser", "tier": "studio"})
    assert r.status_code == 401
