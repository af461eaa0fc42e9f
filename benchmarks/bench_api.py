"""The API Lambda's cold import time and the latency of GET /v1/jobs/{id} through it.

Cold import: `import functions.api.handler` in a fresh interpreter (what a Lambda cold
start pays before the first request), median and best of several runs; target <= 700 ms.
Latency: the Mangum handler called in-process with API Gateway proxy events carrying the
authorizer's context (as deployed), against moto; target p95 <= 25 ms. The same request
with the Bearer token verified by the app itself (`filmstudio serve`) is shown for scale.
"""

from __future__ import annotations

import copy
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EVENT = REPO / "tests" / "events" / "apigw_rest_proxy_get_job.json"
COLD_RUNS = 5
REQUESTS = 300

_IMPORT = "import time; t = time.perf_counter(); import {module}; print((time.perf_counter() - t) * 1000)"
HANDLER = "functions.api.handler"
# What any FastAPI-on-Lambda handler pays before a line of ours runs: the floor to compare with.
FRAMEWORK = "fastapi, mangum"


def cold_import_ms(runs: int = COLD_RUNS, module: str = HANDLER) -> list[float]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", _IMPORT.format(module=module)], cwd=REPO, env=env, capture_output=True, text=True,
                             check=True)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return times


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def get_job_latency_ms(requests: int = REQUESTS) -> dict[str, dict[str, float]]:
    for key, value in {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_SESSION_TOKEN": "bench",
                       "AWS_DEFAULT_REGION": "us-east-1", "FILMSTUDIO_REGION": "us-east-1"}.items():
        os.environ.setdefault(key, value)
    sys.path.insert(0, str(REPO))
    from datetime import datetime, timezone

    from moto import mock_aws

    from filmstudio import aws, topology
    from filmstudio.auth.keys import reset_key_cache
    from filmstudio.db.base import bind_tables, unbind_tables
    from filmstudio.jobs.store import JobStore
    from filmstudio.localcloud.runtime import LambdaContext
    from filmstudio.models.job import Credits, Job
    from filmstudio.settings import get_settings, reset_settings

    with mock_aws():
        reset_settings(), aws.reset(), unbind_tables(), reset_key_cache()
        models = topology.table_specs()
        bind_tables()
        for model in models.values():
            model.create_table(billing_mode="PAY_PER_REQUEST", wait=False)
        aws.client("s3").create_bucket(Bucket=get_settings().bucket)
        store = JobStore()
        now = datetime.now(timezone.utc)
        job_id, user_id = "benchjob000000000001", "benchuser00000000001"
        store.create(Job(job_id=job_id, project_id="benchproject", user_id=user_id, created_at=now, updated_at=now,
                         credits=Credits(estimate=6, reserved=6)))
        store.start_stage(job_id, "storyboard")
        for stage in ("analyze", "plan"):
            store.record_span(job_id, stage, time.time() - 2, time.time() - 1, rendered=1)

        from filmstudio.auth.tokens import issue_access_token
        from functions.api.handler import handler

        context = LambdaContext("filmstudio-api", 1024, 29)
        base = json.loads(EVENT.read_text())
        base["path"] = f"/v1/jobs/{job_id}"
        base["pathParameters"] = {"proxy": base["path"].lstrip("/")}
        base["requestContext"]["authorizer"].update(principalId=user_id, user_id=user_id)
        bearer = copy.deepcopy(base)
        del bearer["requestContext"]["authorizer"]
        token = issue_access_token(user_id, "free")
        bearer["headers"]["Authorization"] = f"Bearer {token}"
        bearer["multiValueHeaders"]["Authorization"] = [f"Bearer {token}"]

        results = {}
        for name, event in (("authorizer context", base), ("bearer verified in app", bearer)):
            for _ in range(20):  # warm: first-use imports, clients, parsed keys
                out = handler(copy.deepcopy(event), context)
                assert out["statusCode"] == 200, out
            samples = []
            for _ in range(requests):
                e = copy.deepcopy(event)
                t = time.perf_counter()
                out = handler(e, context)
                samples.append((time.perf_counter() - t) * 1000)
                assert out["statusCode"] == 200
            results[name] = {"p50": _percentile(samples, 50), "p95": _percentile(samples, 95),
                             "mean": statistics.fmean(samples)}
        reset_settings(), aws.reset(), unbind_tables(), reset_key_cache()
    return results


def run() -> dict:
    cold = cold_import_ms()
    floor = cold_import_ms(module=FRAMEWORK)
    latency = get_job_latency_ms()
    median_cold = statistics.median(cold)
    print("\n== api: the API Lambda (FastAPI through Mangum)")
    print(f"cold import, median of {len(cold)}     {median_cold:7.0f} ms   (best {min(cold):.0f} ms; target <= 700)")
    print(f"  of which fastapi + mangum  {statistics.median(floor):7.0f} ms   (best {min(floor):.0f} ms, imported alone)")
    for name, figures in latency.items():
        target = "   (target p95 <= 25)" if name == "authorizer context" else ""
        print(f"GET /v1/jobs/{{id}} {name:<24} p50 {figures['p50']:6.2f} ms   p95 {figures['p95']:6.2f} ms{target}")
    return {"cold_import_ms": {"median": median_cold, "best": min(cold), "runs": cold,
                               "framework_median": statistics.median(floor)},
            "get_job_ms": latency}


if __name__ == "__main__":
    run()
