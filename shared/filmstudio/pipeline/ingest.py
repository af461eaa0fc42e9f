"""The S3 trigger: an object under `users/{u}/projects/{p}/raw/` becomes a job.

S3 sends its events to EventBridge; the trigger's rule matches `users/*/projects/*/raw/*` only.

Each object version starts at most one job: the job id (and the execution name) is
derived from bucket, key and version, and the job is created with a conditional put.
Objects that are API asset uploads (they carry `x-amz-meta-asset-id`) are validated
and marked READY or REJECTED instead of starting a job.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import unquote_plus

from filmstudio.errors import BadInputError, ConflictError
from filmstudio.pipeline.intake import job_id_for_object, start_job
from filmstudio.settings import get_settings
from filmstudio.storage.artifacts import ArtifactStore
from filmstudio.storage.keys import parse_upload_key

log = logging.getLogger(__name__)


def handle_s3_event(event: dict[str, Any]) -> list[dict[str, Any]]:
    """Either shape S3 sends: EventBridge's "Object Created" (the trigger's rule; one object, its key
    as written) or a notification's `Records` (keys URL-encoded, spaces as '+')."""
    if event.get("source") == "aws.s3" and event.get("detail-type") == "Object Created":
        detail = event.get("detail") or {}
        obj = detail.get("object") or {}
        return [handle_object((detail.get("bucket") or {}).get("name", ""), obj.get("key", ""),
                              obj.get("version-id"), obj.get("etag"), url_encoded=False)]
    return [handle_record(r) for r in event.get("Records", []) if r.get("eventSource") == "aws:s3"]


def handle_record(record: dict[str, Any]) -> dict[str, Any]:
    obj = record["s3"]["object"]
    return handle_object(record["s3"]["bucket"]["name"], obj["key"], obj.get("versionId"), obj.get("eTag"),
                         url_encoded=True)


def handle_object(bucket: str, raw_key: str, version_id: str | None, etag: str | None, *,
                  url_encoded: bool) -> dict[str, Any]:
    settings = get_settings()
    # An unversioned object's events carry version "null" (EventBridge) or none (notifications).
    version_id = None if version_id in (None, "", "null") else version_id
    version = version_id or etag or "null"
    shown = unquote_plus(raw_key, errors="replace") if url_encoded else raw_key
    if "/raw/" not in shown:
        # The trigger's rule matches uploads only; a notification configured by prefix (or a hand-sent
        # event) can still bring the pipeline's own outputs (generated/, final/). They are not uploads.
        log.debug("not an upload: %s", ascii(raw_key))
        return {"key": ascii(raw_key), "outcome": "ignored", "code": "NOT_AN_UPLOAD"}
    try:
        upload = parse_upload_key(raw_key, url_encoded=url_encoded)
    except BadInputError as exc:
        # Keys outside the upload layout (or hostile ones) never start anything.
        log.warning("ignored object: %s", exc.message, extra={"key": ascii(raw_key)})
        return {"key": ascii(raw_key), "outcome": "ignored", "code": exc.code}
    obj = ArtifactStore(settings, bucket=bucket).get_object(upload.key, version_id)
    data, metadata = obj.data, obj.metadata
    if metadata.get("asset-id"):
        from filmstudio.assets_validation import validate_uploaded_asset

        return validate_uploaded_asset(metadata["asset-id"], upload, data, obj.content_type)
    job_id = job_id_for_object(bucket, upload.key, version)
    try:
        job = start_job(user_id=upload.user_id, project_id=upload.project_id, data=data, filename=upload.filename,
                        tier=metadata.get("tier", settings.default_tier), language=metadata.get("language"),
                        source=f"s3://{bucket}/{upload.key}#{version}", job_id=job_id, settings=settings)
    except ConflictError:
        log.info("object version already started job %s", job_id)
        return {"key": upload.key, "outcome": "duplicate", "job_id": job_id}
    except BadInputError as exc:
        log.warning("refused upload: %s", exc.message, extra={"key": upload.key, "code": exc.code})
        return {"key": upload.key, "outcome": "refused", "code": exc.code, "reason": exc.message}
    return {"key": upload.key, "outcome": "started", "job_id": job.job_id}
