"""The voice image's SageMaker contract (gpu_containers/voice/inference.py) on tiny Indic Parler-TTS."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from filmstudio.engines.preview.audio import SAMPLE_RATE, read_wav
from filmstudio.studio import tiny_speech
from filmstudio.studio.container import ModelServer, create_app, run_batch
from moto_bucket import moto_bucket

REPO = Path(__file__).resolve().parents[2]
BUCKET = "voice-test-bucket"


def voice_inference():
    spec = importlib.util.spec_from_file_location("inference_voice", REPO / "gpu_containers" / "voice" / "inference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def s3(monkeypatch, plan):
    with moto_bucket(monkeypatch, BUCKET) as client:
        client.put_object(Bucket=BUCKET, Key="cache/plan/p.json", Body=plan.model_dump_json().encode())
        yield client


def request(line_id: str, output_key: str, **parameters) -> dict:
    return {"stage": "speech", "engine_version": "test", "job_id": "job1", "bucket": BUCKET, "line_id": line_id,
            "inputs": {"plan": "cache/plan/p.json"}, "output_key": output_key, "parameters": parameters}


def test_ping_is_503_until_parler_is_loaded_then_lines_are_spoken_by_it(voice_env, s3, tmp_path):
    server = ModelServer(voice_inference(), str(voice_env))
    client = TestClient(create_app(server, load_on_startup=False))
    assert client.get("/ping").status_code == 503
    r = client.post("/invocations", json=request("s1-l1", "cache/speech/early"))
    assert r.status_code == 503 and r.json()["error"]["code"] == "MODEL_LOADING"
    server.load()
    assert server.error is None and client.get("/ping").status_code == 200
    assert set(server.model.model_ids) == {"speech"}  # model_fn loaded Parler-TTS before /ping said ready

    r = client.post("/invocations", json=request("s1-l1", "cache/speech/hi", seed=3))
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["fallback"] is None and answer["engine"].startswith("studio-speech-parler@")
    wav = s3.get_object(Bucket=BUCKET, Key="cache/speech/hi")
    assert wav["ContentType"] == "audio/wav"
    (tmp_path / "hi.wav").write_bytes(wav["Body"].read())
    samples, rate = read_wav(tmp_path / "hi.wav")
    assert rate == SAMPLE_RATE and answer["duration"] == pytest.approx(len(samples) / rate, abs=1e-3)
    assert tiny_speech.MIN_FRAMES / tiny_speech.FRAME_RATE - 0.02 <= answer["duration"]
    assert answer["duration"] <= tiny_speech.MAX_FRAMES / tiny_speech.FRAME_RATE + 0.02

    r = client.post("/invocations", json=request("s3-l1", "cache/speech/fr"))
    assert r.status_code == 200 and r.json()["fallback"] == "eSpeak NG: Indic Parler-TTS does not speak 'fr'"
    r = client.post("/invocations", json=request("s9-l9", "cache/speech/none"))
    assert r.status_code == 400 and r.json()["error"]["code"] == "UNKNOWN_ID"


def test_the_batch_entry_speaks_one_line_from_s3(voice_env, s3, capsys):
    s3.put_object(Bucket=BUCKET, Key="requests/r1.json", Body=json.dumps(request("s2-l1", "cache/speech/b")).encode())
    assert run_batch(voice_inference(), f"s3://{BUCKET}/requests/r1.json", str(voice_env)) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["fallback"] is None and answer["model_ids"].keys() == {"speech"}
    stored = json.loads(s3.get_object(Bucket=BUCKET, Key="cache/speech/b.response.json")["Body"].read())
    assert stored == answer


def test_without_the_text_encoders_tokenizer_the_container_stays_503_and_says_so(voice_models, tmp_path, monkeypatch):
    # What `models pull speech` alone gives: the repository's own (prompt) tokenizer, whose Indic
    # vocabulary the T5 text encoder cannot read the description with.
    speech = tmp_path / "models" / "speech"
    speech.mkdir(parents=True)
    for f in (voice_models / "speech").iterdir():
        if f.name != "description_tokenizer":
            (speech / f.name).symlink_to(f)
    monkeypatch.setenv("FILMSTUDIO_STUDIO_DEVICE", "cpu")
    server = ModelServer(voice_inference(), str(tmp_path / "models"))
    server.load()
    ping = TestClient(create_app(server, load_on_startup=False)).get("/ping")
    assert ping.status_code == 503 and ping.json()["status"] == "failed"
    assert "description_tokenizer is missing" in ping.json()["error"] and "flan-t5" in ping.json()["error"]
