"""The S3 trigger: an object under `users/{u}/projects/{p}/raw/` becomes a job.

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
    return [handle_record(r) for r in event.get("Records", []) if r.get("eventSource") == "aws:s3"]


def handle_record(record: dict[str, Any]) -> dict[str, Any]:
    settings = get_settings()
    bucket = record["s3"]["bucket"]["name"]
    raw_key = record["s3"]["object"]["key"]
    version = record["s3"]["object"].get("versionId") or record["s3"]["object"].get("eTag") or "null"
    if "/raw/" not in unquote_plus(raw_key, errors="replace"):
        # The trigger's prefix filter also lets the pipeline's own outputs (generated/,
        # final/) through: S3 filters have no middle-of-key wildcard. They are not uploads.
        log.debug("not an upload: %s", ascii(raw_key))
        return {"key": ascii(raw_key), "outcome": "ignored", "code": "NOT_AN_UPLOAD"}
    try:
        upload = parse_upload_key(raw_key)
    except BadInputError as exc:
        # Keys outside the upload layout (or hostile ones) never start anything.
        log.warning("ignored object: %s", exc.message, extra={"key": ascii(raw_key)})
        return {"key": ascii(raw_key), "outcome": "ignored", "code": exc.code}
    obj = ArtifactStore(settings, bucket=bucket).get_object(upload.key, record["s3"]["object"].get("versionId"))
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
