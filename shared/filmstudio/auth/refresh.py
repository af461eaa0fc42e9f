"""Refresh tokens: 7 days, stored hashed, rotated on every use.

Each login starts a family; a refresh marks the presented token `rotated` and issues the
next token of the same family. Presenting a token that was already rotated means it leaked
or was replayed: the whole family is revoked, so the thief's and the user's tokens both stop
working and the user logs in again.

The family itself is an item (`family#<id>` in the same table) and is the authority on
whether the login lives. Rotation is one transaction: the presented token must be `active`,
the family must be `active`, and the next token is put, all or nothing. Revoking is one
write to the family item. So of N concurrent refreshes with one token exactly one commits,
the others find the token rotated and revoke the family, and the winner's new token, which
exists from the moment its rotation committed, dies with it: no listing of the family (a
GSI query, eventually consistent on AWS) decides anything.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from pynamodb.exceptions import DoesNotExist, TransactWriteError

from filmstudio.auth.tokens import REFRESH_TOKEN_SECONDS, AuthError, hash_refresh_token, new_refresh_token
from filmstudio.db.accounts import RefreshTokenRecord, transact_write
from filmstudio.db.base import bind_tables
from filmstudio.settings import Settings


def _now() -> datetime:
    return datetime.now(timezone.utc)


def family_key(family_id: str) -> str:
    # Token items are keyed by a hex SHA-256, which never contains '#': no token can collide.
    return f"family#{family_id}"


REUSED = "refresh token reused; every session of this login is revoked"


class RefreshTokenStore:
    def __init__(self, settings: Settings | None = None):
        bind_tables(settings)

    def _token(self, user_id: str, family_id: str, now: datetime) -> tuple[str, RefreshTokenRecord]:
        value = new_refresh_token()
        return value, RefreshTokenRecord(token_hash=hash_refresh_token(value), user_id=user_id, family_id=family_id,
                                         status="active", created_at=now,
                                         expires_at=now + timedelta(seconds=REFRESH_TOKEN_SECONDS))

    def issue(self, user_id: str) -> str:
        """The first token of a new login (a new family); its later tokens come from rotate()."""
        now = _now()
        family_id = uuid.uuid4().hex
        value, token = self._token(user_id, family_id, now)
        family = RefreshTokenRecord(token_hash=family_key(family_id), user_id=user_id, family_id=family_id,
                                    status="active", created_at=now, expires_at=token.expires_at)
        with transact_write() as tx:
            tx.save(family, condition=RefreshTokenRecord.token_hash.does_not_exist())
            tx.save(token, condition=RefreshTokenRecord.token_hash.does_not_exist())
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
        if rec.status == "rotated":
            self.revoke_family(rec.family_id)
            raise AuthError(REUSED, code="REFRESH_TOKEN_REUSED")
        if rec.status != "active":
            raise AuthError("refresh token revoked", code="INVALID_REFRESH_TOKEN")
        now = _now()
        if rec.expires_at <= now:
            raise AuthError("refresh token expired", code="REFRESH_TOKEN_EXPIRED")
        next_value, next_token = self._token(rec.user_id, rec.family_id, now)
        try:
            with transact_write() as tx:
                tx.update(RefreshTokenRecord(token_hash=rec.token_hash),
                          actions=[RefreshTokenRecord.status.set("rotated"), RefreshTokenRecord.used_at.set(now)],
                          condition=RefreshTokenRecord.status == "active")
                tx.update(RefreshTokenRecord(token_hash=family_key(rec.family_id)),
                          actions=[RefreshTokenRecord.expires_at.set(next_token.expires_at)],
                          condition=RefreshTokenRecord.status == "active")
                tx.save(next_token, condition=RefreshTokenRecord.token_hash.does_not_exist())
        except TransactWriteError:
            # Read again to learn which condition failed (PynamoDB groups a transaction's items by kind).
            now_token = RefreshTokenRecord.get(rec.token_hash, consistent_read=True)
            if now_token.status == "rotated":
                # Another request rotated it between our read and our write: the same token used twice.
                self.revoke_family(rec.family_id)
                raise AuthError(REUSED, code="REFRESH_TOKEN_REUSED") from None
            if now_token.status != "active" or not self._family_active(rec.family_id):
                raise AuthError("refresh token revoked", code="INVALID_REFRESH_TOKEN") from None
            raise
        return rec.user_id, next_value

    def _family_active(self, family_id: str) -> bool:
        try:
            return RefreshTokenRecord.get(family_key(family_id), consistent_read=True).status == "active"
        except DoesNotExist:
            return False

    def revoke(self, value: str) -> None:
        """Logout: end the login this token belongs to (unknown tokens are ignored)."""
        try:
            rec = self._find(value)
        except AuthError:
            return
        self.revoke_family(rec.family_id)

    def revoke_family(self, family_id: str) -> int:
        """Revoke the login: one write to the family item decides it; the tokens are then marked
        too (best effort: the listing may miss the newest, which the family item has killed already)."""
        RefreshTokenRecord(token_hash=family_key(family_id)).update(
            actions=[RefreshTokenRecord.status.set("revoked")])
        n = 0
        for rec in RefreshTokenRecord.by_family.query(family_id):
            if rec.status != "revoked":
                rec.update(actions=[RefreshTokenRecord.status.set("revoked")])
                n += 1
        return n

    def family_statuses(self, family_id: str) -> list[str]:
        """The statuses of the family's tokens (its own item left out)."""
        return [rec.status for rec in RefreshTokenRecord.by_family.query(family_id)
                if rec.token_hash != family_key(family_id)]
