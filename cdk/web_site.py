"""The web studio on AWS: its files in the media bucket under `web/`, served by the edge stack's
CloudFront distribution at /web/ (the API stays at /v1 on the same origin).

`stage_web` gathers what the bucket gets: web/ as it is in the repository, plus the Indic fonts
from the fontpkg wheels (and their licences), named as the page asks for them, in a directory
named by the hash of its contents (like the functions' code), so synth needs no build tool.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

from filmstudio.api.web_static import WEB_DIR, WEB_FONTS, font_path

WEB_PREFIX = "web/"
WEB_PATH_PATTERN = "web/*"  # the CloudFront behaviour, and the objects CloudFront may read
STAGING_ROOT = Path(__file__).resolve().parent / ".staging"

# A request for a folder (/web/) gets its index.html; every route of the app is a #fragment of that page.
INDEX_FUNCTION = """function handler(event) {
  var request = event.request;
  if (request.uri.endsWith('/')) { request.uri += 'index.html'; }
  return request;
}
"""


def web_files(web_dir: Path = WEB_DIR) -> list[tuple[str, Path]]:
    """(key under web/, source file): the app's files and the fonts with their licences."""
    if not (web_dir / "index.html").is_file():
        raise FileNotFoundError(f"the web studio is missing: no {web_dir / 'index.html'}")
    files = [(p.relative_to(web_dir).as_posix(), p) for p in sorted(web_dir.rglob("*"))
             if p.is_file() and not p.name.startswith(".")]
    for name in sorted(WEB_FONTS):
        path = font_path(name)
        if path is None:
            raise FileNotFoundError(f"the {name} web font's package ({WEB_FONTS[name][0]}) is not installed")
        files.append((f"fonts/{name}.ttf", path))
        licence = path.parent.parent / "LICENSE"
        if licence.is_file():
            files.append((f"fonts/{name}-LICENSE.txt", licence))
    return files


def stage_web(staging_root: Path = STAGING_ROOT, web_dir: Path = WEB_DIR) -> Path:
    files = web_files(web_dir)
    digest = hashlib.sha256()
    for rel, path in files:
        digest.update(rel.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    target = staging_root / f"web-{digest.hexdigest()[:16]}"
    if target.is_dir():
        return target
    staging_root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".web-", dir=staging_root))
    for rel, path in files:
        dest = tmp / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)
    try:
        tmp.rename(target)
    except OSError:  # a concurrent synth staged the same content first
        shutil.rmtree(tmp, ignore_errors=True)
    return target
