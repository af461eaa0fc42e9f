"""The first load's budget: every script and style sheet the page loads, compressed, is at most 150 KB.
(The app has no lazy chunks: index.html loads app.css and js/main.js, which imports every module.)"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

WEB = Path(__file__).resolve().parents[3] / "web"
BUDGET = 150 * 1024


def _first_load() -> set[Path]:
    """index.html's stylesheets and module scripts, and every module those import, followed statically."""
    index = (WEB / "index.html").read_text(encoding="utf-8")
    todo = [WEB / ref for ref in re.findall(r'(?:href|src)="([^":]+\.(?:css|js))"', index)]
    seen: set[Path] = set()
    while todo:
        path = todo.pop().resolve()
        if path in seen:
            continue
        seen.add(path)
        if path.suffix == ".js":
            source = path.read_text(encoding="utf-8")
            todo += [path.parent / ref for ref in re.findall(r'^import[^"\']*["\'](\.[^"\']+)["\']', source, re.M)]
    return seen


def test_first_load_fits_the_budget():
    files = _first_load()
    assert WEB / "app.css" in files and (WEB / "js" / "screens" / "project.js").resolve() in files
    compressed = sum(len(gzip.compress(p.read_bytes(), 9)) for p in files)
    assert compressed <= BUDGET, f"{compressed} bytes of JS+CSS compressed; the budget is {BUDGET}"


def test_the_page_loads_nothing_inline():
    """The CSP forbids inline script and style; the page must not need them."""
    index = (WEB / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)", index) and "<style" not in index and " style=" not in index
    for path in WEB.rglob("*.js"):
        source = path.read_text(encoding="utf-8")
        assert "innerHTML" not in source and "eval(" not in source and "new Function" not in source, path
        assert not re.search(r"localStorage\s*[.\[]", source), path  # tokens live in memory only
