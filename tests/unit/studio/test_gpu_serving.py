"""The GPU containers' SageMaker contract and Batch entry, through the real model_fn and S3 (moto)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from moto_bucket import moto_bucket
from filmstudio.studio.container import ModelServer, create_app, run_batch

REPO = Path(__file__).resolve().parents[3]
BUCKET = "gpu-test-bucket"


def inference_module(family: str):
    spec = importlib.util.spec_from_file_location(f"inference_{family}",
                                                  REPO / "gpu_containers" / family / "inference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def s3(monkeypatch):
    with moto_bucket(monkeypatch, BUCKET) as client:
        yield client


@pytest.fixture
def plan_key(s3, lighthouse_plan):
    s3.put_object(Bucket=BUCKET, Key="cache/plan/p.json", Body=lighthouse_plan.model_dump_json().encode())
    return "cache/plan/p.json"


def request_for(plan, stage: str, plan_key: str, **extra) -> dict:
    scene = plan.scenes[0]
    shot = scene.shots[0]
    body = {"stage": stage, "engine_version": "test", "job_id": "job1", "bucket": BUCKET,
            "inputs": {"plan": plan_key}, "output_key": f"cache/{stage}/out"}
    if stage in ("storyboard", "motion"):
        body |= {"scene_id": scene.id, "shot_id": shot.id}
    if stage == "music":
        body |= {"scene_id": scene.id}
    if stage == "speech":
        body |= {"line_id": plan.lines()[0].id}
    body.update(extra)
    return body


def test_ping_is_503_until_the_weights_are_loaded_then_200(studio_env):
    server = ModelServer(inference_module("music"), str(studio_env))
    client = TestClient(create_app(server, load_on_startup=False))
    first = client.get("/ping")
    assert first.status_code == 503 and first.json()["status"] == "loading"
    early = client.post("/invocations", content=b"{}", headers={"content-type": "application/json"})
    assert early.status_code == 503 and early.json()["error"]["code"] == "MODEL_LOADING"
    server.load()
    assert client.get("/ping").status_code == 200


def test_a_model_directory_that_cannot_load_stays_503_with_the_reason(tmp_path):
    server = ModelServer(inference_module("visual"), str(tmp_path))
    server.load()
    ping = TestClient(create_app(server, load_on_startup=False)).get("/ping")
    assert ping.status_code == 503 and ping.json()["status"] == "failed"
    assert "storyboard" in ping.json()["error"]


def test_startup_loads_in_the_background(studio_env):
    server = ModelServer(inference_module("music"), str(studio_env))
    with TestClient(create_app(server)) as client:  # runs the startup hook
        import time

        deadline = time.monotonic() + 120
        while client.get("/ping").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert client.get("/ping").status_code == 200


@pytest.fixture
def visual(studio_env):
    server = ModelServer(inference_module("visual"), str(studio_env))
    server.load()
    assert server.ready, server.error
    return TestClient(create_app(server, load_on_startup=False))


@pytest.mark.parametrize("body, content_type, status, code", [
    (b"not json", "application/json", 400, "INVALID_JSON"),
    (b"{}", "text/plain", 415, "UNSUPPORTED_CONTENT_TYPE"),
    (json.dumps({"stage": "painting"}).encode(), "application/json", 400, "INVALID_REQUEST"),
])
def test_bad_requests_are_4xx_with_a_code(visual, body, content_type, status, code):
    r = visual.post("/invocations", content=body, headers={"content-type": content_type})
    assert r.status_code == status and r.json()["error"]["code"] == code


def test_a_request_missing_its_ids_or_with_unknown_fields_is_refused(visual, lighthouse_plan, plan_key, s3):
    body = request_for(lighthouse_plan, "storyboard", plan_key)
    del body["shot_id"]
    r = visual.post("/invocations", json=body)
    assert r.status_code == 400 and "shot_id" in r.json()["error"]["message"]
    r = visual.post("/invocations", json=request_for(lighthouse_plan, "storyboard", plan_key, prompt="inline!"))
    assert r.status_code == 400 and r.json()["error"]["code"] == "INVALID_REQUEST"
    assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET, Prefix="cache/storyboard/")


def test_a_stage_of_another_family_or_a_missing_key_is_refused(visual, lighthouse_plan, plan_key, s3):
    r = visual.post("/invocations", json=request_for(lighthouse_plan, "music", plan_key))
    assert r.status_code == 400 and r.json()["error"]["code"] == "WRONG_FAMILY"
    r = visual.post("/invocations", json=request_for(lighthouse_plan, "storyboard", "cache/plan/none.json"))
    assert r.status_code == 400 and r.json()["error"]["code"] == "BAD_INPUT_KEY"
    r = visual.post("/invocations", json=request_for(lighthouse_plan, "storyboard", plan_key, shot_id="nope"))
    assert r.status_code == 400 and r.json()["error"]["code"] == "UNKNOWN_ID"


def test_invocations_writes_the_output_key_and_answers_with_keys(visual, lighthouse_plan, plan_key, s3):
    r = visual.post("/invocations", json=request_for(lighthouse_plan, "storyboard", plan_key))
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["output_key"] == "cache/storyboard/out" and answer["device"] == "cpu"
    assert set(answer["model_ids"]) == {"storyboard", "ip_adapter", "motion"} and answer["gpu_seconds"] > 0
    png = s3.get_object(Bucket=BUCKET, Key="cache/storyboard/out")
    assert png["ContentType"] == "image/png" and png["Body"].read()[:8] == b"\x89PNG\r\n\x1a\n"

    motion = request_for(lighthouse_plan, "motion", plan_key, output_key="cache/motion/out",
                         parameters={"duration": 1.5})
    motion["inputs"]["panel"] = "cache/storyboard/out"
    r = visual.post("/invocations", json=motion)
    assert r.status_code == 200, r.text
    assert r.json()["duration"] == pytest.approx(1.5, abs=0.05)


def test_batch_entry_runs_one_request_from_s3(studio_env, lighthouse_plan, plan_key, s3, capsys):
    body = request_for(lighthouse_plan, "music", plan_key, parameters={"duration": 2.0})
    s3.put_object(Bucket=BUCKET, Key="requests/r1.json", Body=json.dumps(body).encode())
    assert run_batch(inference_module("music"), f"s3://{BUCKET}/requests/r1.json", str(studio_env)) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["duration"] == pytest.approx(2.0, abs=0.01)
    stored = json.loads(s3.get_object(Bucket=BUCKET, Key="cache/music/out.response.json")["Body"].read())
    assert stored == answer

    s3.put_object(Bucket=BUCKET, Key="requests/bad.json", Body=b'{"stage": "music"}')
    assert run_batch(inference_module("music"), f"s3://{BUCKET}/requests/bad.json", str(studio_env)) == 2
    assert "[INVALID_REQUEST]" in capsys.readouterr().err
    assert run_batch(inference_module("music"), "requests/r1.json", str(studio_env)) == 2


def test_a_batch_job_that_fails_leaves_its_reason_beside_the_output(studio_env, lighthouse_plan, s3, capsys):
    # The request parses, but its plan is not in the bucket: the job fails, and says why where
    # the callback looks (Batch's own event would carry only the exit code).
    body = request_for(lighthouse_plan, "music", "plans/missing.json", parameters={"duration": 2.0})
    s3.put_object(Bucket=BUCKET, Key="requests/r2.json", Body=json.dumps(body).encode())
    assert run_batch(inference_module("music"), f"s3://{BUCKET}/requests/r2.json", str(studio_env)) == 2
    error = json.loads(s3.get_object(Bucket=BUCKET, Key="cache/music/out.error.json")["Body"].read())["error"]
    assert error["code"] in capsys.readouterr().err and "plans/missing.json" in error["message"]


def test_voice_family_answers_and_records_its_fallback(studio_env, lighthouse_plan, plan_key, s3):
    server = ModelServer(inference_module("voice"), str(studio_env))
    server.load()
    client = TestClient(create_app(server, load_on_startup=False))
    r = client.post("/invocations", json=request_for(lighthouse_plan, "speech", plan_key))
    assert r.status_code == 200, r.text
    assert r.json()["fallback"].startswith("eSpeak NG") and r.json()["duration"] > 0.3


def test_seed_and_reference_keys_steer_the_key_frame(visual, lighthouse_plan, plan_key, s3):
    from io import BytesIO

    import numpy as np
    from PIL import Image

    scene = next(sc for sc in lighthouse_plan.scenes if any(sh.characters for sh in sc.shots))
    shot = next(sh for sh in scene.shots if sh.characters)

    def render(key: str, **extra) -> np.ndarray:
        body = request_for(lighthouse_plan, "storyboard", plan_key, scene_id=scene.id, shot_id=shot.id,
                           output_key=key, **extra)
        if "references" in extra:
            body["inputs"]["references"] = body.pop("references")
        r = visual.post("/invocations", json=body)
        assert r.status_code == 200, r.text
        return np.asarray(Image.open(BytesIO(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())))

    base = render("k/base", parameters={"seed": 11})
    assert np.array_equal(base, render("k/again", parameters={"seed": 11}))
    assert not np.array_equal(base, render("k/seed12", parameters={"seed": 12}))
    portrait = BytesIO()
    Image.new("RGB", (32, 32), (250, 20, 20)).save(portrait, format="PNG")
    s3.put_object(Bucket=BUCKET, Key="refs/red.png", Body=portrait.getvalue())
    steered = render("k/ref", parameters={"seed": 11}, references={shot.characters[0]: "refs/red.png"})
    assert not np.array_equal(base, steered)
    bad = request_for(lighthouse_plan, "storyboard", plan_key, scene_id=scene.id, shot_id=shot.id)
    bad["inputs"]["references"] = {shot.characters[0]: "refs/none.png"}
    r = visual.post("/invocations", json=bad)
    assert r.status_code == 400 and r.json()["error"]["code"] == "BAD_INPUT_KEY"


def test_speech_refuses_steps():
    from pydantic import ValidationError

    from filmstudio.studio.contract import StudioRequest

    with pytest.raises(ValidationError, match="no denoising steps"):
        StudioRequest.model_validate({"stage": "speech", "engine_version": "v", "job_id": "j", "bucket": "bkt",
                                      "line_id": "s1-l1", "inputs": {"plan": "p"}, "output_key": "o",
                                      "parameters": {"steps": 4}})
