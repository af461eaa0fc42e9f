"""Projects, always read through their owner: another user's project is simply not found.

Answering 404 (not 403) for someone else's project keeps ids from being probed for
existence (OWASP API1, broken object level authorization).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

from filmstudio.db.base import bind_tables, first_time, get_owned
from filmstudio.db.records import ProjectRecord
from filmstudio.errors import BadInputError, ConflictError
from filmstudio.models.job import Project
from filmstudio.settings import Settings


def to_project(rec: ProjectRecord) -> Project:
    # Tolerant of a record lacking an attribute: reading it must never be the error.
    return Project(project_id=rec.project_id, user_id=rec.user_id, name=rec.name or "",
                   description=rec.description or "", language=rec.language,
                   created_at=first_time(rec.created_at, rec.updated_at),
                   updated_at=first_time(rec.updated_at, rec.created_at))


def _now() -> datetime:
    return datetime.now(timezone.utc)


class ProjectStore:
    def __init__(self, settings: Settings | None = None):
        bind_tables(settings)

    def create(self, user_id: str, name: str, description: str = "", language: str | None = None) -> Project:
        now = _now()
        rec = ProjectRecord(project_id=uuid.uuid4().hex[:20], user_id=user_id, name=name, description=description,
                            language=language, created_at=now, updated_at=now)
        rec.save(condition=ProjectRecord.project_id.does_not_exist())
        return to_project(rec)

    def _owned(self, user_id: str, project_id: str) -> ProjectRecord:
        return get_owned(ProjectRecord, project_id, user_id, what="project")

    def get(self, user_id: str, project_id: str) -> Project:
        return to_project(self._owned(user_id, project_id))

    def list(self, user_id: str, *, limit: int = 20, after: dict | None = None) -> tuple[list[Project], dict | None]:
        result = ProjectRecord.by_user.query(user_id, scan_index_forward=False, limit=limit, last_evaluated_key=after)
        items = [to_project(rec) for rec in result]
        return items, result.last_evaluated_key

    def update(self, user_id: str, project_id: str, changes: dict[str, Any]) -> Project:
        rec = self._owned(user_id, project_id)
        allowed = {"name", "description", "language"}
        # Only the language may be cleared (null: detect it per script); the others are required.
        cleared = [k for k in ("name", "description") if k in changes and changes[k] is None]
        if cleared:
            raise BadInputError(f"{cleared[0]} cannot be null", code="VALIDATION_ERROR",
                                details=[{"field": f"body.{k}", "message": "may not be null", "type": "null"}
                                         for k in cleared])
        actions = [getattr(ProjectRecord, k).set(v) if v is not None else getattr(ProjectRecord, k).remove()
                   for k, v in changes.items() if k in allowed]
        if actions:
            actions.append(ProjectRecord.updated_at.set(_now()))
            # The owner is part of the condition: a project cannot change hands between read and write.
            rec.update(actions=actions, condition=ProjectRecord.user_id == user_id)
        return to_project(rec)

    def delete(self, user_id: str, project_id: str) -> None:
        """Delete the project, its assets, its jobs' records and every object under its prefix.
        Refused while one of its jobs is still running (its credits are still held)."""
        from filmstudio.assets import AssetStore
        from filmstudio.jobs.store import JobStore
        from filmstudio.storage.artifacts import ArtifactStore
        from filmstudio.storage.keys import project_prefix

        rec = self._owned(user_id, project_id)
        job_store, asset_store = JobStore(), AssetStore()
        jobs = list(job_store.list_by_project(project_id))
        busy = [j.job_id for j in jobs if not j.terminal]
        if busy:
            raise ConflictError("the project has jobs in progress; cancel them first", code="PROJECT_BUSY",
                                details={"jobs": busy})
        ArtifactStore().delete_prefix(project_prefix(user_id, project_id) + "/")
        asset_store.forget_project(project_id)
        for job in jobs:
            job_store.delete(job.job_id)
        rec.delete(condition=ProjectRecord.user_id == user_id)
