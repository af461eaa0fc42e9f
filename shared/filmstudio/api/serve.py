"""`filmstudio serve`: the API app under uvicorn, inside the local cloud.

Jobs it accepts run through the local state machine exactly as `filmstudio render`
does; the same app runs on Lambda behind API Gateway (functions/api).
"""

from __future__ import annotations

from typing import Callable


def serve(host: str = "127.0.0.1", port: int = 8000, *, log_level: str = "info",
          on_ready: Callable[[object], None] | None = None) -> None:
    """Run the API on http://host:port until interrupted. `on_ready(server)` is called with the
    uvicorn server before it starts (set `server.should_exit = True` to stop it)."""
    import os
    import sys

    import uvicorn

    from filmstudio.api import web_static
    from filmstudio.api.app import create_app
    from filmstudio.localcloud import LocalCloud

    # moto's S3 is not reachable over HTTP, so locally the API streams job outputs itself.
    os.environ["FILMSTUDIO_SERVE_MEDIA"] = "1"
    try:
        with LocalCloud():  # its moto fixes give the API DynamoDB's atomic writes and S3's event order
            app = create_app()
            if not web_static.mount(app):  # the web studio at /, beside the API (never on Lambda)
                print(f"filmstudio serve: no web studio at {web_static.WEB_DIR}; serving the API only", file=sys.stderr)
            server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level=log_level,
                                                   lifespan="off"))
            if on_ready:
                on_ready(server)
            server.run()
    finally:
        os.environ.pop("FILMSTUDIO_SERVE_MEDIA", None)
