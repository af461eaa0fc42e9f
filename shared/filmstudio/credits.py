"""Credits: a balance per user, reservations that can never overdraw it, and a ledger of every movement.

The balance is two numbers on the user record: `credits_available` and `credits_held`
(reserved by jobs in flight). Every movement is one DynamoDB transaction that writes
a ledger entry and changes the balance together:

- reserve (intake):  available -= n, held += n, under the condition `available >= n`.
  DynamoDB evaluates the condition atomically with the write, so however many requests
  race, the balance never goes below zero. The same update bounds the jobs in flight.
- settle (publish):  held -= n; what the film cost is spent, the rest of n goes back to available.
- refund (fail, cancel) and release (an intake that failed after reserving): available += n, held -= n.

A job's entries have fixed ids (`job#{id}#reserve`, `job#{id}#close`) and are put with a
does-not-exist condition, so a retried Lambda never moves credits twice; and settle,
refund and release share the one `close` entry, so a job is closed exactly one way.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterator

from pynamodb.exceptions import DoesNotExist, TransactWriteError


from filmstudio.db.accounts import LedgerRecord, UserRecord, transact_write
from filmstudio.db.base import bind_tables
from filmstudio.errors import BadInputError, FilmStudioError, NotFoundError
from filmstudio.settings import Settings


log = logging.getLogger(__name__)


class InsufficientCreditsError(FilmStudioError):
    code = "INSUFFICIENT_CREDITS"
    http_status = 402


class QuotaExceededError(FilmStudioError):
    code = "QUOTA_EXCEEDED"
    http_status = 429


@dataclass(frozen=True)
class Quota:
    active_jobs: int | None  # jobs holding a reservation at once
    jobs_per_day: int | None


QUOTAS: dict[str, Quota] = {
    "free": Quota(active_jobs=5, jobs_per_day=50),
    "pro": Quota(active_jobs=25, jobs_per_day=1000),
    "admin": Quota(active_jobs=None, jobs_per_day=None),
}


@dataclass(frozen=True)
class Balance:
    available: int
    held: int
    active_jobs: int


@dataclass(frozen=True)
class Entry:
    entry_id: str
    kind: str
    amount: int
    held_change: int
    job_id: str | None
    note: str
    created_at: datetime


def reserve_id(job_id: str) -> str:
    return f"job#{job_id}#reserve"


def close_id(job_id: str) -> str:
    return f"job#{job_id}#close"


def day_count_id(day: str) -> str:
    """The ledger item counting the jobs a user started on `day` (UTC, YYYY-MM-DD). It has no
    `created_at`, so it is not in the by-time index that the ledger's listings read."""
    return f"quota#day#{day}"


def _today() -> str:
    return _now().strftime("%Y-%m-%d")


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _reasons(exc: TransactWriteError) -> list[str | None]:
    return [getattr(r, "code", None) if r else None for r in (exc.cancellation_reasons or [])]


def _entry(rec: LedgerRecord) -> Entry:
    return Entry(entry_id=rec.entry_id, kind=rec.kind, amount=int(rec.amount), held_change=int(rec.held_change or 0),
                 job_id=rec.job_id, note=rec.note or "", created_at=rec.created_at)


