"""Access tokens: only our current RS256 tokens for this API are accepted (401 for the rest)."""

from __future__ import annotations

import base64
import json
import time

import pytest


def _b64(obj) -> str:
    raw = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _claims(token: str) -> dict:
    import jwt

    return jwt.decode(token, options={"verify_signature": False})


def _sign(claims: dict, **kw) -> str:
    import jwt

    from filmstudio.auth.keys import key_set

    kid, key = key_set().signing_key()
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kw.get("kid", kid)})


def _me(client, token: str):
    return client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})


def test_a_valid_token_carries_user_role_and_tier(client, alice):
    from filmstudio.auth.tokens import verify_access_token

    principal = verify_access_token(alice.access)
    assert (principal.user_id, principal.role, principal.tier) == (alice.user_id, "free", "preview")
    claims = _claims(alice.access)
    assert claims["exp"] - claims["iat"] == 15 * 60
    assert claims["iss"] == "filmstudio" and claims["aud"] == "filmstudio-api"


def test_tampered_payload_is_401(client, alice):
    header, payload, sig = alice.access.split(".")
    claims = _claims(alice.access)
    claims["role"] = "admin"
    r = _me(client, f"{header}.{_b64(claims)}.{sig}")
    assert r.status_code == 401 and r.json()["error"]["code"] == "INVALID_TOKEN"


def test_tampered_signature_is_401(client, alice):
    header, payload, sig = alice.access.split(".")
    flipped = sig[:-4] + ("AAAA" if not sig.endswith("AAAA") else "BBBB")
    assert _me(client, f"{header}.{payload}.{flipped}").status_code == 401


def test_expired_token_is_401(client, alice):
    from filmstudio.auth.tokens import issue_access_token

    old = issue_access_token(alice.user_id, "free", now=time.time() - 3600)
    r = _me(client, old)
    assert r.status_code == 401 and r.json()["error"]["code"] == "TOKEN_EXPIRED"
    assert r.headers["www-authenticate"].startswith("Bearer")


def test_wrong_audience_is_401(client, alice):
    claims = _claims(alice.access) | {"aud": "some-other-api"}
    assert _me(client, _sign(claims)).status_code == 401


def test_wrong_issuer_is_401(client, alice):
    claims = _claims(alice.access) | {"iss": "https://evil.example"}
    assert _me(client, _sign(claims)).status_code == 401


def test_alg_none_is_401(client, alice):
    claims = _claims(alice.access) | {"role": "admin"}
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."
    r = _me(client, unsigned)
    assert r.status_code == 401 and r.json()["error"]["code"] == "INVALID_TOKEN"


def test_hs256_signed_with_the_public_key_is_401(client, alice):
    """The classic algorithm confusion: an HMAC token keyed with our (public) RSA key."""
    import hashlib
    import hmac

    from filmstudio.auth.keys import key_set

    keys = key_set()
    public_pem = keys.public_pems[keys.active_kid].encode()
    header = _b64({"alg": "HS256", "typ": "JWT", "kid": keys.active_kid})
    payload = _b64(_claims(alice.access) | {"role": "admin"})
    sig = _b64(hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256).digest())
    assert _me(client, f"{header}.{payload}.{sig}").status_code == 401


def test_token_signed_by_another_key_is_401(client, alice):
    import jwt
    from cryptography.hazmat.primitives.asymmetric import rsa

    from filmstudio.auth.keys import key_set

    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(_claims(alice.access), stranger, algorithm="RS256", headers={"kid": key_set().active_kid})
    assert _me(client, forged).status_code == 401


def test_unknown_kid_and_missing_claims_are_401(client, alice):
    assert _me(client, _sign(_claims(alice.access), kid="not-a-key")).status_code == 401
    claims = _claims(alice.access)
    del claims["sub"]
    assert _me(client, _sign(claims)).status_code == 401


def test_refresh_token_is_not_an_access_token(client, alice):
    assert _me(client, alice.refresh).status_code == 401


def test_missing_or_non_bearer_authorization_is_401(client):
    assert client.get("/v1/me").status_code == 401
    assert client.get("/v1/me", headers={"Authorization": "Basic dXNlcjpwYXNz"}).status_code == 401


def test_keys_are_created_in_secrets_manager_on_first_use(api_aws):
    from filmstudio.auth.keys import key_set, reset_key_cache
    from filmstudio.auth.tokens import issue_access_token, verify_access_token
    from filmstudio.aws import client
    from filmstudio.settings import get_settings

    sm = client("secretsmanager")
    name = get_settings().jwt_secret_name
    sm.delete_secret(SecretId=name, ForceDeleteWithoutRecovery=True)
    reset_key_cache()
    token = issue_access_token("u1", "pro")
    stored = json.loads(sm.get_secret_value(SecretId=name)["SecretString"])
    assert stored["active_kid"] == key_set().active_kid
    reset_key_cache()  # another process reads the same secret and accepts the token
    assert verify_access_token(token).role == "pro"


@pytest.mark.parametrize("role,tier", [("free", "preview"), ("pro", "studio"), ("admin", "studio")])
def test_role_decides_the_tier(api_aws, role, tier):
    from filmstudio.auth.tokens import issue_access_token, verify_access_token

    assert verify_access_token(issue_access_token("u1", role)).tier == tier


def test_a_secret_created_without_a_key_pair_gets_exactly_one(api_aws):
    """The CDK stack creates the secret with only a cursor key; the first cold starts fill in
    the key pair, and however many race, they all end up signing with the same key."""
    from concurrent.futures import ThreadPoolExecutor

    from filmstudio.auth import keys
    from filmstudio.aws import client
    from filmstudio.settings import get_settings

    sm = client("secretsmanager")
    name = get_settings().jwt_secret_name
    cursor_key = "ab" * 32
    sm.put_secret_value(SecretId=name, SecretString=json.dumps({"active_kid": "", "keys": [],
                                                                "cursor_key": cursor_key}))

    def cold_start(_):
        return keys._load(get_settings())

    with ThreadPoolExecutor(4) as pool:
        loaded = list(pool.map(cold_start, range(4)))
    assert len({k.active_kid for k in loaded}) == 1
    stored = json.loads(sm.get_secret_value(SecretId=name)["SecretString"])
    assert stored["active_kid"] == loaded[0].active_kid and len(stored["keys"]) == 1
    assert stored["cursor_key"] == cursor_key  # the stack's cursor key is kept
