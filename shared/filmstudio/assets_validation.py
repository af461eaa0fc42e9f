"""The S3 trigger's check of an asset upload: is it what it claims to be?

The presigned POST limits size and declared type, but it cannot look inside the bytes,
and an object can also arrive by other paths (the S3 API with the metadata set by
hand). So the trigger reads what was stored and marks the asset READY, or REJECTED
with a reason (and deletes the rejected object: nothing unchecked stays in raw/).
"""

from __future__ import annotations

import logging
from typing import Any

from filmstudio.assets import CONTENT_TYPES, AssetStore, kind_for
from filmstudio.errors import BadInputError
from filmstudio.models.job import AssetStatus
from filmstudio.script_input import decode_script
from filmstudio.storage.keys import UploadKey

log = logging.getLogger(__name__)


def sniff(data: bytes) -> str | None:
    """The media type the bytes' magic numbers say, for the binary kinds we accept."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "audio/wav"
    if data.startswith(b"ID3") or (len(data) >= 2 and data[0] == 0xFF and (data[1] & 0xE0) == 0xE0):
        return "audio/mpeg"
    return None


_SAME = {"audio/x-wav": "audio/wav"}


def check(data: bytes, declared: str, stored_type: str) -> str | None:
    """None if the bytes are an acceptable `declared` asset, else the reason they are not."""
    base = (stored_type or "").split(";", 1)[0].strip().lower()
    if base != declared:
        return f"stored content type {stored_type!r} differs from the declared {declared!r}"
    kind = kind_for(declared)
    if not data:
        return "the upload is empty"
    if len(data) > kind.max_bytes:
        return f"the upload is {len(data):,} bytes; a {kind.name} may be at most {kind.max_bytes:,}"
    if kind.name == "script":
        try:
            decode_script(data)
        except BadInputError as exc:
            return exc.message
        return None
    found = sniff(data)
    if found is None:
        return f"the bytes are not a {kind.name} of a type we accept"
    if _SAME.get(found, found) != _SAME.get(declared, declared):
        return f"declared {declared} but the bytes are {found}"
    return None


def validate_uploaded_asset(asset_id: str, upload: UploadKey, data: bytes, content_type: str) -> dict[str, Any]:
    store = AssetStore()
    asset = store.find(asset_id)
    if asset is None:
        log.warning("upload names unknown asset %s", ascii(asset_id), extra={"key": upload.key})
        return {"key": upload.key, "outcome": "ignored", "code": "UNKNOWN_ASSET"}
    # The metadata is only a claim: it must name this very object of this user's project.
    if (asset.key, asset.user_id, asset.project_id) != (upload.key, upload.user_id, upload.project_id):
        log.warning("upload %s claims asset %s of another key", upload.key, asset_id)
        return {"key": upload.key, "outcome": "ignored", "code": "ASSET_KEY_MISMATCH"}
    reason = check(data, asset.content_type, content_type) if asset.content_type in CONTENT_TYPES else \
        f"content type {asset.content_type!r} is not accepted"
    status = AssetStatus.REJECTED if reason else AssetStatus.READY
    # Every new object version is judged again (an upload URL can be used more than once
    # before it expires), so the status always describes the bytes now stored.
    if not store.mark(asset_id, status, size=len(data), reason=reason):
        return {"key": upload.key, "outcome": "ignored", "code": "ASSET_DELETED"}
    if reason:
        from filmstudio.storage.artifacts import ArtifactStore

        ArtifactStore().delete(upload.key)
        log.info("asset %s rejected: %s", asset_id, reason)
    return {"key": upload.key, "outcome": status.value.lower(), "asset_id": asset_id, "reason": reason}
