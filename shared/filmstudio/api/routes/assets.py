"""Assets: POST /v1/projects/{id}/assets (a presigned POST), list; GET and DELETE /v1/assets/{id}."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from filmstudio.api import cursor, deps
from filmstudio.api.routes.projects import ProjectId
from filmstudio.api.schemas import AssetCreate, AssetCreated, AssetPage, AssetView, PresignedPost, errors

router = APIRouter(tags=["assets"])
AssetId = Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


def view(asset, download_url: str | None = None) -> AssetView:
    return AssetView(**asset.model_dump(mode="json", include=set(AssetView.model_fields)), download_url=download_url)


@router.post("/v1/projects/{project_id}/assets", status_code=201, response_model=AssetCreated,
             responses=errors(400, 401, 404, 413, 415, 422))
def create(body: AssetCreate, request: Request, project_id: str = ProjectId, principal=Depends(deps.current_principal),
           projects=Depends(deps.projects), assets=Depends(deps.assets)):
    projects.get(principal.user_id, project_id)
    asset, post = assets.create(principal.user_id, project_id, body.filename, body.content_type, body.size,
                                base_url=str(request.base_url))
    return AssetCreated(asset=view(asset), upload=PresignedPost(**post))


@router.get("/v1/projects/{project_id}/assets", response_model=AssetPage, responses=errors(400, 401, 404, 422))
def list_assets(project_id: str = ProjectId, principal=Depends(deps.current_principal),
                projects=Depends(deps.projects), assets=Depends(deps.assets),
                limit: int = Query(20, ge=1, le=100),
                cursor_: str | None = Query(None, alias="cursor", max_length=2048)):
    projects.get(principal.user_id, project_id)
    scope = f"assets:{project_id}"
    items, last = assets.list(project_id, limit=limit,
                              after=cursor.decode(cursor_, user_id=principal.user_id, scope=scope))
    return AssetPage(items=[view(a) for a in items],
                     next_cursor=cursor.encode(last, user_id=principal.user_id, scope=scope))


@router.get("/v1/assets/{asset_id}", response_model=AssetView, responses=errors(401, 404, 422))
def get(request: Request, asset_id: str = AssetId, principal=Depends(deps.current_principal),
        assets=Depends(deps.assets)):
    asset = assets.get(principal.user_id, asset_id)
    return view(asset, assets.download_url(asset, base_url=str(request.base_url)))


@router.delete("/v1/assets/{asset_id}", status_code=204, responses=errors(401, 404, 409, 422))
def delete(asset_id: str = AssetId, principal=Depends(deps.current_principal), assets=Depends(deps.assets)):
    assets.delete(principal.user_id, asset_id)
    return Response(status_code=204)
