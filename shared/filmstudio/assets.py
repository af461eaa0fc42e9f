"""Assets: uploads into a project through a presigned POST, validated by the S3 trigger.

The presigned POST pins everything the uploader could otherwise choose: the exact key
(under the user's own raw/ prefix), the declared content type, a size range, and the
asset id as object metadata, which is how the S3 trigger tells an asset upload from a
script meant to start a job (`filmstudio.pipeline.ingest`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from pynamodb.exceptions import DoesNotExist, UpdateError

from filmstudio import aws
from filmstudio.db.base import bind_tables, first_time, get_owned
from filmstudio.db.records import AssetRecord
from filmstudio.errors import BadInputError
from filmstudio.models.job import Asset, AssetStatus
from filmstudio.script_input import MAX_SCRIPT_BYTES
from filmstudio.settings import Settings, get_settings
from filmstudio.storage.keys import raw_key, safe_filename


@dataclass(frozen=True)
class Kind:
    name: str
    max_bytes: int


SCRIPT = Kind("script", MAX_SCRIPT_BYTES)
IMAGE = Kind("image", 10 * 1024 * 1024)
AUDIO = Kind("audio", 50 * 1024 * 1024)

# Declared content type -> kind. Anything else is refused before an upload URL exists.
CONTENT_TYPES: dict[str, Kind] = {
    "text/plain": SCRIPT,
    "text/markdown": SCRIPT,
    "text/x-fountain": SCRIPT,
    "image/png": IMAGE,
    "image/jpeg": IMAGE,
    "image/webp": IMAGE,
    "audio/wav": AUDIO,
    "audio/x-wav": AUDIO,
    "audio/mpeg": AUDIO,
}
UPLOAD_URL_SECONDS = 900
DOWNLOAD_URL_SECONDS = 3600


def kind_for(content_type: str) -> Kind:
    kind = CONTENT_TYPES.get(content_type.split(";", 1)[0].strip().lower())
    if kind is None:
        raise BadInputError(f"content type {content_type!r} is not accepted; use one of {sorted(CONTENT_TYPES)}",
                            code="UNSUPPORTED_MEDIA_TYPE", http_status=415)
    return kind


def to_asset(rec: AssetRecord) -> Asset:
    return Asset(asset_id=rec.asset_id, project_id=rec.project_id, user_id=rec.user_id, kind=rec.kind or "",
                 filename=rec.filename or "", content_type=rec.content_type or "", key=rec.key or "",
                 size=int(rec.size) if rec.size is not None else None,
                 status=AssetStatus(rec.status or AssetStatus.PENDING.value), reason=rec.reason,
                 created_at=first_time(rec.created_at, rec.updated_at),
                 updated_at=first_time(rec.updated_at, rec.created_at))


def _now() -> datetime:
    return datetime.now(timezone.utc)


class AssetStore:
    def __init__(self, settings: Settings | None = None, s3=None):
        self.settings = settings or get_settings()
        bind_tables(self.settings)
        self._s3 = s3

    s3 = aws.ClientAttribute("s3")

    def create(self, user_id: str, project_id: str, filename: str, content_type: str,
               size: int, base_url: str | None = None) -> tuple[Asset, dict[str, Any]]:
        """A PENDING asset and the presigned POST (url, fields) that uploads it. `base_url`: the
        API's own address, where `filmstudio serve` takes uploads (moto's S3 has none)."""
        content_type = content_type.split(";", 1)[0].strip().lower()
        kind = kind_for(content_type)
        if not 0 < size <= kind.max_bytes:
            raise BadInputError(f"a {kind.name} must be 1 to {kind.max_bytes:,} bytes; declared {size:,}",
                                code="ASSET_TOO_LARGE", http_status=413)
        asset_id = uuid.uuid4().hex[:20]
        # The id in the key keeps two uploads of one file name apart.
        key = raw_key(user_id, project_id, f"{asset_id}-{safe_filename(filename)}")
        now = _now()
        rec = AssetRecord(asset_id=asset_id, project_id=project_id, user_id=user_id, kind=kind.name,
                          filename=safe_filename(filename), content_type=content_type, key=key, size=size,
                          status=AssetStatus.PENDING.value, created_at=now, updated_at=now)
        rec.save(condition=AssetRecord.asset_id.does_not_exist())
        return to_asset(rec), self.presigned_post(rec, kind, base_url)

    def presigned_post(self, rec: AssetRecord, kind: Kind, base_url: str | None = None) -> dict[str, Any]:
        fields = {"Content-Type": rec.content_type, "x-amz-meta-asset-id": rec.asset_id}
        conditions = [
            {"bucket": self.settings.bucket},
            ["eq", "$key", rec.key],
            ["eq", "$Content-Type", rec.content_type],
            ["eq", "$x-amz-meta-asset-id", rec.asset_id],
            ["content-length-range", 1, kind.max_bytes],
        ]
        post = self.s3.generate_presigned_post(Bucket=self.settings.bucket, Key=rec.key, Fields=fields,
                                               Conditions=conditions, ExpiresIn=UPLOAD_URL_SECONDS)
        from filmstudio.storage.media_links import media_links

        url = media_links(self.settings, self._s3).upload_url(post["url"], base_url=base_url)
        return {"url": url, "fields": post["fields"], "expires_in": UPLOAD_URL_SECONDS,
                "max_bytes": kind.max_bytes}

    def _owned(self, user_id: str, asset_id: str) -> AssetRecord:
        return get_owned(AssetRecord, asset_id, user_id, what="asset")

    def get(self, user_id: str, asset_id: str) -> Asset:
        return to_asset(self._owned(user_id, asset_id))

    def find(self, asset_id: str) -> Asset | None:
        """The asset whoever owns it (for the S3 trigger, which learns the owner from the key)."""
        try:
            return to_asset(AssetRecord.get(asset_id, consistent_read=True))
        except DoesNotExist:
            return None

    def mark(self, asset_id: str, status: AssetStatus, *, size: int, reason: str | None = None) -> bool:
        """Record the verdict on the stored bytes; False if the asset was deleted meanwhile."""
        actions = [AssetRecord.status.set(status.value), AssetRecord.size.set(size), AssetRecord.updated_at.set(_now())]
        if reason:
            actions.append(AssetRecord.reason.set(reason[:500]))
        try:
            AssetRecord(asset_id=asset_id).update(actions=actions, condition=AssetRecord.asset_id.exists())
        except UpdateError as exc:
            if getattr(exc, "cause_response_code", None) != "ConditionalCheckFailedException":
                raise
            return False
        return True

    def list(self, project_id: str, *, limit: int = 20, after: dict | None = None) -> tuple[list[Asset], dict | None]:
        """The project's assets (the caller has checked the project is the user's)."""
        result = AssetRecord.by_project.query(project_id, scan_index_forward=False, limit=limit,
                                              last_evaluated_key=after)
        return [to_asset(rec) for rec in result], result.last_evaluated_key

    def download_url(self, asset: Asset, base_url: str | None = None) -> str | None:
        """Where a READY asset is fetched (the API's `base_url` for links that point there)."""
        if asset.status != AssetStatus.READY:
            return None
        from filmstudio.storage.media_links import media_links

        return media_links(self.settings, self._s3).download_url(asset.key, expires_s=DOWNLOAD_URL_SECONDS, base_url=base_url)

    def read(self, asset: Asset) -> bytes:
        return self.s3.get_object(Bucket=self.settings.bucket, Key=asset.key)["Body"].read()

    def forget_project(self, project_id: str) -> None:
        """Delete every asset record of the project (its objects go with the project's prefix)."""
        for rec in AssetRecord.by_project.query(project_id):
            rec.delete()

    def delete(self, user_id: str, asset_id: str) -> None:
        rec = self._owned(user_id, asset_id)
        self.s3.delete_object(Bucket=self.settings.bucket, Key=rec.key)
        rec.delete(condition=AssetRecord.user_id == user_id)
