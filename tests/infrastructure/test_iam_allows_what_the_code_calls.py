"""The roles the CDK app synthesizes allow every AWS call the handlers make.

The grant tests elsewhere compare the template with the topology; this one compares it with the
code. It runs real work in the local cloud (a render, a failed render, the API's sign-up, asset
and job routes, accepted and rejected uploads, an operator's raw upload, the authorizer, a GPU
notification), records every botocore call made while each function's handler runs, turns each
call into the IAM action(s) and resource ARN(s) AWS would authorise, and checks them against that
function's role statements in the template (with the template's ARNs resolved to the local
cloud's names). A call no statement allows would be AccessDenied on AWS.
"""

from __future__ import annotations

import contextvars
import fnmatch
import json
import re
import time
from collections import defaultdict
from typing import Any

import pytest

from filmstudio import topology

from cdk.introspect import function_logical_ids
from infra_iam import function_role, render, role_statements
from sample_scripts import ONE_SCENE as SCRIPT

pytestmark = pytest.mark.slow

ACCOUNT, REGION = "123456789012", "us-east-1"
CURRENT: contextvars.ContextVar[str | None] = contextvars.ContextVar("filmstudio_function", default=None)


# -- what AWS authorises for a call ---------------------------------------------------------------
def _s3(op: str, p: dict) -> list[tuple[str, str]]:
    bucket = p.get("Bucket", "")
    obj = f"arn:aws:s3:::{bucket}/{p.get('Key', '')}"
    if op in ("GetObject", "HeadObject"):
        return [("s3:GetObject", obj)] + ([("s3:GetObjectVersion", obj)] if p.get("VersionId") else [])
    if op in ("PutObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload"):
        return [("s3:PutObject", obj)]
    if op == "CopyObject":
        src = p["CopySource"]
        src = f"{src['Bucket']}/{src['Key']}" if isinstance(src, dict) else src.lstrip("/")
        return [("s3:PutObject", obj), ("s3:GetObject", f"arn:aws:s3:::{src}")]
    if op == "DeleteObject":
        return [("s3:DeleteObject", obj)]
    if op == "DeleteObjects":
        return [("s3:DeleteObject", f"arn:aws:s3:::{bucket}/{o['Key']}") for o in p["Delete"]["Objects"]]
    if op == "AbortMultipartUpload":
        return [("s3:AbortMultipartUpload", obj)]
    if op in ("ListObjectsV2", "ListObjects"):
        return [("s3:ListBucket", f"arn:aws:s3:::{bucket}")]
    raise LookupError(op)


def _table(name: str, index: str | None = None) -> str:
    arn = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{name}"
    return f"{arn}/index/{index}" if index else arn


_TRANSACT = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem", "ConditionCheck": "ConditionCheckItem",
             "Get": "GetItem"}


def _dynamodb(op: str, p: dict) -> list[tuple[str, str]]:
    if op in ("TransactWriteItems", "TransactGetItems"):
        return [(f"dynamodb:{_TRANSACT[kind]}", _table(body["TableName"]))
                for item in p["TransactItems"] for kind, body in item.items()]
    if op in ("BatchGetItem", "BatchWriteItem"):
        return [(f"dynamodb:{op}", _table(name)) for name in p["RequestItems"]]
    return [(f"dynamodb:{op}", _table(p["TableName"], p.get("IndexName")))]


def _states(op: str, p: dict) -> list[tuple[str, str]]:
    machine = f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{topology.FILM_STATE_MACHINE.local_name}"
    if op == "StartExecution":
        return [("states:StartExecution", p["stateMachineArn"])]
    if op in ("SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat"):
        # A callback token names no resource in the request; IAM evaluates it against the state
        # machine whose task issued the token (the only one here).
        return [(f"states:{op}", machine)]
    if op in ("StopExecution", "DescribeExecution"):
        return [(f"states:{op}", p["executionArn"])]
    raise LookupError(op)


