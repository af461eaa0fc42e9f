"""The JWT key ring rotates (auth/rotation.py, the rotate_keys function): a rotation adds a key that signs
once every container can have read it, tokens signed with older keys keep verifying, and a key is dropped
once its successor has signed for longer than any token lives."""

from __future__ import annotations

import json
import time

import jwt
import pytest

from filmstudio import aws
from filmstudio.auth.keys import CACHE_SECONDS, key_set, reset_key_cache
from filmstudio.auth.rotation import KEY_RETENTION_SECONDS, rotate_key_ring
from filmstudio.auth.tokens import REFRESH_TOKEN_SECONDS, AuthError, issue_access_token, verify_access_token
from filmstudio.settings import get_settings


def _kid(token: str) -> str:
    return jwt.get_unverified_header(token)["kid"]


def _ring() -> dict:
    return json.loads(aws.client("secretsmanager").get_secret_value(
        SecretId=get_settings().jwt_secret_name)["SecretString"])


def test_a_rotation_adds_a_key_that_signs_once_containers_can_know_it_and_old_tokens_still_verify(api_aws):
    first, cursor_key = key_set().active_kid, _ring()["cursor_key"]
    before = issue_access_token("u1", "free")
    assert _kid(before) == first

    # Rotated just now: the new key is in the ring (verifiers can read it) but does not sign yet.
    now = time.time()
    result = rotate_key_ring(now=now)
    assert result["rotated"] and result["signs_from"] == int(now + CACHE_SECONDS)
    assert [k["kid"] for k in _ring()["keys"]] == [first, result["added"]]
    assert key_set().public_key(result["added"]) is not None
    assert _kid(issue_access_token("u1", "free")) == first

    # One cache lifetime later it signs, and the token signed before the rotation still verifies.
    assert key_set().signing_kid(now + CACHE_SECONDS) == result["added"]
    later = rotate_key_ring(now=now - CACHE_SECONDS)  # a rotation whose key is due now
    reset_key_cache()
    after = issue_access_token("u2", "pro")
    assert _kid(after) == later["added"] != first
    assert verify_access_token(before).user_id == "u1"
    assert verify_access_token(after).user_id == "u2"
    assert _ring()["cursor_key"] == cursor_key


def test_a_key_is_dropped_once_its_successor_has_signed_longer_than_the_refresh_lifetime(api_aws):
    assert KEY_RETENTION_SECONDS >= REFRESH_TOKEN_SECONDS
    first = key_set().active_kid
    old_token = issue_access_token("u1", "free")
    now = time.time()
    # A rotation long ago: its key has signed for a little longer than the retention.
    second = rotate_key_ring(now=now - KEY_RETENTION_SECONDS - 2 * CACHE_SECONDS)["added"]
    third = rotate_key_ring(now=now)
    assert third["dropped"] == [first]
    assert [k["kid"] for k in _ring()["keys"]] == [second, third["added"]]
    reset_key_cache()
    with pytest.raises(AuthError, match="unknown key"):
        verify_access_token(old_token)
    # The key that signs until the new one is due, and the new one, are kept.
    assert _kid(issue_access_token("u1", "free")) == second
    assert verify_access_token(issue_access_token("u3", "free")).user_id == "u3"


def test_a_key_replaced_recently_is_kept(api_aws):
    first = key_set().active_kid
    now = time.time()
    rotate_key_ring(now=now - KEY_RETENTION_SECONDS + 3600)  # replaced an hour short of the retention
    assert rotate_key_ring(now=now)["dropped"] == []
    assert first in [k["kid"] for k in _ring()["keys"]]


def test_an_empty_ring_gets_its_first_key_and_keeps_its_cursor_key(api_aws):
    sm = aws.client("secretsmanager")
    name = get_settings().jwt_secret_name
    sm.put_secret_value(SecretId=name, SecretString=json.dumps({"active_kid": "", "keys": [], "cursor_key": "ab" * 32}))
    reset_key_cache()
    result = rotate_key_ring()
    ring = _ring()
    assert result["rotated"] and ring["active_kid"] == result["added"] and ring["cursor_key"] == "ab" * 32
    assert verify_access_token(issue_access_token("u1", "free")).user_id == "u1"


def test_two_rotations_racing_from_one_version_add_one_key(api_aws, monkeypatch):
    import threading

    from filmstudio.auth import rotation

    both_read = threading.Barrier(2, timeout=30)
    real_rotated = rotation.rotated

    def rotated_after_both_read(doc, now):
        both_read.wait()  # each has read the same secret version before either writes
        return real_rotated(doc, now)

    monkeypatch.setattr(rotation, "rotated", rotated_after_both_read)
    results: list[dict] = []
    threads = [threading.Thread(target=lambda: results.append(rotate_key_ring())) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(r["rotated"] for r in results) == [False, True]
    (winner,) = [r for r in results if r["rotated"]]
    assert [k["kid"] for k in _ring()["keys"]][-1] == winner["added"] and len(_ring()["keys"]) == 2
