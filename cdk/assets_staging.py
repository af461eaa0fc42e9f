"""How function code reaches Lambda, without Docker or the network at synth (DESIGN §3).

* zip functions: a staging directory per function holding `functions/<name>/` and the `filmstudio`
  package, so each zip carries only its own handler and the shared code; third-party packages come
  from one layer built ahead of deploy by `cdk/layer.py`.
* image functions: one Dockerfile (`functions/media.Dockerfile`) whose image serves every media
  stage, a per-function CMD picking the handler. Synth only stages the build context.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path

from filmstudio.topology import FunctionSpec

from cdk.config import LAYER_BUILD_DIR, LAYER_PLACEHOLDER_DIR, StudioConfig

MEDIA_DOCKERFILE = "functions/media.Dockerfile"
STAGING_ROOT = Path(__file__).resolve().parent / ".staging"
_SKIP_DIRS = {"__pycache__", ".pytest_cache", ".mypy_cache"}
_SKIP_SUFFIXES = {".pyc", ".pyo", ".Dockerfile"}


def _files(root: Path, base: Path) -> list[tuple[str, Path]]:
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and not d.startswith("."))
        for filename in sorted(filenames):
            path = Path(dirpath) / filename
            if path.suffix in _SKIP_SUFFIXES or filename.endswith(".Dockerfile") or filename.startswith("."):
                continue
            out.append((path.relative_to(base).as_posix(), path))
    return out


def zip_sources(spec: FunctionSpec, repo_root: Path) -> list[tuple[str, Path]]:
    """(path inside the zip, source file) for one zip function."""
    sources: list[tuple[str, Path]] = []
    functions_dir = repo_root / "functions"
    init = functions_dir / "__init__.py"
    if init.is_file():
        sources.append(("functions/__init__.py", init))
    handler_package = repo_root / Path(*spec.module.split(".")[:-1])
    if handler_package.is_dir():
        sources += _files(handler_package, repo_root)
    shared = repo_root / "shared"
    sources += _files(shared / "filmstudio", shared)
    return sources


def stage_zip_code(spec: FunctionSpec, repo_root: Path, staging_root: Path = STAGING_ROOT) -> Path:
    """A directory with exactly the function's zip contents, named by their hash.

    Content-addressed so repeated synths (and concurrent ones, e.g. tests beside `make synth`) reuse
    or atomically replace it rather than racing on one path.
    """
    sources = zip_sources(spec, repo_root)
    digest = hashlib.sha256()
    blobs = []
    for rel, path in sources:
        data = path.read_bytes()
        blobs.append((rel, data))
        digest.update(rel.encode() + b"\0" + hashlib.sha256(data).digest())
    target = staging_root / f"{spec.name}-{digest.hexdigest()[:16]}"
    if target.is_dir():
        # Whatever imported from it (make package-check runs functions from these directories) must not
        # have left bytecode in what synth zips.
        for cache in sorted(target.rglob("__pycache__"), reverse=True):
            shutil.rmtree(cache, ignore_errors=True)
        return target
    staging_root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{spec.name}-", dir=staging_root))
    for rel, data in blobs:
        dest = tmp / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
    try:
        tmp.rename(target)
    except OSError:  # another synth staged the same content first
        shutil.rmtree(tmp, ignore_errors=True)
    _prune(staging_root, spec.name, keep=target)
    return target


def _prune(staging_root: Path, name: str, keep: Path, older_than_s: float = 600) -> None:
    # Old stagings of this function are dead weight once edited; a grace period spares one that a
    # concurrent synth may still be copying from.
    now = time.time()
    for old in staging_root.glob(f"{name}-*"):
        if old != keep and old.is_dir() and now - old.stat().st_mtime > older_than_s:
            shutil.rmtree(old, ignore_errors=True)


def handler_file(spec: FunctionSpec, repo_root: Path) -> Path:
    return repo_root / Path(*spec.module.split(".")).with_suffix(".py")


def layer_directory(config: StudioConfig) -> tuple[Path, bool]:
    """(directory for the dependencies layer, whether it is the real build)."""
    if config.layer_dir is not None:
        return config.layer_dir, True
    if (LAYER_BUILD_DIR / "python").is_dir():
        return LAYER_BUILD_DIR, True
    return LAYER_PLACEHOLDER_DIR, False
