"""Plain helpers for the API tests. Test modules import them from here, never from conftest:
several conftest.py files share that module name, so which one `import conftest` finds depends
on collection order."""

from __future__ import annotations

from pathlib import Path

from sample_scripts import ONE_SCENE as SCRIPT  # noqa: F401  (the API tests' script)

EVENTS = Path(__file__).resolve().parents[2] / "events"


def set_balance(user_id: str, available: int) -> None:
    from filmstudio.db.accounts import UserRecord

    UserRecord(user_id=user_id).update(actions=[UserRecord.credits_available.set(available)])


def balance(user_id: str):
    from filmstudio.credits import CreditStore

    return CreditStore().balance(user_id)

