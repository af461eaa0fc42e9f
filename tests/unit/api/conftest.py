"""Fixtures for the API's tests: the local cloud's AWS with no film executing behind it; a
TestClient; users; and API Gateway proxy events for the Mangum handler."""

from __future__ import annotations

import base64
import copy
import json
import uuid
from dataclasses import dataclass

import pytest
from api_helpers import EVENTS, set_balance

_KEYS: list[str] = []


def key_document() -> str:
    """One RSA key set per test session: generating one per test would dominate the suite's time.
    (Creating the secret on first use is tested on its own, in test_tokens.py.)"""
    if not _KEYS:
        from filmstudio.auth.keys import generate_key_document

        _KEYS.append(generate_key_document())
    return _KEYS[0]


def reset_process_state() -> None:
    from filmstudio import aws

    aws.reset()  # settings, clients, table bindings, signing keys, verified tokens


@pytest.fixture
def api_aws(monkeypatch):
    """The local cloud's AWS (moto), provisioned by `LocalCloud.provision` as every other test's is:
    the tables, the bucket, the key-ring secret, the functions and the film state machine, with the
    in-process Lambda runtime (intake asks the analyze function, an upload triggers ingest). No film
    runs: moto does not execute the state machine here, so a started job's execution stays RUNNING."""
    from moto import mock_aws

    from filmstudio.localcloud import LocalCloud, moto_fixes

    cloud = LocalCloud()
    for key, value in cloud.environment().items():
        monkeypatch.setenv(key, value)
    with mock_aws(), moto_fixes.applied():
        reset_process_state()
        cloud.runtime.install()
        try:
            cloud.provision()
            from filmstudio import aws
            from filmstudio.settings import get_settings

            # The session's key pair, not one generated per test (first-use creation: test_tokens.py).
            aws.client("secretsmanager").put_secret_value(SecretId=get_settings().jwt_secret_name,
                                                          SecretString=key_document())
            yield cloud
        finally:
            cloud.runtime.drain(timeout=30)
            cloud.runtime.uninstall()
    reset_process_state()


@pytest.fixture(scope="session")
def app():
    from filmstudio.api.app import create_app

    return create_app()


@pytest.fixture
def client(api_aws, app):
    from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@dataclass
class User:
    user_id: str
    email: str
    password: str
    access: str
    refresh: str
    role: str = "free"

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access}"}


@pytest.fixture
def make_user(client):
    """Register a user through the API; optionally give it a role and a credit balance."""

    def make(*, role: str = "free", credits: int | None = None, email: str | None = None) -> User:
        email = email or f"user-{uuid.uuid4().hex[:8]}@example.com"
        password = "a long enough password"
        r = client.post("/v1/auth/register", json={"email": email, "password": password})
        assert r.status_code == 201, r.text
        body = r.json()
        user = User(body["user"]["user_id"], email, password, body["tokens"]["access_token"],
                    body["tokens"]["refresh_token"])
        if role != "free":
            from filmstudio.auth.tokens import issue_access_token
            from filmstudio.auth.users import UserStore

            UserStore().set_role(user.user_id, role)
            user.role, user.access = role, issue_access_token(user.user_id, role)
        if credits is not None:
            set_balance(user.user_id, credits)
        return user

    return make


@pytest.fixture
def alice(make_user):
    return make_user()


@pytest.fixture
def bob(make_user):
    return make_user()


def apigw_event(method: str, path: str, *, body=None, headers: dict | None = None, query: dict | None = None,
                authorizer: dict | None = None) -> dict:
    """A REST API (v1) Lambda proxy event, shaped like tests/events/apigw_rest_proxy_get_job.json."""
    event = copy.deepcopy(json.loads((EVENTS / "apigw_rest_proxy_get_job.json").read_text()))
    event["path"] = path
    event["httpMethod"] = method
    event["pathParameters"] = {"proxy": path.lstrip("/")}
    event["requestContext"]["httpMethod"] = method
    event["requestContext"]["path"] = f"/prod{path}"
    event["requestContext"]["requestId"] = str(uuid.uuid4())
    if authorizer is None:
        event["requestContext"].pop("authorizer", None)
    else:
        event["requestContext"]["authorizer"] = {"principalId": authorizer.get("user_id"), **authorizer}
    hdrs = dict(event["headers"])
    hdrs.update(headers or {})
    if body is not None:
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            hdrs.setdefault("Content-Type", "application/json")
        if isinstance(body, bytes):
            event["body"], event["isBase64Encoded"] = base64.b64encode(body).decode(), True
        else:
            event["body"] = body
    event["headers"] = hdrs
    event["multiValueHeaders"] = {k: [v] for k, v in hdrs.items()}
    event["queryStringParameters"] = dict(query) if query else None
    event["multiValueQueryStringParameters"] = {k: [v] for k, v in query.items()} if query else None
    return event


@dataclass
class LambdaResponse:
    status_code: int
    headers: dict
    text: str

    def json(self):
        return json.loads(self.text)


@pytest.fixture
def apigw(api_aws, lambda_context):
    """Call the API Lambda (functions/api/handler.py) with an API Gateway proxy event."""
    from functions.api.handler import handler

    def invoke(method: str, path: str, **kw) -> LambdaResponse:
        out = handler(apigw_event(method, path, **kw), lambda_context)
        text = base64.b64decode(out["body"]).decode() if out.get("isBase64Encoded") else out.get("body", "")
        headers = {k.lower(): v for k, v in (out.get("headers") or {}).items()}
        return LambdaResponse(out["statusCode"], headers, text)

    return invoke
