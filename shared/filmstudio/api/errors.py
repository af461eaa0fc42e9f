"""One error envelope everywhere: {"error": {"code", "message", "details"}}; never a stack trace."""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from filmstudio.errors import FilmStudioError

log = logging.getLogger("filmstudio.api")

_STATUS_CODES = {
    400: "BAD_REQUEST", 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT", 413: "PAYLOAD_TOO_LARGE", 415: "UNSUPPORTED_MEDIA_TYPE", 422: "VALIDATION_ERROR",
    429: "TOO_MANY_REQUESTS", 500: "INTERNAL_ERROR",
}


def envelope(status: int, code: str, message: str, details: Any = None,
             headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, "details": details}}, status_code=status,
                        headers=headers)


def _field(loc: tuple) -> str:
    return ".".join(str(part) for part in loc)


async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    # Field, message and type only: the input itself may be a password.
    details = [{"field": _field(err.get("loc", ())), "message": err.get("msg", ""), "type": err.get("type", "")}
               for err in exc.errors()]
    return envelope(422, "VALIDATION_ERROR", "the request is not valid", details)


async def _ours(request: Request, exc: FilmStudioError) -> JSONResponse:
    headers = {"WWW-Authenticate": 'Bearer realm="filmstudio"'} if exc.http_status == 401 else None
    if exc.http_status >= 500:
        # A server-side failure's code and message name internals (a stage, a function): the log
        # keeps them, the answer is the bare 500 every unexpected error gets.
        log.error("request failed: %s %s", exc.code, exc.message)
        return envelope(500, "INTERNAL_ERROR", "something went wrong on our side")
    return envelope(exc.http_status, exc.code, exc.message, exc.details, headers)


def _method_table(app) -> list[tuple[re.Pattern, frozenset[str]]]:
    """(path pattern, methods) for every documented path, built once per app from its OpenAPI
    document (which lists every route, however routers nest), plus the documentation routes."""
    table = getattr(app.state, "method_table", None)
    if table is None:
        paths = {path: {m.upper() for m in ops} for path, ops in app.openapi()["paths"].items()}
        for extra in (app.openapi_url, app.docs_url):
            if extra:
                paths.setdefault(extra, set()).add("GET")
        table = [(re.compile("^" + re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(path)) + "/?$"), frozenset(methods))
                 for path, methods in paths.items()]
        app.state.method_table = table
    return table


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path. Starlette's 405 names only the first route
    that matched the path, and one path (/v1/projects/{id}) has a route per method."""
    path = request.url.path
    methods: set[str] = set()
    for pattern, served in _method_table(request.app):
        if pattern.match(path):
            methods |= served
    return sorted(methods)


async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    message = exc.detail if isinstance(exc.detail, str) else _STATUS_CODES.get(exc.status_code, "error")
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 405:
        methods = allowed_methods(request)
        headers["Allow"] = ", ".join(methods)
        message = f"{request.method} is not allowed here; use {' or '.join(methods)}"
    return envelope(exc.status_code, _STATUS_CODES.get(exc.status_code, "HTTP_ERROR"), message,
                    details={"allow": methods} if exc.status_code == 405 else None, headers=headers or None)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(FilmStudioError, _ours)
    app.add_exception_handler(StarletteHTTPException, _http)
