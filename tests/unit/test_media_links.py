"""The links the API hands out for media: presigned S3 URLs unless the process installed others
(`filmstudio serve` installs its own signed links, checked here without a server)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse


class RecordingS3:
    def __init__(self):
        self.calls = []

    def generate_presigned_url(self, op, Params, ExpiresIn):
        self.calls.append((op, Params["Key"], ExpiresIn))
        return f"https://bucket.s3.amazonaws.com/{Params['Key']}?X-Amz-Signature=abc"


def test_without_installed_links_downloads_are_presigned_s3_urls():
    from filmstudio import aws
    from filmstudio.storage.media_links import media_links

    s3 = RecordingS3()
    with aws.replaced("s3", s3):
        url = media_links().download_url("users/u/final/film.mp4", expires_s=60, base_url="http://127.0.0.1:8000/")
        assert media_links().upload_url("https://bucket.s3.amazonaws.com/", base_url="http://x/") == \
            "https://bucket.s3.amazonaws.com/"
    assert url.startswith("https://bucket.s3.amazonaws.com/") and s3.calls == [("get_object", "users/u/final/film.mp4", 60)]


def test_installed_local_links_point_at_the_server_and_refuse_what_was_altered_or_expired():
    from filmstudio.localcloud.media import LocalMediaLinks
    from filmstudio.storage import media_links

    links = LocalMediaLinks(secret=b"k" * 32)
    media_links.install(links)
    try:
        url = media_links.media_links().download_url("users/u/a b.png", expires_s=60, base_url="http://127.0.0.1:8000/")
        upload = media_links.media_links().upload_url("https://s3/", base_url="http://127.0.0.1:8000/")
    finally:
        media_links.install(None)
    assert isinstance(media_links.media_links(), media_links.MediaLinks)
    assert not isinstance(media_links.media_links(), LocalMediaLinks)
    parsed = urlparse(url)
    assert parsed.netloc == "127.0.0.1:8000" and parsed.path.endswith("/users/u/a%20b.png")
    assert upload.startswith("http://127.0.0.1:8000/local-s3/")
    q = {k: v[0] for k, v in parse_qs(parsed.query).items()}
    bucket = parsed.path.split("/")[2]
    assert links.check(bucket, "users/u/a b.png", q["expires"], q["signature"]) is None
    assert links.check(bucket, "users/u/other.png", q["expires"], q["signature"]) == "SignatureDoesNotMatch"
    assert links.check(bucket, "users/u/a b.png", str(int(q["expires"]) + 3600), q["signature"]) == \
        "SignatureDoesNotMatch"  # a later expiry is not the one signed
    assert links.check(bucket, "users/u/a b.png", q["expires"], q["signature"], now=int(q["expires"]) + 1) == \
        "AccessDenied"
    assert LocalMediaLinks(secret=b"o" * 32).check(bucket, "users/u/a b.png", q["expires"], q["signature"]) == \
        "SignatureDoesNotMatch"  # another server's (or an earlier run's) key
