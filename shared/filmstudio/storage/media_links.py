"""Where a client fetches an object and posts an upload: the one seam between the API and
whatever serves the media bucket over HTTP.

On AWS that is S3 itself: downloads are presigned GET URLs and uploads go to the URL in
the presigned POST. The local cloud's S3 (moto) has no HTTP endpoint, so `filmstudio
serve` installs links of its own (`localcloud/media.py`) that point at its server; the
API asks this module only, never whether it runs locally.
"""

from __future__ import annotations

import threading

from filmstudio.settings import Settings, get_settings


class MediaLinks:
    """Presigned S3 URLs (AWS, and any process that installs nothing else)."""

    def __init__(self, settings: Settings | None = None, s3=None):
        self.settings = settings or get_settings()
        self._s3 = s3

    def _store(self):
        from filmstudio.storage.artifacts import ArtifactStore

        return ArtifactStore(self.settings, s3=self._s3)

    def download_url(self, key: str, *, expires_s: int, base_url: str | None = None) -> str:
        """A URL that fetches the media bucket's object `key` for `expires_s` seconds, without
        other credentials. `base_url`: the API's own address, for links that point there."""
        return self._store().presigned_get(key, expires_s)

    def upload_url(self, presigned_url: str, *, base_url: str | None = None) -> str:
        """Where a presigned POST is sent (S3's own URL here)."""
        return presigned_url


_lock = threading.Lock()
_installed: MediaLinks | None = None


def media_links(settings: Settings | None = None, s3=None) -> MediaLinks:
    """The process's links: the installed ones, else presigned S3 URLs (signed by `s3` if given)."""
    with _lock:
        installed = _installed
    return installed if installed is not None else MediaLinks(settings, s3=s3)


def install(links: MediaLinks | None) -> None:
    """Make `links` the process's (None: back to presigned S3 URLs)."""
    global _installed
    with _lock:
        _installed = links
