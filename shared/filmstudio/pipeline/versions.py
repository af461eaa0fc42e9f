"""Versions that go into content hashes.

An engine's declared version is combined with a hash of the source code behind it, so
that changing the code of a stage can never reuse a stale artifact by mistake.
"""

from __future__ import annotations

import hashlib
import importlib
import sys
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=None)
def source_hash(module_name: str) -> str:
    """sha256 (12 hex) of a module's source, or of every .py file of a package."""
    module = importlib.import_module(module_name)
    path = Path(getattr(module, "__file__", "") or "")
    files = sorted(path.parent.rglob("*.py")) if path.name == "__init__.py" else [path]
    h = hashlib.sha256()
    for f in files:
        h.update(f.relative_to(path.parent).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:12]


def engine_version(engine) -> str:
    module = type(engine).__module__
    return f"{engine.name}@{engine.version}+{source_hash(module)}"


def code_version(*module_names: str) -> str:
    return "+".join(source_hash(m) for m in module_names if m in sys.modules or importlib.util.find_spec(m))
