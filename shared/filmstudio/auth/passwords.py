"""Argon2id password hashes (OWASP's minimum: 19 MiB, 2 iterations, 1 lane)."""

from __future__ import annotations

from functools import lru_cache

MIN_PASSWORD = 10
MAX_PASSWORD = 256  # hashing cost grows with length; refuse absurd inputs early


@lru_cache(maxsize=1)
def _hasher():
    from argon2 import PasswordHasher, Type

    return PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, type=Type.ID)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    try:
        return _hasher().verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _hasher().check_needs_rehash(stored)


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """Verified against when the email is unknown, so login takes as long either way."""
    return hash_password("not-a-real-password-just-for-timing")
