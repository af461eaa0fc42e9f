"""The API Gateway Lambda authorizer (functions/authorizer), driven by sample events."""

from __future__ import annotations

import copy
import json

import pytest
from api_helpers import EVENTS


def _event(name: str, token: str) -> dict:
    event = copy.deepcopy(json.loads((EVENTS / name).read_text()))
    if "authorizationToken" in event:
        event["authorizationToken"] = f"Bearer {token}"
    else:
        event["headers"]["Authorization"] = f"Bearer {token}"
    return event


@pytest.mark.parametrize("sample", ["authorizer_token.json", "authorizer_request.json"])
def test_valid_token_gets_an_allow_policy_for_the_stage_and_the_context(api_aws, lambda_context, sample):
    from filmstudio.auth.tokens import issue_access_token
    from functions.authorizer.handler import handler

    out = handler(_event(sample, issue_access_token("user123", "pro")), lambda_context)
    assert out["principalId"] == "user123"
    assert out["context"] == {"user_id": "user123", "role": "pro", "tier": "studio"}
    statement = out["policyDocument"]["Statement"][0]
    assert statement["Effect"] == "Allow" and statement["Action"] == "execute-api:Invoke"
    # Cached per token and reused for every route: the policy covers the whole stage.
    assert statement["Resource"] == "arn:aws:execute-api:us-east-1:123456789012:abc123defg/prod/*/*"


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c"])
def test_invalid_tokens_are_unauthorized(api_aws, lambda_context, token):
    from functions.authorizer.handler import handler

    with pytest.raises(Exception) as err:
        handler(_event("authorizer_token.json", token), lambda_context)
    assert str(err.value) == "Unauthorized"


def test_expired_and_wrong_audience_tokens_are_unauthorized(api_aws, lambda_context, monkeypatch):
    import time

    from filmstudio.auth.tokens import issue_access_token
    from filmstudio.settings import reset_settings
    from functions.authorizer.handler import handler

    expired = issue_access_token("u1", "free", now=time.time() - 7200)
    monkeypatch.setenv("FILMSTUDIO_JWT_AUDIENCE", "another-api")
    reset_settings()
    other_audience = issue_access_token("u1", "free")
    monkeypatch.delenv("FILMSTUDIO_JWT_AUDIENCE")
    reset_settings()
    for token in (expired, other_audience):
        with pytest.raises(Exception, match="^Unauthorized$"):
            handler(_event("authorizer_token.json", token), lambda_context)


def test_missing_authorization_header_is_unauthorized(api_aws, lambda_context):
    from functions.authorizer.handler import handler

    event = _event("authorizer_request.json", "x")
    del event["headers"]["Authorization"]
    with pytest.raises(Exception, match="^Unauthorized$"):
        handler(event, lambda_context)


def test_verified_tokens_are_cached_until_they_expire(api_aws, monkeypatch):
    from filmstudio.auth import authorizer
    from filmstudio.auth.tokens import issue_access_token

    token = issue_access_token("u1", "free")
    calls = []
    real = authorizer.verify_access_token
    monkeypatch.setattr(authorizer, "verify_access_token", lambda t: calls.append(t) or real(t))
    first = authorizer.verify_cached(token)
    second = authorizer.verify_cached(token)
    assert first == second and len(calls) == 1
    # Past its expiry the cached answer is not used: the token is verified again.
    authorizer.verify_cached(token, now=__import__("time").time() + 3600)
    assert len(calls) == 2


def test_the_api_trusts_the_authorizer_context_behind_api_gateway(apigw, alice):
    r = apigw("GET", "/v1/me", authorizer={"user_id": alice.user_id, "role": "free", "tier": "preview"})
    assert r.status_code == 200 and r.json()["user_id"] == alice.user_id
