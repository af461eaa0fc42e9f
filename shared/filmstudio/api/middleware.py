"""ASGI middleware: request body limits (413) and the last line of defence (500, no trace).

Pure ASGI rather than BaseHTTPMiddleware: it adds no task or stream per request, which
matters for the API's latency budget.
"""

from __future__ import annotations

import json
import logging
import re

log = logging.getLogger("filmstudio.api")

DEFAULT_BODY_LIMIT = 64 * 1024
# A script of 1 MB (MAX_SCRIPT_BYTES) as JSON: non-ASCII text escapes to up to 6 bytes a character
# only with ensure_ascii; clients send UTF-8, so 2.5 MiB leaves room for any 1 MB script.
JOB_BODY_LIMIT = int(2.5 * 1024 * 1024)
_LIMITS: tuple[tuple[re.Pattern, int], ...] = (
    (re.compile(r"^/v1/projects/[^/]+/(jobs|plan)/?$"), JOB_BODY_LIMIT),
)


# Answers carry tokens and private data: never cached by a shared cache, never sniffed as another type.
_SECURITY_HEADERS = [(b"cache-control", b"no-store"), (b"x-content-type-options", b"nosniff")]


def body_limit(path: str) -> int:
    for pattern, limit in _LIMITS:
        if pattern.match(path):
            return limit
    return DEFAULT_BODY_LIMIT


def _error_body(code: str, message: str, details=None) -> bytes:
    return json.dumps({"error": {"code": code, "message": message, "details": details}}).encode()


async def _send_error(send, status: int, code: str, message: str, details=None) -> None:
    body = _error_body(code, message, details)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *_SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})


class GuardMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = body_limit(scope.get("path", ""))
        declared = next((v for k, v in scope.get("headers", []) if k == b"content-length"), None)
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                return await _send_error(send, 400, "BAD_REQUEST", "invalid Content-Length")
            if too_big:
                return await _send_error(send, 413, "PAYLOAD_TOO_LARGE", f"the request body may be at most {limit} bytes",
                                         {"limit": limit})
        # A body without Content-Length (chunked) is counted as it arrives.
        if scope.get("method") in ("POST", "PUT", "PATCH"):
            chunks, size, more = [], 0, True
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limit:
                    return await _send_error(send, 413, "PAYLOAD_TOO_LARGE",
                                             f"the request body may be at most {limit} bytes", {"limit": limit})
                chunks.append(chunk)
                more = message.get("more_body", False)
            body = b"".join(chunks)
            replayed = False

            async def receive():  # noqa: F811  (the app reads the body we already read)
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return {"type": "http.disconnect"}

        started = False

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = dict(message)
                message["headers"] = list(message.get("headers", [])) + _SECURITY_HEADERS
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if not started:
                await _send_error(send, 500, "INTERNAL_ERROR", "something went wrong on our side")
