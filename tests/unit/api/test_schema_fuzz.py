"""A property-based run over the OpenAPI document (schemathesis), against the app in-process
with moto behind it, signed in and not: no answer is a server error, and every answer has a
documented status and matches the schema the document gives for it (the error envelope for
every 4xx).

Derandomized and bounded (a fixed number of examples per operation), so it takes the same time
and finds the same things on every run; the hand-written tests cover the happy paths. The
operations are driven through schemathesis's strategies with Hypothesis directly: its pytest
plugin's lazy loader does not work with pytest 9.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 10
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))


def _operations() -> list[str]:
    from filmstudio.api.app import create_app

    return [f"{method.upper()} {path}" for path, ops in create_app().openapi()["paths"].items() for method in ops]


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "anonymous"])
def test_every_operation_answers_within_its_document(client, api_schema, make_user, signed_in):
    headers = make_user(credits=50).headers if signed_in else {}
    failures = []
    for label in _operations():
        operation = api_schema.find_operation_by_label(label)

        @FUZZ
        @given(case=operation.as_strategy())
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Exception as exc:  # noqa: BLE001  (collect every operation's failure, then report them all)
            failures.append(f"{label}: {exc}"[:3000])
    assert not failures, "\n\n".join(failures)
