"""The API client's manners, against a scripted transport: tokens go to the API only, never to
S3's presigned URLs; an expired access token is renewed once with the refresh token."""

from __future__ import annotations

import json

import httpx
import pytest


def _client(handler):
    from filmstudio.api.client import ApiClient

    http = httpx.Client(base_url="https://api.example.com", transport=httpx.MockTransport(handler))
    client = ApiClient("https://api.example.com", email="a@example.com", password="a long enough password", http=http)
    client.access, client.refresh_token = "access-1", "refresh-1"
    return client


def test_downloads_send_the_token_to_the_api_only(tmp_path):
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen[request.url.host] = request.headers.get("authorization")
        return httpx.Response(200, content=b"bytes")

    client = _client(handler)
    client.download("https://api.example.com/v1/jobs/j1/outputs/film", tmp_path / "a.mp4")
    client.download("https://filmstudio-media.s3.amazonaws.com/users/u/film.mp4?X-Amz-Signature=abc",
                    tmp_path / "b.mp4")
    assert seen["api.example.com"] == "Bearer access-1"
    assert seen["filmstudio-media.s3.amazonaws.com"] is None
    assert (tmp_path / "b.mp4").read_bytes() == b"bytes"


def test_an_expired_access_token_is_renewed_once(tmp_path):
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append((request.url.path, request.headers.get("authorization")))
        if request.url.path == "/v1/auth/refresh":
            assert json.loads(request.content) == {"refresh_token": "refresh-1"}
            return httpx.Response(200, json={"access_token": "access-2", "refresh_token": "refresh-2",
                                             "token_type": "Bearer", "expires_in": 900})
        if request.headers.get("authorization") == "Bearer access-2":
            return httpx.Response(200, json={"user_id": "u1"})
        return httpx.Response(401, json={"error": {"code": "TOKEN_EXPIRED", "message": "expired", "details": None}})

    client = _client(handler)
    assert client.me() == {"user_id": "u1"}
    assert [path for path, _ in calls] == ["/v1/me", "/v1/auth/refresh", "/v1/me"]
    assert client.refresh_token == "refresh-2"


def test_error_envelopes_become_api_errors():
    from filmstudio.api.client import ApiError

    def handler(request):
        return httpx.Response(402, json={"error": {"code": "INSUFFICIENT_CREDITS", "message": "needs 6",
                                                   "details": {"required": 6, "available": 0}}})

    with pytest.raises(ApiError) as err:
        _client(handler).start_job("p1", script="text")
    assert err.value.code == "INSUFFICIENT_CREDITS" and err.value.http_status == 402
    assert err.value.details == {"required": 6, "available": 0}


def test_job_requests_carry_an_idempotency_key():
    keys = []

    def handler(request):
        keys.append(request.headers.get("idempotency-key"))
        return httpx.Response(202, json={"job_id": "j1", "status": "QUEUED"})

    client = _client(handler)
    client.start_job("p1", script="text")
    client.start_job("p1", script="text", idempotency_key="mine")
    assert keys[0] and len(keys[0]) >= 16 and keys[1] == "mine"
