"""PynamoDB models for the API's accounts: users (and their credit balance), refresh tokens, the credit ledger.

The balance lives on the user record rather than in a table of its own: the publish
and fail functions already hold the users table (topology), and reserving credits is
then one conditional update of one item, which is what makes "never negative, even
under concurrent requests" hold.
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, LocalSecondaryIndex
from pynamodb.models import Model

from filmstudio.db.base import table
from filmstudio.settings import Settings


def _default_name(attr: str) -> str:
    # Placeholders are the default names, so a table created before `bind_tables` ran
    # (the local cloud binds, then imports these models) still gets the right name.
    return Settings.model_fields[attr].default


class UserEmailIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "by-email"
        projection = AllProjection()

    email = UnicodeAttribute(hash_key=True)


@table("users_table")
class UserRecord(Model):
    class Meta:
        table_name = _default_name("users_table")

    user_id = UnicodeAttribute(hash_key=True)
    email = UnicodeAttribute()  # normalised (lower-case, trimmed); unique through an email claim
    password_hash = UnicodeAttribute()  # argon2id, PHC string
    role = UnicodeAttribute(default="free")  # free | pro | admin
    name = UnicodeAttribute(default="")
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    # Credits: available to reserve, and held by jobs in flight (reserved, not yet settled or refunded).
    credits_available = NumberAttribute(default=0)
    credits_held = NumberAttribute(default=0)
    # Jobs holding a reservation; bounded per role in the same conditional update as the reservation.
    active_jobs = NumberAttribute(default=0)
    # Wrong passwords in the current window (login throttling, see filmstudio.auth.users).
    failed_logins = NumberAttribute(default=0)
    failed_since = UTCDateTimeAttribute(null=True)
    by_email = UserEmailIndex()


class TokenFamilyIndex(GlobalSecondaryIndex):
    class Meta:
        index_name = "by-family"
        projection = AllProjection()

    family_id = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


@table("refresh_tokens_table")
class RefreshTokenRecord(Model):
    """One issued refresh token, stored as a SHA-256 of its value (the value itself is never kept)."""

    class Meta:
        table_name = _default_name("refresh_tokens_table")

    token_hash = UnicodeAttribute(hash_key=True)
    user_id = UnicodeAttribute()
    # Every token rotated from the same login shares the family; reuse revokes all of it.
    family_id = UnicodeAttribute()
    status = UnicodeAttribute(default="active")  # active | rotated | revoked
    created_at = UTCDateTimeAttribute()
    expires_at = TTLAttribute()
    used_at = UTCDateTimeAttribute(null=True)
    by_family = TokenFamilyIndex()


class LedgerTimeIndex(LocalSecondaryIndex):
    class Meta:
        index_name = "by-time"
        projection = AllProjection()

    user_id = UnicodeAttribute(hash_key=True)
    created_at = UTCDateTimeAttribute(range_key=True)


@table("ledger_table")
class LedgerRecord(Model):
    """One credit movement. Job movements have deterministic ids (`reserve#{job}`), which is
    what makes reserve, settle and refund idempotent: the entry is put with a does-not-exist
    condition in the same transaction as the balance change."""

    class Meta:
        table_name = _default_name("ledger_table")

    user_id = UnicodeAttribute(hash_key=True)
    entry_id = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute()  # grant | reserve | release | settle | refund
    # Signed change of the available balance (reserve < 0, refund > 0, settle 0: held credits are spent).
    amount = NumberAttribute()
    held_change = NumberAttribute(default=0)  # signed change of the held balance
    job_id = UnicodeAttribute(null=True)
    note = UnicodeAttribute(default="")
    created_at = UTCDateTimeAttribute()
    by_time = LedgerTimeIndex()


_connections: dict[str, object] = {}


def transact_write():
    """A TransactWrite on a connection for the bound region (one connection per region and process)."""
    from pynamodb.connection import Connection
    from pynamodb.transactions import TransactWrite

    region = UserRecord.Meta.region
    conn = _connections.get(region)
    if conn is None:
        conn = _connections[region] = Connection(region=region)
    return TransactWrite(connection=conn)
