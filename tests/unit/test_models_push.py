"""`filmstudio models push`: the model directory mirrored under the bucket's weights prefix (moto S3)."""

from __future__ import annotations

import json

import pytest

from moto_bucket import moto_bucket
from filmstudio.cli import main
from filmstudio.studio import models_push
from filmstudio.topology import MODEL_WEIGHTS_PREFIX

BUCKET = "filmstudio-media-test"


@pytest.fixture
def s3(monkeypatch):
    with moto_bucket(monkeypatch, BUCKET) as client:
        yield client


@pytest.fixture
def model_dir(tmp_path):
    root = tmp_path / "models"
    (root / "storyboard" / "unet").mkdir(parents=True)
    (root / "storyboard" / "model_index.json").write_text(json.dumps({"_class_name": "StableDiffusionXLPipeline"}))
    (root / "storyboard" / "unet" / "diffusion_pytorch_model.safetensors").write_bytes(b"\x01" * 4096)
    # A Hub download's bookkeeping, never part of the model.
    (root / "storyboard" / ".cache" / "huggingface").mkdir(parents=True)
    (root / "storyboard" / ".cache" / "huggingface" / "download.lock").write_text("lock")
    # Incomplete: no model_index.json, so verify does not accept it.
    (root / "motion" / "transformer").mkdir(parents=True)
    (root / "motion" / "transformer" / "partial.safetensors").write_bytes(b"\x02" * 100)
    (root / "studio.json").write_text(json.dumps({"storyboard": {"steps": 2}}))
    return root


def _keys(s3) -> dict[str, int]:
    return {o["Key"]: o["Size"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_push_uploads_only_what_verify_accepts_then_only_what_changed(s3, model_dir, capsys):
    assert main(["models", "push", "--bucket", BUCKET, "--model-dir", str(model_dir)]) == 0
    assert _keys(s3) == {
        f"{MODEL_WEIGHTS_PREFIX}storyboard/model_index.json": (model_dir / "storyboard/model_index.json").stat().st_size,
        f"{MODEL_WEIGHTS_PREFIX}storyboard/unet/diffusion_pytorch_model.safetensors": 4096,
        f"{MODEL_WEIGHTS_PREFIX}studio.json": (model_dir / "studio.json").stat().st_size,
    }
    out = capsys.readouterr()
    assert "3 uploaded" in out.out and "skipped motion/" in out.err

    again = models_push.push(model_dir, BUCKET)
    assert again.uploaded == [] and len(again.unchanged) == 3

    # Same size, different bytes: the ETag, not the size, says it changed.
    (model_dir / "storyboard" / "unet" / "diffusion_pytorch_model.safetensors").write_bytes(b"\x03" * 4096)
    changed = models_push.push(model_dir, BUCKET)
    assert changed.uploaded == [f"{MODEL_WEIGHTS_PREFIX}storyboard/unet/diffusion_pytorch_model.safetensors"]
    body = s3.get_object(Bucket=BUCKET, Key=changed.uploaded[0])["Body"].read()
    assert body == b"\x03" * 4096


def test_a_multipart_upload_is_recognised_as_unchanged(s3, model_dir):
    part = 5 * 1024 * 1024  # S3's smallest part
    big = model_dir / "storyboard" / "unet" / "diffusion_pytorch_model.safetensors"
    big.write_bytes(b"\x04" * part + b"\x05" * 10)
    first = models_push.push(model_dir, BUCKET, part_size=part)
    key = f"{MODEL_WEIGHTS_PREFIX}storyboard/unet/diffusion_pytorch_model.safetensors"
    assert key in first.uploaded
    etag = s3.head_object(Bucket=BUCKET, Key=key)["ETag"].strip('"')
    assert etag.endswith("-2") and etag == models_push.s3_etag(big, part)
    assert key in models_push.push(model_dir, BUCKET, part_size=part).unchanged


@pytest.mark.parametrize("case", ["no_bucket", "nothing_verified", "no_directory"])
def test_bad_input_is_one_line_exit_2_and_writes_nothing(s3, model_dir, tmp_path, capsys, case):
    args = {"no_bucket": ["--bucket", "filmstudio-no-such-bucket", "--model-dir", str(model_dir)],
            "nothing_verified": ["--bucket", BUCKET, "--model-dir", str(tmp_path)],
            "no_directory": ["--bucket", BUCKET, "--model-dir", str(tmp_path / "absent")]}[case]
    assert main(["models", "push", *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    code = {"no_bucket": "BUCKET_NOT_FOUND", "nothing_verified": "STUDIO_MODELS_MISSING",
            "no_directory": "STUDIO_MODELS_MISSING"}[case]
    assert err[0].startswith("filmstudio: error:") and err[0].endswith(f"[{code}]")
    assert _keys(s3) == {}
