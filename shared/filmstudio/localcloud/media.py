"""The media bucket over HTTP under `filmstudio serve`: signed download links and the GET
endpoint that honours them, as S3's presigned URLs and S3 do on AWS.

moto's S3 has no address a browser can reach, so `serve` installs `LocalMediaLinks` as the
process's links (`storage/media_links.py`): job outputs, storyboard panels and asset
downloads then point at `/local-s3/{bucket}/{key}?expires=…&signature=…` on the server
itself, and uploads at its POST endpoint (`s3_post.py`). The signature is an HMAC over the
bucket, key and expiry with a key this server made at start: like a presigned URL it
needs no other credentials, and it cannot be altered to reach another object.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from urllib.parse import quote

from filmstudio.localcloud.s3_post import PREFIX, upload_url
from filmstudio.settings import Settings
from filmstudio.storage.media_links import MediaLinks


class LocalMediaLinks(MediaLinks):
    def __init__(self, settings: Settings | None = None, secret: bytes | None = None):
        super().__init__(settings)
        self._secret = secret or secrets.token_bytes(32)

    def _sign(self, bucket: str, key: str, expires: int) -> str:
        return hmac.new(self._secret, f"{bucket}\n{key}\n{expires}".encode(), hashlib.sha256).hexdigest()

    def download_url(self, key: str, *, expires_s: int, base_url: str | None = None) -> str:
        if not base_url:  # no server address to point at (a caller outside a request)
            return super().download_url(key, expires_s=expires_s)
        bucket = self.settings.bucket
        expires = int(time.time()) + int(expires_s)
        return (f"{base_url.rstrip('/')}{PREFIX}{bucket}/{quote(key)}"
                f"?expires={expires}&signature={self._sign(bucket, key, expires)}")

    def upload_url(self, presigned_url: str, *, base_url: str | None = None) -> str:
        return upload_url(base_url, self.settings.bucket) if base_url else presigned_url

    def check(self, bucket: str, key: str, expires: str, signature: str, now: float | None = None) -> str | None:
        """None if the link is good, else S3's error code for it."""
        if not expires.isdigit() or not hmac.compare_digest(self._sign(bucket, key, int(expires)), signature):
            return "SignatureDoesNotMatch"
        if int(expires) < (time.time() if now is None else now):
            return "AccessDenied"  # what S3 answers for an expired presigned URL
        return None


def download_route(links: LocalMediaLinks):
    """GET PREFIX{bucket}/{key}: the object, if the link's signature and expiry hold."""
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import Response, StreamingResponse
    from starlette.routing import Route

    from filmstudio.localcloud.s3_post import PostRefused, error_xml
    from filmstudio.storage.artifacts import ArtifactStore

    def refuse(status: int, code: str, message: str) -> Response:
        return Response(error_xml(PostRefused(status, code, message)), status_code=status,
                        media_type="application/xml")

    async def get_object(request: Request) -> Response:
        bucket, key = request.path_params["bucket"], request.path_params["key"]  # decoded already
        problem = links.check(bucket, key, request.query_params.get("expires", ""),
                              request.query_params.get("signature", ""))
        if problem == "SignatureDoesNotMatch":
            return refuse(403, problem, "The request signature we calculated does not match the signature you provided.")
        if problem:
            return refuse(403, problem, "Request has expired")
        store = ArtifactStore(links.settings, bucket=bucket)
        if not await run_in_threadpool(store.exists, key):
            return refuse(404, "NoSuchKey", "The specified key does not exist.")
        chunks, content_type, length = await run_in_threadpool(store.stream, key)
        return StreamingResponse(chunks, media_type=content_type or "application/octet-stream",
                                 headers={"Content-Length": str(length)})

    return Route(PREFIX + "{bucket}/{key:path}", get_object, methods=["GET"])
