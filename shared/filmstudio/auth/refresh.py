"""Refresh tokens: 7 days, stored hashed, rotated on every use.

Each login starts a family; a refresh marks the presented token `rotated` (a
conditional update, so of two concurrent refreshes only one succeeds) and issues the
next token of the same family. Presenting a token that was already rotated means it
leaked or was replayed: the whole family is revoked, so the thief's and the user's
tokens both stop working and the user logs in again.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from pynamodb.exceptions import DoesNotExist, UpdateError

from filmstudio.auth.tokens import REFRESH_TOKEN_SECONDS, AuthError, hash_refresh_token, new_refresh_token
from filmstudio.db.accounts import RefreshTokenRecord
from filmstudio.db.base import bind_tables
from filmstudio.settings import Settings


def _now() -> datetime:
    return datetime.now(timezone.utc)


class RefreshTokenStore:
    def __init__(self, settings: Settings | None = None):
        bind_tables(settings)

    def issue(self, user_id: str, family_id: str | None = None) -> str:
        value = new_refresh_token()
        now = _now()
        RefreshTokenRecord(token_hash=hash_refresh_token(value), user_id=user_id,
                           family_id=family_id or uuid.uuid4().hex, status="active", created_at=now,
                           expires_at=now + timedelta(seconds=REFRESH_TOKEN_SECONDS)).save(
            condition=RefreshTokenRecord.token_hash.does_not_exist())
        return value

    def _find(self, value: str) -> RefreshTokenRecord:
        if not value or len(value) > 512:
            raise AuthError("invalid refresh token", code="INVALID_REFRESH_TOKEN")
        try:
            return RefreshTokenRecord.get(hash_refresh_token(value), consistent_read=True)
        except DoesNotExist:
            raise AuthError("invalid refresh token", code="INVALID_REFRESH_TOKEN") from None

    def rotate(self, value: str) -> tuple[str, str]:
        """(user id, the family's next token) for a current token; AuthError otherwise."""
        rec = self._find(value)
        if rec.status != "active":
            if rec.status == "rotated":
                self.revoke_family(rec.family_id)
                raise AuthError("refresh token reused; every session of this login is revoked",
                                code="REFRESH_TOKEN_REUSED")
            raise AuthError("refresh token revoked", code="INVALID_REFRESH_TOKEN")
        if rec.expires_at <= _now():
            raise AuthError("refresh token expired", code="REFRESH_TOKEN_EXPIRED")
        try:
            rec.update(actions=[RefreshTokenRecord.status.set("rotated"), RefreshTokenRecord.used_at.set(_now())],
                       condition=RefreshTokenRecord.status == "active")
        except UpdateError as exc:
            if getattr(exc, "cause_response_code", None) != "ConditionalCheckFailedException":
                raise
            # Another request rotated it between our read and write: the same token used twice.
            self.revoke_family(rec.family_id)
            raise AuthError("refresh token reused; every session of this login is revoked",
                            code="REFRESH_TOKEN_REUSED") from None
        return rec.user_id, self.issue(rec.user_id, rec.family_id)

    def revoke(self, value: str) -> None:
        """Logout: end the login this token belongs to (unknown tokens are ignored)."""
        try:
            rec = self._find(value)
        except AuthError:
            return
        self.revoke_family(rec.family_id)

    def revoke_family(self, family_id: str) -> int:
        n = 0
        for rec in RefreshTokenRecord.by_family.query(family_id):
            if rec.status != "revoked":
                rec.update(actions=[RefreshTokenRecord.status.set("revoked")])
                n += 1
        return n

    def family_statuses(self, family_id: str) -> list[str]:
        return [rec.status for rec in RefreshTokenRecord.by_family.query(family_id)]
