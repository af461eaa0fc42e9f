"""The OpenAPI document describes every route's 4xx answers with the error envelope, and a 405
names every method the path serves."""

from __future__ import annotations

import pytest

PUBLIC = ("/v1/auth/", "/health")


def test_every_route_documents_its_4xx_with_the_error_envelope(app):
    doc = app.openapi()
    envelope = doc["components"]["schemas"]["ErrorEnvelope"]
    assert envelope["required"] == ["error"]
    assert "HTTPValidationError" not in doc["components"]["schemas"]  # FastAPI's shape is never what we send
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            if path == "/health":
                continue
            errors = {int(c): r for c, r in op["responses"].items() if c.startswith("4")}
            assert errors, f"{method.upper()} {path} documents no 4xx"
            for code, response in errors.items():
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/ErrorEnvelope", (method, path, code)
            if not path.startswith(PUBLIC):
                assert 401 in errors, f"{method.upper()} {path} needs a token but documents no 401"
            if method in ("post", "put", "patch"):
                assert {400, 413, 422} <= set(errors), (method, path)
    jobs = doc["paths"]["/v1/projects/{project_id}/jobs"]["post"]["responses"]
    assert {"402", "403", "404", "409", "429"} <= set(jobs)


@pytest.mark.parametrize("method, path, allow", [
    ("PUT", "/v1/projects/p1", "DELETE, GET, PATCH"),
    ("POST", "/v1/jobs/j1", "GET"),
    ("GET", "/v1/auth/login", "POST"),
    ("DELETE", "/v1/projects", "GET, POST"),
    ("PATCH", "/v1/projects/p1/jobs", "GET, POST"),
])
def test_405_names_every_method_the_path_serves(client, method, path, allow):
    r = client.request(method, path)
    assert r.status_code == 405
    assert r.headers["allow"] == allow
    assert r.json()["error"]["code"] == "METHOD_NOT_ALLOWED" and r.json()["error"]["details"]["allow"] == allow.split(", ")
