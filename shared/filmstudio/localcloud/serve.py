"""`filmstudio serve`: the API app under uvicorn, inside the local cloud.

Jobs it accepts run through the local state machine exactly as `filmstudio render`
does; the same app runs on Lambda behind API Gateway (functions/api).

With a data directory (the default; `--ephemeral` for none) the local cloud keeps its
state in SQLite there (`localcloud/datastore.py`), so accounts, keys, projects, assets,
jobs, credits and media survive a restart; see docs/local.md. moto's S3 has no HTTP
endpoint, so this server is the media bucket's: S3's upload endpoint for presigned POSTs
(`s3_post.py`) and signed downloads (`media.py`) under /local-s3/, with the links the API
hands out installed for the server's lifetime (`storage/media_links.py`).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

log = logging.getLogger(__name__)


def with_local_s3(api, uploads):
    """One ASGI app: S3's POST endpoint under its prefix, the API everywhere else."""
    from filmstudio.localcloud.s3_post import PREFIX

    async def app(scope, receive, send):
        if scope["type"] == "http" and scope.get("path", "").startswith(PREFIX):
            return await uploads(scope, receive, send)
        return await api(scope, receive, send)
    return app


def serve(host: str = "127.0.0.1", port: int = 8000, *, log_level: str = "info", data_dir: Path | None = None,
          on_ready: Callable[[object], None] | None = None) -> None:
    """Run the API on http://host:port until interrupted. `on_ready(server)` is called with the
    uvicorn server before it starts (set `server.should_exit = True` to stop it)."""
    import sys

    import uvicorn

    from filmstudio.api import web_static
    from filmstudio.api.app import create_app
    from filmstudio.auth.keys import reset_key_cache
    from filmstudio.localcloud import LocalCloud, s3_post
    from filmstudio.localcloud.media import LocalMediaLinks, download_route
    from filmstudio.storage import media_links

    try:
        # Its moto fixes give the API DynamoDB's atomic writes and S3's event order.
        with LocalCloud(data_dir=data_dir) as cloud:
            reset_key_cache()  # the key ring is this cloud's (restored, or new)
            if data_dir is not None:
                print(f"filmstudio serve: data in {cloud.store.path} ({cloud.restored.get('items', 0)} items, "
                      f"{cloud.restored.get('objects', 0)} objects restored"
                      + (f"; {len(cloud.recovered)} interrupted job(s) failed and refunded" if cloud.recovered else "")
                      + ")", file=sys.stderr, flush=True)
            api = create_app()
            if not web_static.mount(api):  # the web studio at /, beside the API (never on Lambda)
                print(f"filmstudio serve: no web studio at {web_static.WEB_DIR}; serving the API only", file=sys.stderr)
            links = LocalMediaLinks()
            media_links.install(links)
            app = with_local_s3(api, s3_post.create_app(download_route(links)))
            server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level=log_level, lifespan="off"))
            if on_ready:
                on_ready(server)
            server.run()
    finally:
        media_links.install(None)
