"""Assets: presigned POSTs pinned to key, type, size and asset id; the S3 trigger's verdict; ownership."""

from __future__ import annotations

import base64
import json

import pytest
from api_helpers import SCRIPT

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 32


@pytest.fixture
def project(client, alice):
    return client.post("/v1/projects", json={"name": "Uploads"}, headers=alice.headers).json()


def _create(client, user, project, filename="two-cups.fountain", content_type="text/plain", size=None):
    return client.post(f"/v1/projects/{project['project_id']}/assets", headers=user.headers,
                       json={"filename": filename, "content_type": content_type, "size": size or len(SCRIPT)})


def _upload(created: dict, data: bytes, content_type: str | None = None, asset_id: str | None = None) -> dict:
    """What S3 does with a presigned POST: store the object with the form's fields; then its
    ObjectCreated event reaches the ingest Lambda (called here, as S3 would)."""
    from filmstudio.aws import client
    from filmstudio.pipeline.ingest import handle_s3_event
    from filmstudio.settings import get_settings

    fields = created["upload"]["fields"]
    bucket = get_settings().bucket
    s3 = client("s3")
    put = s3.put_object(Bucket=bucket, Key=fields["key"], Body=data,
                        ContentType=content_type or fields["Content-Type"],
                        Metadata={"asset-id": asset_id or fields["x-amz-meta-asset-id"]})
    event = {"Records": [{"eventSource": "aws:s3", "s3": {"bucket": {"name": bucket}, "object": {
        "key": fields["key"], "size": len(data), "versionId": put.get("VersionId"), "eTag": put["ETag"]}}}]}
    return handle_s3_event(event)[0]


def _policy(created: dict) -> dict:
    return json.loads(base64.b64decode(created["upload"]["fields"]["policy"]))


def test_presigned_post_is_pinned_to_key_type_size_and_asset_id(client, alice, project):
    r = _create(client, alice, project)
    assert r.status_code == 201
    created = r.json()
    asset, upload = created["asset"], created["upload"]
    assert asset["status"] == "PENDING" and asset["kind"] == "script"
    key = upload["fields"]["key"]
    assert key.startswith(f"users/{alice.user_id}/projects/{project['project_id']}/raw/")
    conditions = _policy(created)["conditions"]
    assert ["eq", "$key", key] in conditions
    assert ["eq", "$Content-Type", "text/plain"] in conditions
    assert ["eq", "$x-amz-meta-asset-id", asset["asset_id"]] in conditions
    assert ["content-length-range", 1, 1_000_000] in conditions
    assert upload["expires_in"] == 900


def test_hostile_file_names_stay_inside_the_users_prefix(client, alice, project):
    created = _create(client, alice, project, filename="../../other-user/x/../../evil.txt").json()
    key = created["upload"]["fields"]["key"]
    assert ".." not in key and key.count("/") == 5
    assert key.startswith(f"users/{alice.user_id}/projects/{project['project_id']}/raw/")


