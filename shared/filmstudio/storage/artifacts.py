"""Content-addressed artifacts in S3.

An artifact's key is the hash of the stage name, the engine version and the stage's
inputs (`digest`), so a re-run finds what did not change and renders only the rest.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from botocore.exceptions import ClientError

from filmstudio import aws
from filmstudio.settings import Settings, get_settings
from filmstudio.storage.keys import cache_key


def digest(stage: str, engine_version: str, inputs: Any) -> str:
    """sha256 over a canonical JSON of (stage, engine version, inputs)."""
    blob = json.dumps([stage, engine_version, inputs], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def artifact_key(stage: str, engine_version: str, inputs: Any, ext: str) -> str:
    return cache_key(stage, digest(stage, engine_version, inputs), ext)


@dataclass(frozen=True)
class StoredObject:
    """One object as read back: its bytes and what S3 stored beside them."""

    data: bytes
    content_type: str = ""
    metadata: dict[str, str] = field(default_factory=dict)


class ArtifactStore:
    """Reads and writes the media bucket (or `bucket`, for a request that names its own); takes
    an optional boto3 client (no clients at import time). The only module that speaks S3's
    object API for the pipeline, the API and the GPU containers."""

    def __init__(self, settings: Settings | None = None, s3=None, bucket: str | None = None):
        self.settings = settings or get_settings()
        self.bucket = bucket or self.settings.bucket
        self._s3 = s3

    s3 = aws.ClientAttribute("s3")

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

    def get_object(self, key: str, version: str | None = None) -> StoredObject:
        """The object (that version of it, if given) with its content type and metadata."""
        kwargs = {"VersionId": version} if version else {}
        obj = self.s3.get_object(Bucket=self.bucket, Key=key, **kwargs)
        return StoredObject(obj["Body"].read(), obj.get("ContentType", ""), obj.get("Metadata", {}))

    def stream(self, key: str, chunk: int = 1 << 16) -> tuple[Iterator[bytes], str, int]:
        """(chunks, content type, length): for serving an object without holding it in memory."""
        obj = self.s3.get_object(Bucket=self.bucket, Key=key)
        return obj["Body"].iter_chunks(chunk), obj.get("ContentType", ""), int(obj["ContentLength"])

    def get_json(self, key: str) -> Any:
        return json.loads(self.get_bytes(key))

    def get_metadata(self, key: str) -> dict[str, str]:
        return self.s3.head_object(Bucket=self.bucket, Key=key).get("Metadata", {})

    def metadata_if_exists(self, key: str) -> dict[str, str] | None:
        """The object's metadata, or None if there is no such object (one request, not two)."""
        try:
            return self.get_metadata(key)
        except ClientError as exc:
            if exc.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def download(self, key: str, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.s3.download_file(self.bucket, key, str(path))
        return path

    def copy(self, source: str, dest: str) -> str:
        self.s3.copy_object(Bucket=self.bucket, Key=dest, CopySource={"Bucket": self.bucket, "Key": source})
        return dest

    def delete(self, key: str) -> None:
        self.s3.delete_object(Bucket=self.bucket, Key=key)

    def keys(self, prefix: str) -> Iterator[str]:
        for key, _, _ in self.listing(prefix):
            yield key

    def listing(self, prefix: str) -> Iterator[tuple[str, int, str]]:
        """(key, size, ETag without quotes) of every object under `prefix`."""
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            for obj in page.get("Contents", []):
                yield obj["Key"], obj["Size"], obj["ETag"].strip('"')

    def upload_file(self, key: str, path: Path, *, part_size: int) -> None:
        """A large file in `part_size` parts (its ETag is then predictable: see studio.models_push)."""
        self.s3.upload_file(str(path), self.bucket, key, Config=aws.transfer_config(part_size))

    def presigned_get(self, key: str, expires_s: int) -> str:
        return self.s3.generate_presigned_url("get_object", Params={"Bucket": self.bucket, "Key": key},
                                              ExpiresIn=expires_s)

    def delete_prefix(self, prefix: str) -> int:
        n = 0
        paginator = self.s3.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            objs = [{"Key": o["Key"]} for o in page.get("Contents", [])]
            if objs:
                self.s3.delete_objects(Bucket=self.bucket, Delete={"Objects": objs})
                n += len(objs)
        return n
