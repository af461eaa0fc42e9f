"""Runs inside the Lambda's interpreter during `make package-check`: one zip function, one scenario.

The parent (cdk/package_check.py) starts `python3.13 -I -S` with this file's source, the function's
staged asset and the built layer; this code puts exactly those two on `sys.path` (after the standard
library), imports the function's handler as Lambda would, and calls it with the events it meets on
AWS. It may import nothing but the standard library before that, and prints one JSON line:
{"ok": true, "result": ...} or {"ok": false, "error": ..., "missing_module": ...}.
"""

import json
import sys
import traceback


class LambdaContext:
    function_name = "filmstudio-package-check"
    function_version = "$LATEST"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:filmstudio-package-check"
    aws_request_id = "00000000-0000-4000-8000-000000000000"
    log_group_name = "/aws/lambda/filmstudio-package-check"
    log_stream_name = "package-check"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 60_000


def rest_event(method, path, body=None, token=None, authorizer=None):
    headers = {"content-type": "application/json", "host": "api.example.com", "x-forwarded-for": "203.0.113.9",
               "x-forwarded-proto": "https", "x-forwarded-port": "443"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    context = {"resourcePath": "/{proxy+}", "httpMethod": method, "path": f"/prod{path}", "stage": "prod",
               "requestId": "package-check", "identity": {"sourceIp": "203.0.113.9"},
               "accountId": "123456789012", "apiId": "api"}
    if authorizer:
        context["authorizer"] = dict(authorizer, principalId=authorizer.get("user_id", ""))
    return {"resource": "/{proxy+}", "path": path, "httpMethod": method, "headers": headers,
            "multiValueHeaders": {k: [v] for k, v in headers.items()}, "queryStringParameters": None,
            "multiValueQueryStringParameters": None, "pathParameters": {"proxy": path.lstrip("/")},
            "stageVariables": None, "requestContext": context,
            "body": json.dumps(body) if body is not None else None, "isBase64Encoded": False}


def call_api(handler, method, path, body=None, *, want, token=None, authorizer=None):
    response = handler(rest_event(method, path, body, token, authorizer), LambdaContext())
    status = response.get("statusCode")
    payload = json.loads(response.get("body") or "null")
    if status != want:
        raise AssertionError(f"{method} {path} answered {status}, expected {want}: {str(payload)[:400]}")
    return payload


def scenario_api(handler, params):
    if params.get("step") == "register":
        tokens = call_api(handler, "POST", "/v1/auth/register",
                          {"email": "check@example.com", "password": "package-check-pw-1", "name": "Check"},
                          want=201)
        return {"access_token": (tokens.get("tokens") or tokens)["access_token"]}
    authorizer = params["authorizer"]
    project = call_api(handler, "POST", "/v1/projects", {"name": "package check"}, want=201, authorizer=authorizer)
    job = call_api(handler, "POST", f"/v1/projects/{project['project_id']}/jobs",
                   {"script": params["script"], "language": params.get("language")}, want=202,
                   authorizer=authorizer)
    seen = call_api(handler, "GET", f"/v1/jobs/{job['job_id']}", want=200, authorizer=authorizer)
    return {"job_id": job["job_id"], "status": seen["status"]}


def scenario_authorizer(handler, params):
    answer = handler({"type": "TOKEN", "authorizationToken": f"Bearer {params['token']}",
                      "methodArn": "arn:aws:execute-api:us-east-1:123456789012:api/prod/GET/v1/projects"},
                     LambdaContext())
    effect = answer["policyDocument"]["Statement"][0]["Effect"]
    if effect != "Allow":
        raise AssertionError(f"the authorizer answered {effect} for a valid token")
    return {"context": answer["context"]}


def scenario_ingest(handler, params):
    # What the trigger's EventBridge rule delivers (cdk/pipeline.py _s3_triggers).
    event = {"version": "0", "id": "package-check", "detail-type": "Object Created", "source": "aws.s3",
             "time": "2026-01-01T00:00:00Z", "resources": [f"arn:aws:s3:::{params['bucket']}"],
             "detail": {"version": "0", "bucket": {"name": params["bucket"]}, "reason": "PutObject",
                        "object": {"key": params["key"], "version-id": params.get("version_id")}}}
    (outcome,) = handler(event, LambdaContext())
    if outcome.get("outcome") != "started":
        raise AssertionError(f"ingest did not start a job: {outcome}")
    return outcome


def scenario_event(handler, params):
    # gpu_submit, gpu_callback, publish, fail: the event the state machine (or SNS) sends, as is.
    result = handler(params["event"], LambdaContext())
    return result


SCENARIOS = {"api": scenario_api, "authorizer": scenario_authorizer, "ingest": scenario_ingest}


def main():
    spec = json.loads(sys.argv[1])
    # Lambda's sys.path: the function's code, then the layer (/opt/python); -I -S already left out
    # site-packages, the user site and the working directory.
    stdlib = [p for p in sys.path if p and "site-packages" not in p]
    sys.path[:] = [spec["asset"], spec["layer"]] + stdlib
    try:
        module = __import__(spec["module"], fromlist=[spec["attr"]])
        handler = getattr(module, spec["attr"])
        result = SCENARIOS.get(spec["function"], scenario_event)(handler, spec.get("params") or {})
        print(json.dumps({"ok": True, "result": result}, default=str))
    except BaseException as exc:  # report everything, including SystemExit from a broken import
        missing = exc.name if isinstance(exc, ModuleNotFoundError) else None
        print(json.dumps({"ok": False, "error": f"{type(exc).__name__}: {exc}", "missing_module": missing,
                          "traceback": traceback.format_exc()[-3000:]}))


main()