def _lambda(op: str, p: dict) -> list[tuple[str, str]]:
    if op != "Invoke":
        raise LookupError(op)
    name = p["FunctionName"]
    return [("lambda:InvokeFunction", name if name.startswith("arn:") else
             f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}")]


# The studio tier's dispatch (gpu_submit through filmstudio/gpu_backends.py): what AWS authorises for it.
def _sagemaker_runtime(op: str, p: dict) -> list[tuple[str, str]]:
    if op != "InvokeEndpointAsync":
        raise LookupError(op)
    # SageMaker writes endpoint names into ARNs in lower case.
    return [("sagemaker:InvokeEndpointAsync", f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:endpoint/{p['EndpointName'].lower()}")]


def _batch(op: str, p: dict) -> list[tuple[str, str]]:
    if op != "SubmitJob":
        raise LookupError(op)
    arn = lambda kind, name: name if name.startswith("arn:") else f"arn:aws:batch:{REGION}:{ACCOUNT}:{kind}/{name}"  # noqa: E731
    return [("batch:SubmitJob", arn("job-queue", p["jobQueue"])),
            ("batch:SubmitJob", arn("job-definition", p["jobDefinition"]))]


def _secret_arns() -> dict[str, str]:
    from filmstudio import aws

    sm = aws.client("secretsmanager")
    return {s["Name"]: s["ARN"] for s in sm.list_secrets()["SecretList"]}


def _secrets(op: str, p: dict, arns: dict[str, str]) -> list[tuple[str, str]]:
    secret = p.get("SecretId") or p.get("Name")
    return [(f"secretsmanager:{op}", arns.get(secret, secret))]


def authorised(service: str, op: str, params: dict, secret_arns: dict[str, str]) -> list[tuple[str, str]]:
    if service == "s3":
        return _s3(op, params)
    if service == "dynamodb":
        return _dynamodb(op, params)
    if service == "stepfunctions":
        return _states(op, params)
    if service == "lambda":
        return _lambda(op, params)
    if service == "secretsmanager":
        return _secrets(op, params, secret_arns)
    if service == "sagemaker-runtime":
        return _sagemaker_runtime(op, params)
    if service == "batch":
        return _batch(op, params)
    raise LookupError(f"{service}:{op}")


# -- what the template grants ---------------------------------------------------------------------
def granted(template: dict, lids: dict[str, str]) -> dict[str, list[tuple[list[str], list[str]]]]:
    """function -> [(actions, resource patterns)] with the template's ARNs in the local cloud's terms."""
    from filmstudio.settings import Settings

    arn_of = {f"${{{lid}.Arn}}": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{topology.function(name).local_name}"
              for name, lid in lids.items()}
    out = {}
    for name, lid in lids.items():
        rules = []
        for st in role_statements(template, function_role(template, lid)):
            if st["Effect"] != "Allow":
                continue
            acts = st["Action"] if isinstance(st["Action"], list) else [st["Action"]]
            resources = []
            for res in st["Resource"] if isinstance(st["Resource"], list) else [st["Resource"]]:
                text = render(res)
                for token, arn in arn_of.items():
                    text = text.replace(token, arn)
                text = (text.replace("${AWS::Partition}", "aws").replace("${AWS::Region}", REGION)
                        .replace("${AWS::AccountId}", ACCOUNT))
                # The deployed bucket's name carries account and region; the local one does not.
                text = re.sub(r"^arn:aws:s3:::[^/]+", f"arn:aws:s3:::{Settings().bucket}", text)
                resources.append(text)
            rules.append((acts, resources))
        out[name] = rules
    return out


def allows(rules, action: str, arn: str) -> bool:
    return any(any(fnmatch.fnmatchcase(action, a) for a in acts) and
               any(fnmatch.fnmatchcase(arn, r) for r in resources) for acts, resources in rules)


# -- the work ---------------------------------------------------------------------------------------
@pytest.fixture
def recorded(cloud, monkeypatch):
    """function name -> [(service, operation, params)] for every botocore call its handler made."""
    from botocore.client import BaseClient

    calls: dict[str, list[tuple[str, str, dict]]] = defaultdict(list)
    by_local = {spec.local_name: spec.name for spec in topology.FUNCTIONS}
    make_api_call = BaseClient._make_api_call

    def recording(client, operation: str, params: dict) -> Any:
        function = CURRENT.get()
        if function:
            calls[function].append((client.meta.service_model.service_name, operation, dict(params)))
        return make_api_call(client, operation, params)

    call = cloud.runtime.call

    def as_function(function_name: str, event: Any, asynchronous: bool = False):
        token = CURRENT.set(by_local.get(function_name, function_name))
        try:
            return call(function_name, event, asynchronous)
        finally:
            CURRENT.reset(token)

    monkeypatch.setattr(BaseClient, "_make_api_call", recording)
    monkeypatch.setattr(cloud.runtime, "call", as_function)
    return calls


def _api_app():
    """The API app with its requests attributed to the api function."""
    from filmstudio.api.app import create_app

    app = create_app()

    async def as_api(scope, receive, send):
        token = CURRENT.set("api")
        try:
            await app(scope, receive, send)
        finally:
            CURRENT.reset(token)

    return as_api


def run_the_work(cloud, tmp_path, monkeypatch) -> None:
    from fastapi.testclient import TestClient

    import functions.compose.handler as compose
    from filmstudio import aws
    from filmstudio.auth.keys import reset_key_cache
    from filmstudio.errors import StageFailedError
    from filmstudio.localcloud.render import render_locally
    from filmstudio.settings import get_settings

    bucket = get_settings().bucket
    s3 = aws.client("s3")

    # A whole render, then the same script with compose failing (the fail path).
    assert render_locally(SCRIPT.encode(), "two_cups.fountain", tmp_path / "a", cloud=cloud).job.status.value == "SUCCEEDED"
    with monkeypatch.context() as m:
        m.setattr(compose, "compose_stage", lambda *a, **k: (_ for _ in ()).throw(StageFailedError("compose", "no disk")))
        failed = render_locally((SCRIPT + "\nASHA\nOne more line.\n").encode(), "x.fountain", tmp_path / "b", cloud=cloud)
        assert failed.job.status.value == "FAILED"

    # The API: sign up, a project, an accepted and a rejected upload, a job that renders, a job cancelled.
    reset_key_cache()
    with TestClient(_api_app()) as api:
        tokens = api.post("/v1/auth/register", json={"email": "iam@example.com",
                                                     "password": "a long enough password"}).json()["tokens"]
        auth = {"Authorization": f"Bearer {tokens['access_token']}"}
        tokens = api.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).json()
        pid = api.post("/v1/projects", json={"name": "IAM"}, headers=auth).json()["project_id"]
        for data, content_type in ((SCRIPT.encode(), "text/plain"), (b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "text/plain")):
            created = api.post(f"/v1/projects/{pid}/assets", headers=auth, json={
                "filename": "script.txt", "content_type": content_type, "size": len(data)}).json()
            fields = created["upload"]["fields"]
            s3.put_object(Bucket=bucket, Key=fields["key"], Body=data, ContentType=content_type,
                          Metadata={"asset-id": fields["x-amz-meta-asset-id"]})
            asset = api.get(f"/v1/assets/{created['asset']['asset_id']}", headers=auth).json()
        assert asset["status"] == "REJECTED"
        api.get(f"/v1/projects/{pid}/assets", headers=auth)
        job = api.post(f"/v1/projects/{pid}/jobs", json={"script": SCRIPT}, headers=auth).json()
        cloud.wait(job["job_id"], timeout=300)
        done = api.get(f"/v1/jobs/{job['job_id']}", headers=auth).json()
        assert done["status"] == "SUCCEEDED", done
        # the web studio's reads: the plan before a job, the job scene by scene, a drawn panel
        assert api.post(f"/v1/projects/{pid}/plan", json={"script": SCRIPT}, headers=auth).status_code == 200
        scenes = api.get(f"/v1/jobs/{job['job_id']}/scenes", headers=auth).json()["scenes"]
        shot = scenes[0]["shots"][0]["shot_id"]
        assert api.get(f"/v1/jobs/{job['job_id']}/panels/{shot}", headers=auth, follow_redirects=False).status_code == 307
        api.get("/v1/me/credits", headers=auth)
        other = api.post(f"/v1/projects/{pid}/jobs", json={"script": SCRIPT + "\nVIKRAM\nStill here.\n"},
                         headers=auth).json()
        while api.get(f"/v1/jobs/{other['job_id']}", headers=auth).json()["status"] == "QUEUED":
            time.sleep(0.05)  # moto cannot stop an execution in the instant before it starts running
        assert api.post(f"/v1/jobs/{other['job_id']}/cancel", headers=auth).status_code in (200, 202, 409)
        cloud.wait(other["job_id"], timeout=300)
        api.delete(f"/v1/assets/{created['asset']['asset_id']}", headers=auth)
        user_id = api.get("/v1/me", headers=auth).json()["user_id"]
        api.post("/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]}, headers=auth)

    # An operator's raw upload (no asset id) starts a job through the S3 trigger.
    s3.put_object(Bucket=bucket, Key=f"users/{user_id}/projects/{pid}/raw/direct.fountain", Body=SCRIPT.encode())

    # The authorizer, and a GPU notification nothing waits on.
    event = json.loads((cloud_events() / "authorizer_token.json").read_text())
    event["authorizationToken"] = f"Bearer {tokens['access_token']}"
    reset_key_cache()  # a cold authorizer reads the key ring itself
    payload, errored, _ = cloud.runtime.call(topology.function("authorizer").local_name, event)
    assert not errored and json.loads(payload)["policyDocument"]["Statement"][0]["Effect"] == "Allow", payload
    note = {"Records": [{"Sns": {"Message": json.dumps({"inferenceId": "nobody-waits", "invocationStatus": "Completed"})}}]}
    cloud.runtime.call(topology.function("gpu_callback").local_name, note)
    # The key ring's scheduled rotation.
    payload, errored, _ = cloud.runtime.call(topology.function("rotate_keys").local_name,
                                             {"source": "aws.events", "detail-type": "Scheduled Event", "detail": {}})
    assert not errored and json.loads(payload)["rotated"], payload
    cloud.runtime.drain(timeout=120)


def run_the_studio_work(cloud, tmp_path, monkeypatch) -> None:
    """A studio film through the endpoints and another through Batch (tiny random weights): gpu_submit's
    request objects, task rows and sends; gpu_callback's reads of answers and outputs, the job's
    GPU-seconds, the task reports; and the keeper's schedule."""
    from filmstudio.pipeline.intake import start_job
    from filmstudio.studio.tiny import write_tiny_model_dir

    monkeypatch.setenv("FILMSTUDIO_MODEL_DIR", str(write_tiny_model_dir(tmp_path / "models")))
    monkeypatch.setenv("FILMSTUDIO_STUDIO_CACHE", str(tmp_path / "studio-cache"))
    # The Batch film is another scene and other words, so none of its artifacts is cached by the first.
    batch_script = SCRIPT.replace("INT. KITCHEN - MORNING", "EXT. HARBOUR - NIGHT").replace(
        "You are late again.", "The boats are back.")
    for bulk, script in ((False, SCRIPT), (True, batch_script)):
        job = start_job(user_id="iam-studio", project_id="p", data=script.encode(), filename="s.fountain",
                        tier="studio", bulk=bulk, source="cli")
        done = cloud.wait(job.job_id, timeout=600)
        # The film itself may fail compose's loudness check on noise; every GPU stage must have answered.
        assert set(done.gpu_seconds) == set(topology.MEDIA_STAGES), (done.status, done.error)
    cloud.runtime.call(topology.function("gpu_callback").local_name,
                       {"source": "aws.events", "detail-type": "Scheduled Event", "detail": {}})
    cloud.runtime.drain(timeout=120)


def cloud_events():
    from pathlib import Path

    return Path(__file__).resolve().parents[1] / "events"


def test_every_call_a_handler_makes_is_allowed_by_its_role(synthesized, cloud, recorded, tmp_path, monkeypatch):
    template = synthesized.template(synthesized.studio.pipeline)
    lids = function_logical_ids(template)
    rules = granted(template, lids)
    run_the_work(cloud, tmp_path, monkeypatch)
    # The studio tier's calls are judged where the app has the gpu stack (cdk config `studio`), whose
    # grants they need; an app without it has no studio tier to call them.
    if getattr(synthesized.studio, "gpu", None) is not None:
        run_the_studio_work(cloud, tmp_path, monkeypatch)

    secret_arns = _secret_arns()
    denied, unmapped = set(), set()
    for function, calls in recorded.items():
        for service, op, params in calls:
            try:
                needs = authorised(service, op, params, secret_arns)
            except LookupError:
                unmapped.add((function, f"{service}:{op}"))
                continue
            for action, arn in needs:
                if not allows(rules[function], action, arn):
                    denied.add((function, action, arn))
    assert not unmapped, f"calls this test cannot judge (teach it their IAM action): {sorted(unmapped)}"
    assert not denied, "AccessDenied on AWS:\n" + "\n".join(map(str, sorted(denied)))
    # The work reached every function, so none of them is judged on nothing.
    assert set(recorded) == {spec.name for spec in topology.FUNCTIONS}, sorted(recorded)
