"""The web studio's files (web/) for `filmstudio serve`, and the headers every copy of it is served with.

Only the local server mounts these (localcloud/serve.py); the Lambda API never serves the app. On
AWS the same files sit in the media bucket under `web/` behind CloudFront (cdk/edge.py),
which sends `security_headers()` through a response-headers policy; locally this module
sends the same ones, so the browser tests run under the policy that production has.

The Indic web fonts are the fontpkg wheels the preview engines already render captions
with, served as `fonts/<script>.ttf` and loaded by the page only for text in that script
(`unicode-range`), so they cost nothing on a first load in English.
"""

from __future__ import annotations

import mimetypes
from importlib import import_module
from pathlib import Path

WEB_DIR = Path(__file__).resolve().parents[3] / "web"

# fonts/<name>.ttf -> (the fontpkg module, its file). Noto has no Bengali wheel on PyPI; Hind Siliguri covers it.
WEB_FONTS: dict[str, tuple[str, str]] = {
    "devanagari": ("fontpkg_noto_sans_devanagari", "NotoSansDevanagari[wdth,wght].ttf"),
    "tamil": ("fontpkg_noto_sans_tamil", "NotoSansTamil[wdth,wght].ttf"),
    "telugu": ("fontpkg_noto_sans_telugu", "NotoSansTelugu[wdth,wght].ttf"),
    "bengali": ("fontpkg_hind_siliguri", "HindSiliguri-Regular.ttf"),
}

_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".html": "text/html; charset=utf-8", ".ttf": "font/ttf", ".svg": "image/svg+xml", ".txt": "text/plain"}


def content_security_policy(media_origins: tuple[str, ...] = ()) -> str:
    """Scripts, styles and fonts only from the app's own origin, no inline code, no framing.
    `media_origins`: where output URLs may point besides this origin (the bucket, on AWS)."""
    extra = "".join(f" {o}" for o in media_origins)
    return "; ".join([
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "font-src 'self'",
        f"img-src 'self' blob: data:{extra}",
        f"media-src 'self' blob:{extra}",
        f"connect-src 'self'{extra}",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ])


HSTS_SECONDS = 2 * 365 * 24 * 3600
HSTS = f"max-age={HSTS_SECONDS}; includeSubDomains; preload"


def security_headers(media_origins: tuple[str, ...] = ()) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(media_origins),
        "Strict-Transport-Security": HSTS,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
    }


def font_path(name: str) -> Path | None:
    entry = WEB_FONTS.get(name)
    if entry is None:
        return None
    try:
        module = import_module(entry[0])
    except ImportError:
        return None
    path = Path(module.__file__).resolve().parent / "files" / entry[1]
    return path if path.is_file() else None


def resolve(path: str, web_dir: Path = WEB_DIR) -> Path | None:
    """The file for a request path under the app, or None. Never leaves web/ (no '..', no links out)."""
    rel = path.lstrip("/") or "index.html"
    if rel.startswith("fonts/") and rel.endswith(".ttf"):
        return font_path(rel[len("fonts/"):-len(".ttf")])
    root = web_dir.resolve()
    candidate = (root / rel).resolve()
    if root not in candidate.parents or not candidate.is_file():
        return None
    return candidate


def _register_web_path() -> None:
    """A path convertor that never matches /v1/...: an unknown API path keeps the API's own 404 or 405."""
    from starlette.convertors import CONVERTOR_TYPES, PathConvertor, register_url_convertor

    class WebPath(PathConvertor):
        regex = r"(?!v1(?:/|$)).*"

    if "webpath" not in CONVERTOR_TYPES:
        register_url_convertor("webpath", WebPath())


def mount(app, web_dir: Path = WEB_DIR) -> bool:
    """Serve the app at / on `app` (after every API route, so /v1, /docs and /health win).
    Anything that is not a file of the app is the API's usual JSON 404."""
    from fastapi.responses import FileResponse

    from filmstudio.errors import NotFoundError

    if not (web_dir / "index.html").is_file():
        return False
    # GuardMiddleware adds nosniff (and no-store) to every answer already.
    headers = {k: v for k, v in security_headers().items() if k != "X-Content-Type-Options"}

    _register_web_path()

    @app.get("/{path:webpath}", include_in_schema=False)
    def web_file(path: str):
        found = resolve(path, web_dir)
        if found is None:
            raise NotFoundError(f"no such page: /{path}", code="NOT_FOUND")
        media_type = _TYPES.get(found.suffix) or mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        return FileResponse(found, media_type=media_type, headers=headers)

    return True
