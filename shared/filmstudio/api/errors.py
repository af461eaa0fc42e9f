"""One error envelope everywhere: {"error": {"code", "message", "details"}}; never a stack trace."""

from __future__ import annotations

import logging
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
        log.error("request failed: %s", exc.message)
    return envelope(exc.http_status, exc.code, exc.message, exc.details, headers)


async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    message = exc.detail if isinstance(exc.detail, str) else _STATUS_CODES.get(exc.status_code, "error")
    return envelope(exc.status_code, _STATUS_CODES.get(exc.status_code, "HTTP_ERROR"), message,
                    headers=getattr(exc, "headers", None))


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(FilmStudioError, _ours)
    app.add_exception_handler(StarletteHTTPException, _http)
