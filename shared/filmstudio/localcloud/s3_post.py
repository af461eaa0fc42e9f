"""S3's browser-upload endpoint (POST Object with a policy), served by `filmstudio serve`.

moto's S3 has no address a client outside the process can reach, so the presigned POST
the API hands out under `filmstudio serve` points here. This endpoint judges the form as
S3 does and then stores the object through the S3 API, metadata and all, so the
ObjectCreated trigger sees what S3 would show it:

- the signature (SigV2 or SigV4) over the policy, with the local cloud's credentials;
- the policy's expiration;
- every condition: exact matches, `eq`, `starts-with`, the bucket, `content-length-range`;
- every form field must be covered by a condition (except the signature fields, the
  policy, the file and `x-ignore-*`), as S3 requires.

A form that fails is refused with S3's status and XML error (403 AccessDenied for a policy
condition, 400 EntityTooLarge/EntityTooSmall for the size) and nothing is stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from xml.sax.saxutils import escape

PREFIX = "/local-s3/"
# The largest asset is 50 MB; S3 would take up to 5 GB, but nothing here may be larger.
MAX_FORM_BYTES = 64 * 1024 * 1024
# Fields that sign or carry the form rather than describe the object.
_EXEMPT = {"policy", "signature", "awsaccesskeyid", "x-amz-signature", "file"}


@dataclass
class PostRefused(Exception):
    status: int
    code: str
    message: str


def upload_url(base_url: str, bucket: str) -> str:
    return f"{base_url.rstrip('/')}{PREFIX}{bucket}"


def _secret_for(access_key: str) -> str:
    if access_key != os.environ.get("AWS_ACCESS_KEY_ID"):
        raise PostRefused(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
    return os.environ.get("AWS_SECRET_ACCESS_KEY", "")


def _hmac(key: bytes, msg: str, algo=hashlib.sha256) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), algo).digest()


def check_signature(fields: dict[str, str], region: str) -> None:
    policy = fields["policy"]
    if "x-amz-signature" in fields:
        if fields.get("x-amz-algorithm") != "AWS4-HMAC-SHA256":
            raise PostRefused(400, "InvalidArgument", "x-amz-algorithm must be AWS4-HMAC-SHA256")
        try:
            access_key, day, cred_region, service, terminal = fields.get("x-amz-credential", "").split("/")
        except ValueError:
            raise PostRefused(400, "InvalidArgument", "x-amz-credential is malformed") from None
        if service != "s3" or terminal != "aws4_request" or cred_region != region or \
                not fields.get("x-amz-date", "").startswith(day):
            raise PostRefused(400, "InvalidArgument", "x-amz-credential does not match this bucket's region or date")
        key = _hmac(("AWS4" + _secret_for(access_key)).encode(), day)
        for part in (cred_region, service, terminal):
            key = _hmac(key, part)
        expected = hmac.new(key, policy.encode(), hashlib.sha256).hexdigest()
        given = fields["x-amz-signature"]
    elif "signature" in fields and "awsaccesskeyid" in fields:
        secret = _secret_for(fields["awsaccesskeyid"])
        expected = base64.b64encode(_hmac(secret.encode(), policy, hashlib.sha1)).decode()
        given = fields["signature"]
    else:
        raise PostRefused(403, "AccessDenied", "Bucket POST must contain a signature and the signer's key id")
    if not hmac.compare_digest(expected, given):
        raise PostRefused(403, "SignatureDoesNotMatch",
                          "The request signature we calculated does not match the signature you provided.")


def _policy(fields: dict[str, str]) -> dict[str, Any]:
    try:
        doc = json.loads(base64.b64decode(fields["policy"], validate=True))
        conditions, expiration = doc["conditions"], doc["expiration"]
        expires = datetime.fromisoformat(expiration.replace("Z", "+00:00"))
    except (ValueError, KeyError, TypeError):
        raise PostRefused(400, "InvalidPolicyDocument", "Invalid Policy: the policy is not a valid policy document.") \
            from None
    if not isinstance(conditions, list) or expires.tzinfo is None:
        raise PostRefused(400, "InvalidPolicyDocument", "Invalid Policy: conditions must be a list.")
    return {"conditions": conditions, "expires": expires}


def check_policy(bucket: str, fields: dict[str, str], size: int, now: datetime | None = None) -> None:
    """Raise PostRefused unless the form (field names lower-cased) and a file of `size` bytes
    satisfy the signed policy, as S3 checks it."""
    for required in ("key", "policy"):
        if required not in fields:
            raise PostRefused(400, "InvalidArgument", f"Bucket POST must contain a field named '{required}'.")
    policy = _policy(fields)
    if (now or datetime.now(timezone.utc)) >= policy["expires"]:
        raise PostRefused(403, "AccessDenied", "Invalid according to Policy: Policy expired.")
    values = {**fields, "bucket": bucket}
    covered = {"bucket"}
    for condition in policy["conditions"]:
        if isinstance(condition, dict) and len(condition) == 1:
            (name, want), = condition.items()
            op, name = "eq", name.lower()
        elif isinstance(condition, list) and len(condition) == 3 and condition[0] == "content-length-range":
            low, high = int(condition[1]), int(condition[2])
            if size > high:
                raise PostRefused(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
            if size < low:
                raise PostRefused(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size")
            continue
        elif isinstance(condition, list) and len(condition) == 3 and condition[0] in ("eq", "starts-with") \
                and str(condition[1]).startswith("$"):
            op, name, want = condition[0], str(condition[1])[1:].lower(), condition[2]
        else:
            raise PostRefused(400, "InvalidPolicyDocument", f"Invalid Policy: unknown condition {json.dumps(condition)}")
        covered.add(name)
        have = values.get(name)
        ok = have is not None and (have == want if op == "eq" else have.startswith(str(want)))
        if not ok:
            raise PostRefused(403, "AccessDenied",
                              f"Invalid according to Policy: Policy Condition failed: {json.dumps(condition)}")
    extra = sorted(name for name in fields
                   if name not in covered and name not in _EXEMPT and not name.startswith("x-ignore-"))
    if extra:
        raise PostRefused(403, "AccessDenied", f"Invalid according to Policy: Extra input fields: {', '.join(extra)}")


def error_xml(refused: PostRefused) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{escape(refused.code)}</Code>'
            f"<Message>{escape(refused.message)}</Message></Error>").encode()


def store(bucket: str, fields: dict[str, str], original: dict[str, str], body: bytes) -> str:
    """Write the object through the S3 API, with the form's type and metadata: the trigger runs
    once it is complete, as S3 sends ObjectCreated."""
    from filmstudio.aws import client

    metadata = {name[len("x-amz-meta-"):]: value for name, value in original.items()
                if name.lower().startswith("x-amz-meta-")}
    extra: dict[str, Any] = {"Metadata": metadata}
    if fields.get("content-type"):
        extra["ContentType"] = fields["content-type"]
    return client("s3").put_object(Bucket=bucket, Key=fields["key"], Body=body, **extra).get("ETag", "")


def create_app(*more_routes):
    """The Starlette app behind PREFIX (no API middleware: S3's own limits and errors apply);
    `more_routes`: the bucket's other operations served beside POST (`media.download_route`)."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from filmstudio.settings import get_settings

    def refuse(refused: PostRefused) -> Response:
        return Response(error_xml(refused), status_code=refused.status, media_type="application/xml")

    async def post_object(request: Request) -> Response:
        bucket = request.path_params["bucket"]
        settings = get_settings()
        if bucket != settings.bucket:
            return refuse(PostRefused(404, "NoSuchBucket", "The specified bucket does not exist"))
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > MAX_FORM_BYTES:
            return refuse(PostRefused(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size"))
        if not request.headers.get("content-type", "").startswith("multipart/form-data"):
            return refuse(PostRefused(412, "PreconditionFailed", "Bucket POST must be of the enclosure-type "
                                                                "multipart/form-data"))
        try:
            form = await request.form(max_files=1, max_fields=64)
        except Exception:  # noqa: BLE001  (python-multipart's errors vary by version)
            return refuse(PostRefused(400, "MalformedPOSTRequest",
                                      "The body of your POST request is not well-formed multipart/form-data."))
        try:
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise PostRefused(400, "InvalidArgument", "POST requires exactly one file upload per request.")
            original = {k: v for k, v in form.multi_items() if isinstance(v, str)}
            fields = {k.lower(): v for k, v in original.items()}
            if "${filename}" in fields.get("key", ""):
                fields["key"] = fields["key"].replace("${filename}", os.path.basename(upload.filename or ""))
            body = await upload.read(MAX_FORM_BYTES + 1)
            if len(body) > MAX_FORM_BYTES:
                raise PostRefused(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
            if "policy" not in fields:
                raise PostRefused(400, "InvalidArgument", "Bucket POST must contain a field named 'policy'.")
            check_signature(fields, settings.region)  # first: an unsigned policy is not read
            check_policy(bucket, fields, len(body))
        except PostRefused as refused:
            return refuse(refused)
        finally:
            await form.close()
        etag = await run_in_threadpool(store, bucket, fields, original, body)
        location = f"{str(request.base_url).rstrip('/')}{PREFIX}{bucket}/{fields['key']}"
        status = fields.get("success_action_status", "204")
        if status == "201":
            xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>{escape(location)}</Location>'
                   f"<Bucket>{escape(bucket)}</Bucket><Key>{escape(fields['key'])}</Key><ETag>{escape(etag)}</ETag>"
                   "</PostResponse>")
            return Response(xml, status_code=201, media_type="application/xml", headers={"ETag": etag})
        return Response(status_code=200 if status == "200" else 204, headers={"ETag": etag, "Location": location})

    return Starlette(routes=[Route(PREFIX + "{bucket}", post_object, methods=["POST"]), *more_routes])