def test_unsupported_type_is_415_and_oversize_is_413(client, alice, project):
    r = _create(client, alice, project, filename="x.exe", content_type="application/x-msdownload")
    assert r.status_code == 415 and r.json()["error"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    r = _create(client, alice, project, filename="big.png", content_type="image/png", size=11 * 1024 * 1024)
    assert r.status_code == 413
    from filmstudio.db.records import AssetRecord

    assert AssetRecord.count() == 0


def test_a_script_upload_becomes_ready_with_a_download_url(client, alice, project):
    created = _create(client, alice, project).json()
    outcome = _upload(created, SCRIPT.encode())
    assert outcome["outcome"] == "ready"
    got = client.get(f"/v1/assets/{created['asset']['asset_id']}", headers=alice.headers).json()
    assert got["status"] == "READY" and got["size"] == len(SCRIPT.encode())
    assert got["download_url"].startswith("https://") and "Signature" in got["download_url"]


@pytest.mark.parametrize("declared,data,reason", [
    ("text/plain", PNG, "PNG"),
    ("image/png", JPEG, "image/jpeg"),
    ("image/jpeg", b"plain text, not an image", "not a image"),
    ("image/webp", WAV, "audio/wav"),
    ("audio/wav", WEBP, "image/webp"),
])
def test_bytes_that_are_not_what_was_declared_are_rejected(client, alice, project, declared, data, reason):
    created = _create(client, alice, project, filename="f", content_type=declared, size=len(data)).json()
    outcome = _upload(created, data)
    assert outcome["outcome"] == "rejected" and reason in outcome["reason"]
    got = client.get(f"/v1/assets/{created['asset']['asset_id']}", headers=alice.headers).json()
    assert got["status"] == "REJECTED" and reason in got["reason"] and got["download_url"] is None
    from filmstudio.storage.artifacts import ArtifactStore

    assert not ArtifactStore().exists(created["upload"]["fields"]["key"])  # nothing unchecked stays


@pytest.mark.parametrize("declared,data", [("image/png", PNG), ("image/jpeg", JPEG), ("image/webp", WEBP),
                                           ("audio/wav", WAV), ("audio/mpeg", b"ID3\x04" + b"\x00" * 40)])
def test_real_images_and_audio_are_ready(client, alice, project, declared, data):
    created = _create(client, alice, project, filename="f", content_type=declared, size=len(data)).json()
    assert _upload(created, data)["outcome"] == "ready"


def test_a_stored_content_type_other_than_declared_is_rejected(client, alice, project):
    created = _create(client, alice, project).json()
    outcome = _upload(created, SCRIPT.encode(), content_type="text/html")
    assert outcome["outcome"] == "rejected" and "differs" in outcome["reason"]


def test_a_reupload_is_judged_again(client, alice, project):
    created = _create(client, alice, project).json()
    assert _upload(created, SCRIPT.encode())["outcome"] == "ready"
    assert _upload(created, PNG)["outcome"] == "rejected"


def test_metadata_naming_another_users_asset_changes_nothing(client, alice, bob, project):
    theirs = _create(client, alice, project).json()
    bobs_project = client.post("/v1/projects", json={"name": "b"}, headers=bob.headers).json()
    mine = _create(client, bob, bobs_project).json()
    outcome = _upload(mine, PNG, asset_id=theirs["asset"]["asset_id"])
    assert outcome["outcome"] == "ignored" and outcome["code"] == "ASSET_KEY_MISMATCH"
    assert client.get(f"/v1/assets/{theirs['asset']['asset_id']}", headers=alice.headers).json()["status"] == "PENDING"


def test_list_and_delete(client, alice, project):
    ids = [_create(client, alice, project, filename=f"s{i}.txt").json()["asset"]["asset_id"] for i in range(3)]
    page = client.get(f"/v1/projects/{project['project_id']}/assets", params={"limit": 2}, headers=alice.headers)
    first = page.json()
    rest = client.get(f"/v1/projects/{project['project_id']}/assets", params={"cursor": first["next_cursor"]},
                      headers=alice.headers).json()
    assert sorted(a["asset_id"] for a in first["items"] + rest["items"]) == sorted(ids)
    assert client.delete(f"/v1/assets/{ids[0]}", headers=alice.headers).status_code == 204
    assert client.get(f"/v1/assets/{ids[0]}", headers=alice.headers).status_code == 404


def test_another_users_asset_is_404_for_read_delete_list_and_create(client, alice, bob, project):
    asset_id = _create(client, alice, project).json()["asset"]["asset_id"]
    assert client.get(f"/v1/assets/{asset_id}", headers=bob.headers).status_code == 404
    assert client.delete(f"/v1/assets/{asset_id}", headers=bob.headers).status_code == 404
    assert client.get(f"/v1/projects/{project['project_id']}/assets", headers=bob.headers).status_code == 404
    assert _create(client, bob, project).status_code == 404
    assert client.get(f"/v1/assets/{asset_id}", headers=alice.headers).status_code == 200


def test_sniffing():
    from filmstudio.assets_validation import sniff

    assert [sniff(d) for d in (PNG, JPEG, WEBP, WAV, b"ID3\x03", b"\xff\xfb\x90", b"hello")] == [
        "image/png", "image/jpeg", "image/webp", "audio/wav", "audio/mpeg", "audio/mpeg", None]
