"""The FastAPI app. `create_app()` is what Mangum (functions/api) and uvicorn (`filmstudio serve`) run."""

from __future__ import annotations

from fastapi import FastAPI

from filmstudio.api import errors
from filmstudio.api.middleware import GuardMiddleware
from filmstudio.api.routes import admin, assets, auth, jobs, me, plans, projects, scenes

DESCRIPTION = """Script in, film out. Register, create a project, upload a script (or send its text),
start a job and poll it until the film's URL appears. See docs/api.md for the auth flow and credits."""


def create_app() -> FastAPI:
    app = FastAPI(title="Film Studio API", version="1", description=DESCRIPTION, docs_url="/docs",
                  redoc_url=None, openapi_url="/openapi.json")
    errors.install(app)
    for module in (auth, me, projects, assets, jobs, plans, scenes, admin):
        app.include_router(module.router)

    @app.get("/health", tags=["meta"])
    def health() -> dict:
        return {"status": "ok"}

    app.add_middleware(GuardMiddleware)
    return app
