"""/v1/projects: create, list (cursor pages), get, update, delete — each only the caller's own."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query, Response

from filmstudio.api import cursor, deps
from filmstudio.api.schemas import ProjectCreate, ProjectPage, ProjectUpdate, ProjectView, errors

router = APIRouter(prefix="/v1/projects", tags=["projects"])
ProjectId = Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


def view(project) -> ProjectView:
    return ProjectView(**project.model_dump(include=set(ProjectView.model_fields)))


@router.post("", status_code=201, response_model=ProjectView, responses=errors(400, 401, 413, 422))
def create(body: ProjectCreate, principal=Depends(deps.current_principal), projects=Depends(deps.projects)):
    return view(projects.create(principal.user_id, body.name, body.description, body.language))


@router.get("", response_model=ProjectPage, responses=errors(400, 401, 422))
def list_projects(principal=Depends(deps.current_principal), projects=Depends(deps.projects),
                  limit: int = Query(20, ge=1, le=100),
                  cursor_: str | None = Query(None, alias="cursor", max_length=2048)):
    after = cursor.decode(cursor_, user_id=principal.user_id, scope="projects")
    items, last = projects.list(principal.user_id, limit=limit, after=after)
    return ProjectPage(items=[view(p) for p in items],
                       next_cursor=cursor.encode(last, user_id=principal.user_id, scope="projects"))


@router.get("/{project_id}", response_model=ProjectView, responses=errors(401, 404, 422))
def get(project_id: str = ProjectId, principal=Depends(deps.current_principal), projects=Depends(deps.projects)):
    return view(projects.get(principal.user_id, project_id))


@router.patch("/{project_id}", response_model=ProjectView, responses=errors(400, 401, 404, 413, 422))
def update(body: ProjectUpdate, project_id: str = ProjectId, principal=Depends(deps.current_principal),
           projects=Depends(deps.projects)):
    return view(projects.update(principal.user_id, project_id, body.model_dump(exclude_unset=True)))


@router.delete("/{project_id}", status_code=204, responses=errors(401, 404, 409, 422))
def delete(project_id: str = ProjectId, principal=Depends(deps.current_principal), projects=Depends(deps.projects)):
    projects.delete(principal.user_id, project_id)
    return Response(status_code=204)
