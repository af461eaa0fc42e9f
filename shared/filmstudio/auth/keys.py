"""The RS256 key set, kept in Secrets Manager and created there on first use.

The secret holds JSON: {"active_kid", "keys": [{"kid", "private_pem", "public_pem",
"created_at", "activates_at"}], "cursor_key"}. Tokens name their key (`kid`), so a rotation
(`auth/rotation.py`, on a schedule) adds a key while tokens signed with older keys stay valid
until they expire. A key signs only from its `activates_at` on (the newest such key signs):
a rotation sets it one cache lifetime ahead, so every container has read the new public key
before any token names it. Keys without the timestamps (written before rotation existed) count
as active from the start. The cursor key signs pagination cursors (tamper-proof, see
`filmstudio.api.cursor`).

Read once per process and cached for a few minutes: a Lambda container reuses it across
invocations, and a rotation reaches every container within the cache's lifetime.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from filmstudio.settings import Settings, get_settings

CACHE_SECONDS = 300.0

_lock = threading.Lock()
_cache: dict[tuple[str, str], tuple[float, "KeySet"]] = {}


@dataclass
class KeySet:
    active_kid: str
    private_pems: dict[str, str]
    public_pems: dict[str, str]
    cursor_key: bytes
    # kid -> epoch seconds from which it signs, in the document's order (0: from the start)
    activates_at: dict[str, float] = field(default_factory=dict)
    # Parsed key objects, made on first use (parsing a PEM costs more than a verification).
    _private: dict[str, Any] = field(default_factory=dict, repr=False)
    _public: dict[str, Any] = field(default_factory=dict, repr=False)

    def signing_kid(self, now: float | None = None) -> str:
        """The newest key whose activation time has come; `active_kid` when none carries one."""
        now = time.time() if now is None else now
        due = [(at, order, kid) for order, (kid, at) in enumerate(self.activates_at.items())
               if kid in self.private_pems and at <= now]
        return max(due)[2] if due else self.active_kid

    def signing_key(self, now: float | None = None) -> tuple[str, Any]:
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        kid = self.signing_kid(now)
        if kid not in self._private:
            self._private[kid] = load_pem_private_key(self.private_pems[kid].encode(), password=None)
        return kid, self._private[kid]

    def public_key(self, kid: str) -> Any | None:
        from cryptography.hazmat.primitives.serialization import load_pem_public_key

        if kid not in self.public_pems:
            return None
        if kid not in self._public:
            self._public[kid] = load_pem_public_key(self.public_pems[kid].encode())
        return self._public[kid]

    @classmethod
    def from_json(cls, text: str) -> "KeySet":
        doc = json.loads(text)
        keys = doc["keys"]
        return cls(
            active_kid=doc["active_kid"],
            private_pems={k["kid"]: k["private_pem"] for k in keys if k.get("private_pem")},
            public_pems={k["kid"]: k["public_pem"] for k in keys},
            cursor_key=bytes.fromhex(doc["cursor_key"]),
            activates_at={k["kid"]: float(k.get("activates_at") or 0) for k in keys},
        )


# The version id of the first key pair written into a secret created without one (the CDK
# stack creates the secret with only the cursor key, so no private key passes through a
# template). A version id can be written once with one content: of several cold starts that
# race to fill the secret, exactly one succeeds and the others read its key.
FIRST_KEY_VERSION = "filmstudio-first-key-pair-0000000001"


def _new_key() -> dict[str, str]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return {"kid": uuid.uuid4().hex[:16], "private_pem": private_pem, "public_pem": public_pem,
            "created_at": int(time.time())}


def _with_first_key(doc: dict[str, Any]) -> dict[str, Any]:
    key = _new_key()
    return {**doc, "active_kid": key["kid"], "keys": [key],
            "cursor_key": doc.get("cursor_key") or secrets.token_bytes(32).hex()}


def generate_key_document() -> str:
    """A fresh key set with one RSA-2048 key (what a first local run stores)."""
    return json.dumps(_with_first_key({}))


def _usable(doc: dict[str, Any]) -> bool:
    return bool(doc.get("active_kid")) and any(k.get("kid") == doc["active_kid"] for k in doc.get("keys", []))


def _load(settings: Settings) -> KeySet:
    from filmstudio.aws import client

    sm = client("secretsmanager", settings)
    name = settings.jwt_secret_name
    try:
        doc = json.loads(sm.get_secret_value(SecretId=name)["SecretString"])
    except sm.exceptions.ResourceNotFoundException:
        doc = None
    if doc is None:
        try:
            sm.create_secret(Name=name, SecretString=generate_key_document(),
                             Description="Film Studio API: RS256 signing keys and the cursor key")
        except sm.exceptions.ResourceExistsException:
            pass  # a concurrent first run created it; use theirs so every process signs alike
    elif not _usable(doc):
        try:
            sm.put_secret_value(SecretId=name, SecretString=json.dumps(_with_first_key(doc)),
                                ClientRequestToken=FIRST_KEY_VERSION)
        except sm.exceptions.ResourceExistsException:
            pass  # another process filled it first: its key is the one
    else:
        return KeySet.from_json(json.dumps(doc))
    return KeySet.from_json(sm.get_secret_value(SecretId=name)["SecretString"])


def key_set(settings: Settings | None = None) -> KeySet:
    settings = settings or get_settings()
    cache_key = (settings.region, settings.jwt_secret_name)
    now = time.monotonic()
    with _lock:
        hit = _cache.get(cache_key)
        if hit and now - hit[0] < CACHE_SECONDS:
            return hit[1]
        keys = _load(settings)
        _cache[cache_key] = (now, keys)
        return keys


def reset_key_cache() -> None:
    """Forget cached keys (tests start each moto account empty; the local cloud restarts)."""
    with _lock:
        _cache.clear()


def _register_reset() -> None:
    from filmstudio import aws

    aws.on_reset(reset_key_cache)  # the keys belong to the AWS world a reset swaps out


_register_reset()
