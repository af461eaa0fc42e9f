"""The media bucket's layout (DESIGN §3); every key the project writes is built here.

    users/{user}/projects/{project}/raw/{file}            uploads (the S3 trigger's prefix)
    users/{user}/projects/{project}/generated/{job}/...   per-job intermediates (manifest, plan)
    users/{user}/projects/{project}/final/{job}/...       the finished film and its companions
    cache/{stage}/{hash}[.ext]                            content-addressed stage outputs
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote_plus

from filmstudio.errors import BadInputError

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _check_id(kind: str, value: str) -> str:
    if not _ID.match(value or ""):
        raise BadInputError(f"invalid {kind} id {value!r}", code="INVALID_KEY")
    return value


def safe_filename(name: str) -> str:
    """A file name that is safe as one key segment: no separators, no dot-dot, ASCII."""
    base = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = base.replace("\\", "/").rsplit("/", 1)[-1]
    base = _SAFE_NAME.sub("-", base).strip(".-") or "script"
    return base[:120]


def project_prefix(user_id: str, project_id: str) -> str:
    return f"users/{_check_id('user', user_id)}/projects/{_check_id('project', project_id)}"


# Every raw upload and every job's generated files, as IAM resource patterns over the media
# bucket (see raw_key, generated_key).
RAW_KEYS_PATTERN = "users/*/projects/*/raw/*"
GENERATED_KEYS_PATTERN = "users/*/projects/*/generated/*"


def raw_key(user_id: str, project_id: str, filename: str) -> str:
    return f"{project_prefix(user_id, project_id)}/raw/{safe_filename(filename)}"


def generated_key(user_id: str, project_id: str, job_id: str, name: str) -> str:
    return f"{project_prefix(user_id, project_id)}/generated/{_check_id('job', job_id)}/{name}"


def final_key(user_id: str, project_id: str, job_id: str, name: str) -> str:
    return f"{project_prefix(user_id, project_id)}/final/{_check_id('job', job_id)}/{name}"


def cache_key(stage: str, digest: str, ext: str = "") -> str:
    return f"cache/{stage}/{digest}{ext}"


@dataclass(frozen=True)
class UploadKey:
    user_id: str
    project_id: str
    filename: str
    key: str


def parse_upload_key(raw: str, *, url_encoded: bool = True) -> UploadKey:
    """Read an S3 event's object key as an upload under `users/{u}/projects/{p}/raw/{file}`.

    S3 event keys arrive URL-encoded (spaces as '+'). Anything else, including '..'
    segments, a non-UTF-8 name or a nested path, is refused with INVALID_KEY.
    """
    try:
        key = unquote_plus(raw, encoding="utf-8", errors="strict") if url_encoded else raw
    except UnicodeDecodeError:
        raise BadInputError("object key is not valid UTF-8", code="INVALID_KEY") from None
    if any(ord(ch) < 32 or ch == "\x7f" for ch in key):
        raise BadInputError("object key contains control characters", code="INVALID_KEY")
    parts = key.split("/")
    if len(parts) != 6 or parts[0] != "users" or parts[2] != "projects" or parts[4] != "raw":
        raise BadInputError(f"not an upload key: {key!r}", code="INVALID_KEY")
    if any(p in ("", ".", "..") for p in parts):
        raise BadInputError(f"object key has an empty or dot segment: {key!r}", code="INVALID_KEY")
    _check_id("user", parts[1])
    _check_id("project", parts[3])
    return UploadKey(user_id=parts[1], project_id=parts[3], filename=parts[5], key=key)
