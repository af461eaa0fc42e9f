"""Register, login, refresh (rotation and reuse detection), logout; argon2id at rest."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from api_helpers import balance


def test_register_returns_tokens_and_a_free_account_with_signup_credits(client):
    r = client.post("/v1/auth/register", json={"email": " Ada@Example.com ", "password": "correct horse battery"})
    assert r.status_code == 201
    body = r.json()
    assert body["user"]["email"] == "ada@example.com"
    assert body["user"]["role"] == "free" and body["user"]["tier"] == "preview"
    assert body["tokens"]["token_type"] == "Bearer" and body["tokens"]["expires_in"] == 900
    me = client.get("/v1/me", headers={"Authorization": f"Bearer {body['tokens']['access_token']}"})
    assert me.status_code == 200 and me.json()["user_id"] == body["user"]["user_id"]
    from filmstudio.auth.users import SIGNUP_CREDITS

    assert balance(body["user"]["user_id"]).available == SIGNUP_CREDITS


def test_password_is_stored_as_argon2id_never_in_clear(client, alice):
    from filmstudio.db.accounts import UserRecord

    stored = UserRecord.get(alice.user_id).password_hash
    assert stored.startswith("$argon2id$") and alice.password not in stored


def test_same_email_twice_conflicts_whatever_its_case(client, alice):
    r = client.post("/v1/auth/register", json={"email": alice.email.upper(), "password": "another long password"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "EMAIL_TAKEN"


def test_concurrent_registrations_of_one_email_make_one_user(client):
    def register(_):
        return client.post("/v1/auth/register", json={"email": "race@example.com",
                                                      "password": "a long enough password"}).status_code

    with ThreadPoolExecutor(6) as pool:
        codes = list(pool.map(register, range(6)))
    assert sorted(codes) == [201] + [409] * 5, codes


def test_weak_password_and_bad_email_are_422_with_field_details(client):
    r = client.post("/v1/auth/register", json={"email": "not-an-email", "password": "pw-x9q"})
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "VALIDATION_ERROR"
    assert {d["field"] for d in err["details"]} == {"body.email", "body.password"}
    assert "pw-x9q" not in r.text  # inputs (passwords) are never echoed


def test_login_wrong_password_and_unknown_email_answer_alike(client, alice):
    wrong = client.post("/v1/auth/login", json={"email": alice.email, "password": "not the password"})
    unknown = client.post("/v1/auth/login", json={"email": "nobody@example.com", "password": "whatever12345"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"]["code"] == "INVALID_CREDENTIALS"


def test_login_then_refresh_rotates_the_refresh_token(client, alice):
    tokens = client.post("/v1/auth/login", json={"email": alice.email, "password": alice.password}).json()
    r = client.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert r.status_code == 200
    rotated = r.json()
    assert rotated["refresh_token"] != tokens["refresh_token"]
    assert client.get("/v1/me", headers={"Authorization": f"Bearer {rotated['access_token']}"}).status_code == 200
    again = client.post("/v1/auth/refresh", json={"refresh_token": rotated["refresh_token"]})
    assert again.status_code == 200


def test_reusing_a_rotated_refresh_token_revokes_the_whole_family(client, alice):
    from filmstudio.auth.tokens import hash_refresh_token
    from filmstudio.db.accounts import RefreshTokenRecord

    first = alice.refresh
    second = client.post("/v1/auth/refresh", json={"refresh_token": first}).json()["refresh_token"]
    # An attacker replays the stolen first token:
    replay = client.post("/v1/auth/refresh", json={"refresh_token": first})
    assert replay.status_code == 401 and replay.json()["error"]["code"] == "REFRESH_TOKEN_REUSED"
    # ... and the legitimate holder's current token is dead too.
    legit = client.post("/v1/auth/refresh", json={"refresh_token": second})
    assert legit.status_code == 401
    family = RefreshTokenRecord.get(hash_refresh_token(second)).family_id
    assert {r.status for r in RefreshTokenRecord.by_family.query(family)} == {"revoked"}


def test_other_logins_survive_a_revoked_family(client, alice):
    other = client.post("/v1/auth/login", json={"email": alice.email, "password": alice.password}).json()
    client.post("/v1/auth/refresh", json={"refresh_token": alice.refresh})
    client.post("/v1/auth/refresh", json={"refresh_token": alice.refresh})  # reuse: family revoked
    assert client.post("/v1/auth/refresh", json={"refresh_token": other["refresh_token"]}).status_code == 200


def test_refresh_tokens_are_stored_hashed(client, alice):
    from filmstudio.db.accounts import RefreshTokenRecord

    stored = [r.token_hash for r in RefreshTokenRecord.scan()]
    assert stored and alice.refresh not in stored


def test_expired_refresh_token_is_refused(client, alice):
    from datetime import datetime, timedelta, timezone

    from filmstudio.auth.tokens import hash_refresh_token
    from filmstudio.db.accounts import RefreshTokenRecord

    rec = RefreshTokenRecord.get(hash_refresh_token(alice.refresh))
    rec.update(actions=[RefreshTokenRecord.expires_at.set(datetime.now(timezone.utc) - timedelta(seconds=1))])
    r = client.post("/v1/auth/refresh", json={"refresh_token": alice.refresh})
    assert r.status_code == 401 and r.json()["error"]["code"] == "REFRESH_TOKEN_EXPIRED"


def test_unknown_refresh_token_is_refused(client):
    r = client.post("/v1/auth/refresh", json={"refresh_token": "made-up"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "INVALID_REFRESH_TOKEN"


def test_logout_ends_the_login(client, alice):
    assert client.post("/v1/auth/logout", json={"refresh_token": alice.refresh}).status_code == 204
    assert client.post("/v1/auth/refresh", json={"refresh_token": alice.refresh}).status_code == 401


def test_refresh_picks_up_a_changed_role(client, alice):
    from filmstudio.auth.tokens import verify_access_token
    from filmstudio.auth.users import UserStore

    UserStore().set_role(alice.user_id, "pro")
    access = client.post("/v1/auth/refresh", json={"refresh_token": alice.refresh}).json()["access_token"]
    principal = verify_access_token(access)
    assert (principal.role, principal.tier) == ("pro", "studio")


def test_role_tier_and_credits_in_a_register_body_are_ignored(client):
    r = client.post("/v1/auth/register", json={"email": "mallory@example.com", "password": "a long enough password",
                                               "role": "admin", "tier": "studio", "credits": 10**6,
                                               "credits_available": 10**6, "user_id": "chosen"})
    assert r.status_code == 201
    user = r.json()["user"]
    assert user["role"] == "free" and user["tier"] == "preview" and user["user_id"] != "chosen"
    from filmstudio.auth.users import SIGNUP_CREDITS

    assert balance(user["user_id"]).available == SIGNUP_CREDITS


def test_repeated_wrong_passwords_throttle_the_account_then_it_recovers(client, alice):
    from datetime import datetime, timedelta, timezone

    from filmstudio.auth.users import MAX_FAILED_LOGINS
    from filmstudio.db.accounts import UserRecord

    for _ in range(MAX_FAILED_LOGINS):
        r = client.post("/v1/auth/login", json={"email": alice.email, "password": "guess guess guess"})
        assert r.status_code == 401
    blocked = client.post("/v1/auth/login", json={"email": alice.email, "password": alice.password})
    assert blocked.status_code == 429 and blocked.json()["error"]["code"] == "LOGIN_THROTTLED"
    assert blocked.json()["error"]["details"]["retry_after"] > 0
    # The window passes: the right password works again and clears the count.
    UserRecord(user_id=alice.user_id).update(actions=[
        UserRecord.failed_since.set(datetime.now(timezone.utc) - timedelta(minutes=16))])
    assert client.post("/v1/auth/login", json={"email": alice.email, "password": alice.password}).status_code == 200
    assert UserRecord.get(alice.user_id).failed_logins == 0


def test_a_correct_login_resets_the_failure_count(client, alice):
    from filmstudio.auth.users import MAX_FAILED_LOGINS

    for _ in range(3):
        for _ in range(MAX_FAILED_LOGINS - 1):
            client.post("/v1/auth/login", json={"email": alice.email, "password": "guess guess guess"})
        assert client.post("/v1/auth/login", json={"email": alice.email,
                                                   "password": alice.password}).status_code == 200


def test_responses_are_not_cacheable(client, alice):
    r = client.post("/v1/auth/login", json={"email": alice.email, "password": alice.password})
    assert r.headers["cache-control"] == "no-store" and r.headers["x-content-type-options"] == "nosniff"
