"""Users: registration (unique email, signup credits), password login, roles."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from pynamodb.exceptions import DoesNotExist, TransactWriteError, UpdateError


from filmstudio.auth.passwords import dummy_hash, hash_password, needs_rehash, verify_password
from filmstudio.auth.tokens import ROLES, AuthError
from filmstudio.db.accounts import LedgerRecord, UserRecord, transact_write
from filmstudio.db.base import bind_tables
from filmstudio.db.records import IdempotencyRecord
from filmstudio.errors import BadInputError, ConflictError, FilmStudioError, NotFoundError
from filmstudio.settings import Settings

SIGNUP_CREDITS = 30  # about five one-minute preview films
# Online password guessing: after this many wrong passwords within the window, the account
# refuses logins (even correct ones) until the window has passed. Each attempt is counted by a
# conditional update BEFORE its password is checked, so however many attempts race, at most
# MAX_FAILED_LOGINS passwords are checked per window. The window opens at the first attempt
# and is never extended by refused ones, so a stranger can hold an account's password login
# shut for at most one window at a time, and its signed-in sessions (refresh tokens) keep
# working meanwhile (docs/api.md). The edge's WAF rate rules cover guessing across many
# accounts from one address.
MAX_FAILED_LOGINS = 10
FAILED_LOGIN_WINDOW = timedelta(minutes=15)


class LoginThrottledError(FilmStudioError):
    code = "LOGIN_THROTTLED"
    http_status = 429


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_claim_key(email: str) -> str:
    return f"email#{normalise_email(email)}"


def _now() -> datetime:
    return datetime.now(timezone.utc)


class UserStore:
    def __init__(self, settings: Settings | None = None):
        bind_tables(settings)

    def register(self, email: str, password: str, name: str = "") -> UserRecord:
        """A new free user with the signup grant. The email is claimed in the same transaction
        (a GSI cannot enforce uniqueness), so two concurrent sign-ups with one email make one user."""
        email = normalise_email(email)
        now = _now()
        user = UserRecord(user_id=uuid.uuid4().hex[:20], email=email, password_hash=hash_password(password),
                          role="free", name=name, created_at=now, updated_at=now,
                          credits_available=SIGNUP_CREDITS, credits_held=0, active_jobs=0)
        claim = IdempotencyRecord(key=email_claim_key(email), result=user.user_id, refs=[f"user:{user.user_id}"])
        grant = LedgerRecord(user_id=user.user_id, entry_id="grant#signup", kind="grant", amount=SIGNUP_CREDITS,
                             held_change=0, note="signup credits", created_at=now)
        try:
            with transact_write() as tx:
                tx.save(claim, condition=IdempotencyRecord.key.does_not_exist())
                tx.save(user, condition=UserRecord.user_id.does_not_exist())
                tx.save(grant, condition=LedgerRecord.entry_id.does_not_exist())
        except TransactWriteError as exc:
            reasons = [getattr(r, "code", None) for r in (exc.cancellation_reasons or [])]
            if reasons and reasons[0] == "ConditionalCheckFailed":
                raise ConflictError("an account with this email already exists", code="EMAIL_TAKEN") from None
            raise
        return user

    def authenticate(self, email: str, password: str) -> UserRecord:
        email = normalise_email(email)
        user = next(iter(UserRecord.by_email.query(email, limit=1)), None)
        if user is None:
            verify_password(dummy_hash(), password)  # same cost whether or not the email exists
            raise AuthError("wrong email or password", code="INVALID_CREDENTIALS")
        self._count_attempt(user.user_id)
        if not verify_password(user.password_hash, password):
            raise AuthError("wrong email or password", code="INVALID_CREDENTIALS")
        actions = [UserRecord.failed_logins.set(0), UserRecord.failed_since.remove()]
        if needs_rehash(user.password_hash):
            actions.append(UserRecord.password_hash.set(hash_password(password)))
        if actions:
            user.update(actions=actions)
        return user

    def _count_attempt(self, user_id: str) -> None:
        """Count one login attempt in the account's window, or raise LoginThrottledError if the
        window's attempts are used up. A correct password resets the count afterwards."""
        for _ in range(5):
            now = _now()
            window_start = now - FAILED_LOGIN_WINDOW
            try:  # a window is open and has room
                UserRecord(user_id=user_id).update(
                    actions=[UserRecord.failed_logins.add(1)],
                    condition=UserRecord.failed_since.exists() & (UserRecord.failed_since > window_start)
                    & (UserRecord.failed_logins < MAX_FAILED_LOGINS))
                return
            except UpdateError as exc:
                if getattr(exc, "cause_response_code", None) != "ConditionalCheckFailedException":
                    raise
            try:  # no window, or it has passed: this attempt opens one
                UserRecord(user_id=user_id).update(
                    actions=[UserRecord.failed_logins.set(1), UserRecord.failed_since.set(now)],
                    condition=UserRecord.failed_since.does_not_exist() | (UserRecord.failed_since <= window_start))
                return
            except UpdateError as exc:
                if getattr(exc, "cause_response_code", None) != "ConditionalCheckFailedException":
                    raise
            user = UserRecord.get(user_id, consistent_read=True, attributes_to_get=["failed_logins", "failed_since"])
            if (user.failed_since is not None and user.failed_since > window_start
                    and int(user.failed_logins or 0) >= MAX_FAILED_LOGINS):
                wait = int((user.failed_since + FAILED_LOGIN_WINDOW - now).total_seconds()) + 1
                raise LoginThrottledError(f"too many wrong passwords; try again in {wait} s",
                                          details={"retry_after": wait})
            # The window changed between the two updates (another attempt opened or reset it): again.
        raise LoginThrottledError("too many concurrent login attempts; try again", details={"retry_after": 1})

    def get(self, user_id: str) -> UserRecord:
        try:
            return UserRecord.get(user_id, consistent_read=True)
        except DoesNotExist:
            raise NotFoundError("user not found", code="USER_NOT_FOUND") from None

    def set_role(self, user_id: str, role: str) -> UserRecord:
        if role not in ROLES:
            raise BadInputError(f"unknown role {role!r}; choose one of {list(ROLES)}", code="INVALID_ROLE")
        user = self.get(user_id)
        user.update(actions=[UserRecord.role.set(role), UserRecord.updated_at.set(_now())])
        return user
