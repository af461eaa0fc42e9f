"""Content-addressed artifacts in S3.

An artifact's key is the hash of the stage name, the engine version and the stage's
inputs (`digest`), so a re-run finds what did not change and renders only the rest.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from filmstudio.aws import client
from filmstudio.settings import Settings, get_settings
from filmstudio.storage.keys import cache_key


def digest(stage: str, engine_version: str, inputs: Any) -> str:
    """sha256 over a canonical JSON of (stage, engine version, inputs)."""
    blob = json.dumps([stage, engine_version, inputs], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def artifact_key(stage: str, engine_version: str, inputs: Any, ext: str) -> str:
    return cache_key(stage, digest(stage, engine_version, inputs), ext)


class ArtifactStore:
    """Reads and writes the media bucket; takes an optional boto3 client (no clients at import time)."""

    def __init__(self, settings: Settings | None = None, s3=None):
        self.settings = settings or get_settings()
        self.bucket = self.settings.bucket
        self._s3 = s3

    @property
    def s3(self):
        if self._s3 is None:
            self._s3 = client("s3", self.settings)
        return self._s3

    def exists(self, key: str) -> bool:
        try:
            self.s3.head_object(Bucket=self.bucket, Key=key)
            return True
        except ClientError as exc:
            if exc.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
                return False
            raise

    def put_bytes(self, key: str, data: bytes, content_type: str = "application/octet-stream",
                  metadata: dict[str, str] | None = None) -> str:
        self.s3.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type, Metadata=metadata or {})
        return key

    def put_json(self, key: str, obj: Any) -> str:
        if hasattr(obj, "model_dump_json"):
            data = obj.model_dump_json(indent=2).encode("utf-8")
        else:
            data = json.dumps(obj, ensure_ascii=False, indent=2).encode("utf-8")
        return self.put_bytes(key, data, "application/json")

    def put_file(self, key: str, path: Path, content_type: str = "application/octet-stream",
                 metadata: dict[str, str] | None = None) -> str:
        extra = {"ContentType": content_type, "Metadata": metadata or {}}
        self.s3.upload_file(str(path), self.bucket, key, ExtraArgs=extra)
        return key

    def get_bytes(self, key: str) -> bytes:
        return self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def get_json(self, key: str) -> Any:
        return json.loads(self.get_bytes(key))

    def get_metadata(self, key: str) -> dict[str, str]:
        return self.s3.head_object(Bucket=self.bucket, Key=key).get("Metadata", {})

    def download(self, key: str, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.s3.download_file(self.bucket, key, str(path))
        return path

    def delete_prefix(self, prefix: str) -> int:
        n = 0
        paginator = self.s3.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            objs = [{"Key": o["Key"]} for o in page.get("Contents", [])]
            if objs:
                self.s3.delete_objects(Bucket=self.bucket, Delete={"Objects": objs})
                n += len(objs)
        return n