class CreditStore:
    def __init__(self, settings: Settings | None = None):
        bind_tables(settings)

    # -- reading ------------------------------------------------------------------------
    def balance(self, user_id: str) -> Balance:
        try:
            user = UserRecord.get(user_id, consistent_read=True,
                                  attributes_to_get=["credits_available", "credits_held", "active_jobs"])
        except DoesNotExist:
            raise NotFoundError("user not found", code="USER_NOT_FOUND") from None
        return Balance(int(user.credits_available or 0), int(user.credits_held or 0), int(user.active_jobs or 0))

    def entry(self, user_id: str, entry_id: str) -> Entry | None:
        try:
            return _entry(LedgerRecord.get(user_id, entry_id, consistent_read=True))
        except DoesNotExist:
            return None

    def ledger(self, user_id: str, *, limit: int = 50, after: dict | None = None) -> tuple[list[Entry], dict | None]:
        """Newest first; returns the page and the key to continue after (None at the end)."""
        result = LedgerRecord.by_time.query(user_id, scan_index_forward=False, limit=limit,
                                            last_evaluated_key=after)
        entries = [_entry(rec) for rec in result]
        return entries, result.last_evaluated_key

    def jobs_reserved_since(self, user_id: str, since: datetime) -> int:
        return sum(1 for _ in LedgerRecord.by_time.query(
            user_id, LedgerRecord.created_at > since, filter_condition=LedgerRecord.kind == "reserve"))

    # -- movements ----------------------------------------------------------------------
    def grant(self, user_id: str, amount: int, note: str = "", entry_id: str | None = None) -> Balance:
        if amount <= 0:
            raise BadInputError("a grant must be positive", code="INVALID_AMOUNT")
        entry = LedgerRecord(user_id=user_id, entry_id=entry_id or f"grant#{uuid.uuid4().hex}", kind="grant",
                             amount=amount, held_change=0, note=note, created_at=_now())
        try:
            with transact_write() as tx:
                tx.save(entry, condition=LedgerRecord.entry_id.does_not_exist())
                tx.update(UserRecord(user_id=user_id), actions=[UserRecord.credits_available.add(amount)],
                          condition=UserRecord.user_id.exists())
        except TransactWriteError as exc:
            reasons = _reasons(exc)
            if len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed":
                raise NotFoundError("user not found", code="USER_NOT_FOUND") from None
            if not (reasons and reasons[0] == "ConditionalCheckFailed"):
                raise  # a repeated entry id is a grant already made: nothing to do
        return self.balance(user_id)

    def reserve(self, job_id: str, user_id: str, credits: int, *, quota: Quota | None = None) -> None:
        """Hold `credits` for the job, or raise 402 (not enough) / 429 (too many jobs in flight)."""
        if credits < 0:
            raise BadInputError("cannot reserve a negative amount", code="INVALID_AMOUNT")
        condition = UserRecord.credits_available >= credits
        if quota and quota.active_jobs is not None:
            condition &= UserRecord.active_jobs < quota.active_jobs
        per_day = quota.jobs_per_day if quota else None
        entry = LedgerRecord(user_id=user_id, entry_id=reserve_id(job_id), kind="reserve", amount=-credits,
                             held_change=credits, job_id=job_id, note="job intake", created_at=_now())
        try:
            with transact_write() as tx:
                tx.save(entry, condition=LedgerRecord.entry_id.does_not_exist())
                tx.update(UserRecord(user_id=user_id), condition=condition, actions=[
                    UserRecord.credits_available.add(-credits),
                    UserRecord.credits_held.add(credits),
                    UserRecord.active_jobs.add(1),
                ])
                if per_day is not None:
                    # The day's count rides in the same transaction, so concurrent starts cannot
                    # pass the daily limit between a check and the reservation.
                    tx.update(LedgerRecord(user_id=user_id, entry_id=day_count_id(_today())),
                              actions=[LedgerRecord.amount.add(1), LedgerRecord.kind.set("quota")],
                              condition=LedgerRecord.entry_id.does_not_exist() | (LedgerRecord.amount < per_day))
        except TransactWriteError as exc:
            # PynamoDB sends puts before updates: [reserve entry, user, day count].
            reasons = _reasons(exc)
            if reasons and reasons[0] == "ConditionalCheckFailed":
                return  # this job's reservation already exists: a retry, already held
            if len(reasons) > 2 and reasons[2] == "ConditionalCheckFailed" and reasons[1] != "ConditionalCheckFailed":
                started = self.jobs_started_today(user_id)
                raise QuotaExceededError(f"{started} jobs started today (UTC); the limit is {per_day}",
                                         details={"jobs_today": started, "limit": per_day}) from None
            if len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed":
                balance = self.balance(user_id)
                if balance.available < credits:
                    raise InsufficientCreditsError(
                        f"this job needs {credits} credits; {balance.available} available",
                        details={"required": credits, "available": balance.available}) from None
                raise QuotaExceededError(
                    f"{balance.active_jobs} jobs already in progress; the limit is {quota.active_jobs if quota else '-'}",
                    details={"active_jobs": balance.active_jobs}) from None
            raise

    def close_in(self, tx, job_id: str, user_id: str, kind: str, credits: int, *, charged: int | None = None) -> None:
        """Add the closing of the job's `credits`-credit reservation to `tx`: a refund or release
        returns it all; a settle spends `charged` of it (all if None) and returns the rest."""
        if kind == "settle":
            back = credits - (credits if charged is None else max(0, min(credits, charged)))
        else:
            back = credits
        entry = LedgerRecord(user_id=user_id, entry_id=close_id(job_id), kind=kind, amount=back,
                             held_change=-credits, job_id=job_id, note=f"job {kind}", created_at=_now())
        tx.condition_check(LedgerRecord, user_id, reserve_id(job_id), condition=LedgerRecord.entry_id.exists())
        tx.save(entry, condition=LedgerRecord.entry_id.does_not_exist())
        tx.update(UserRecord(user_id=user_id), condition=UserRecord.credits_held >= credits, actions=[
            UserRecord.credits_available.add(back),
            UserRecord.credits_held.add(-credits),
            UserRecord.active_jobs.add(-1),
        ])

    def _close(self, job_id: str, user_id: str, kind: str, credits: int) -> bool:
        """Close the job's reservation one way (on its own: a job's end closes it inside its
        own transaction, `accounting.finish`). True if this call did it, False if it was already
        closed; a different close raises nothing and returns False."""
        try:
            with transact_write() as tx:
                self.close_in(tx, job_id, user_id, kind, credits)
        except TransactWriteError as exc:
            reasons = _reasons(exc)
            if "ConditionalCheckFailed" not in reasons:
                raise
            # PynamoDB sends condition checks, then puts, then updates: [reserve exists, close
            # absent, held covers it]. A closed entry (a retry) is expected; a missing reservation
            # or a held balance too small means the books disagree with the job, which someone
            # must look at.
            failed = [r == "ConditionalCheckFailed" for r in reasons]
            if failed[0] or (len(failed) > 1 and failed[-1] and not failed[-2]):
                log.error("credits: cannot %s job %s for user %s (%s credits): %s", kind, job_id, user_id, credits,
                          reasons)
            return False
        return True

    def release(self, job_id: str, user_id: str, credits: int) -> bool:
        return self._close(job_id, user_id, "release", credits)

    def closed_as(self, job_id: str, user_id: str) -> str | None:
        entry = self.entry(user_id, close_id(job_id))
        return entry.kind if entry else None

    def jobs_started_today(self, user_id: str) -> int:
        try:
            return int(LedgerRecord.get(user_id, day_count_id(_today()), consistent_read=True).amount or 0)
        except DoesNotExist:
            return 0

    def check_daily_quota(self, user_id: str, quota: Quota) -> None:
        """A cheap early refusal, before a script is analysed; the reservation enforces it atomically."""
        if quota.jobs_per_day is None:
            return
        started = self.jobs_started_today(user_id)
        if started >= quota.jobs_per_day:
            raise QuotaExceededError(f"{started} jobs started today (UTC); the limit is {quota.jobs_per_day}",
                                     details={"jobs_today": started, "limit": quota.jobs_per_day})


def iter_ledger(store: CreditStore, user_id: str) -> Iterator[Entry]:
    after = None
    while True:
        page, after = store.ledger(user_id, after=after)
        yield from page
        if not after:
            return
