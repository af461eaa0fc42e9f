"""Typed errors. Each carries a machine-readable code the API and the CLI show as is."""

from __future__ import annotations

from typing import Any


class FilmStudioError(Exception):
    code = "INTERNAL_ERROR"
    http_status = 500

    def __init__(self, message: str, *, code: str | None = None, details: Any = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details

    def __str__(self) -> str:
        return self.message


class BadInputError(FilmStudioError):
    """The user's input cannot become a film. Nothing is written when this is raised."""

    code = "BAD_INPUT"
    http_status = 422

    def __init__(self, message: str, *, code: str = "BAD_INPUT", http_status: int | None = None, details: Any = None):
        super().__init__(message, code=code, details=details)
        if http_status:
            self.http_status = http_status


class NotFoundError(FilmStudioError):
    code = "NOT_FOUND"
    http_status = 404


class ConflictError(FilmStudioError):
    code = "CONFLICT"
    http_status = 409


class IllegalTransitionError(ConflictError):
    """A job status change that the state diagram does not allow (e.g. SUCCEEDED -> RUNNING)."""

    code = "ILLEGAL_TRANSITION"


class StaleWriteError(ConflictError):
    """Another writer changed the record since it was read (optimistic locking lost)."""

    code = "STALE_WRITE"


class StageFailedError(FilmStudioError):
    """A pipeline stage failed for a reason that retrying will not fix."""

    code = "STAGE_FAILED"

    def __init__(self, stage: str, reason: str):
        super().__init__(f"{stage}: {reason}")
        self.stage = stage
        self.reason = reason
