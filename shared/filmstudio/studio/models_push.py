"""`filmstudio models push`: the model directory to the media bucket's weights prefix, for the GPU stack.

The SageMaker models (cdk/gpu.py) load the prefix as uncompressed model data, and the Batch entrypoint
copies it, so the prefix mirrors the directory: `models/<folder>/...` and `models/studio.json`. Only the
folders `models verify` accepts go up (a half-downloaded folder would fail every endpoint's start), and
a file already there with the same size and ETag is skipped: re-pushing tens of GB after changing one
folder should upload that folder only.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from filmstudio.errors import BadInputError
from filmstudio.studio.modeldir import ENV, SETTINGS_FILE, model_dir, verify
from filmstudio.topology import MODEL_WEIGHTS_PREFIX

# Uploads are split into parts of exactly this size, so the ETag S3 gives a file is computable here.
PART_SIZE = 64 * 1024 * 1024


@dataclass
class PushReport:
    bucket: str
    uploaded: list[str] = field(default_factory=list)  # keys
    unchanged: list[str] = field(default_factory=list)
    skipped_folders: list[str] = field(default_factory=list)  # folders verify does not accept
    unused_folders: list[str] = field(default_factory=list)  # complete, but an option studio.json does not select
    bytes_uploaded: int = 0


def s3_etag(path: Path, part_size: int = PART_SIZE) -> str:
    """The ETag S3 gives `path` uploaded as boto3 does with `part_size` as threshold and part size: a file
    under one part is one PUT (its MD5); a larger one is multipart (MD5 of the parts' MD5s, then '-N')."""
    digests = []
    with path.open("rb") as fh:
        while chunk := fh.read(part_size):
            digests.append(hashlib.md5(chunk).digest())
    if path.stat().st_size < part_size:
        return (digests[0] if digests else hashlib.md5(b"").digest()).hex()
    return f"{hashlib.md5(b''.join(digests)).hexdigest()}-{len(digests)}"


def _files(folder: Path) -> list[Path]:
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        # Hub downloads keep their bookkeeping in .cache/ (and lock files): not part of the model.
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        out += [Path(dirpath) / name for name in sorted(filenames) if not name.startswith(".")]
    return out


def plan_push(root: Path) -> tuple[list[tuple[Path, str]], list[str], list[str]]:
    """(file, key) pairs to mirror, the folders left out because verify does not accept them, and those
    left out because they hold a model option the directory's studio.json does not select (every
    instance would copy them at start for nothing)."""
    pairs: list[tuple[Path, str]] = []
    skipped, unused = [], []
    for status in verify(root):
        if not status.present:
            if status.path.is_dir():
                skipped.append(status.spec.name)
            continue
        if status.spec.option and not status.needed:
            unused.append(status.spec.name)
            continue
        for path in _files(status.path):
            pairs.append((path, MODEL_WEIGHTS_PREFIX + path.relative_to(root).as_posix()))
    settings = root / SETTINGS_FILE
    if settings.is_file():
        pairs.append((settings, MODEL_WEIGHTS_PREFIX + SETTINGS_FILE))
    return pairs, skipped, unused


def _remote(store, bucket: str) -> dict[str, tuple[int, str]]:
    from botocore.exceptions import ClientError

    out: dict[str, tuple[int, str]] = {}
    try:
        for key, size, etag in store.listing(MODEL_WEIGHTS_PREFIX):
            out[key] = (size, etag)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in ("NoSuchBucket", "404"):
            raise BadInputError(f"bucket {bucket!r} does not exist (deploy the storage stack, or pass --bucket)",
                                code="BUCKET_NOT_FOUND") from None
        if code in ("AccessDenied", "403"):
            raise BadInputError(f"no access to bucket {bucket!r} with these credentials", code="BUCKET_FORBIDDEN") from None
        raise
    return out


def push(path: str | os.PathLike | None, bucket: str | None = None, *, settings=None,
         part_size: int = PART_SIZE, progress=None) -> PushReport:
    from filmstudio.settings import get_settings
    from filmstudio.storage.artifacts import ArtifactStore

    root = model_dir(path)
    if root is None or not root.is_dir():
        raise BadInputError(f"no model directory {'at ' + str(root) if root else f'(set {ENV} or pass --model-dir)'}",
                            code="STUDIO_MODELS_MISSING")
    pairs, skipped, unused = plan_push(root)
    if not pairs:
        raise BadInputError(f"{root} holds no model folder that 'filmstudio models verify' accepts; "
                            f"fetch them with 'filmstudio models pull'", code="STUDIO_MODELS_MISSING")
    settings = settings or get_settings()
    bucket = bucket or settings.bucket
    store = ArtifactStore(settings, bucket=bucket)
    remote = _remote(store, bucket)
    report = PushReport(bucket, skipped_folders=skipped, unused_folders=unused)
    for file, key in pairs:
        size = file.stat().st_size
        if remote.get(key) == (size, s3_etag(file, part_size)):
            report.unchanged.append(key)
            continue
        store.upload_file(key, file, part_size=part_size)
        report.uploaded.append(key)
        report.bytes_uploaded += size
        if progress:
            progress(key, size)
    return report
