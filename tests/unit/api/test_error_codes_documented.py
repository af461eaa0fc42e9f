"""Every error code the API can answer with is listed in docs/api.md.

The codes are read from the product's source (typed errors' class codes, `code=` arguments, the
API's envelope helpers), so a new code fails this test until the document names it.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
CODE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$")
# Helpers that take the code as a positional argument: (function name, index of the code).
POSITIONAL = {"_refuse": 1, "_send_error": 2, "envelope": 1}
# Codes only the user's side of the product shows (the CLI, its API client and its wait, the local
# data folder, the model puller): never an API answer. docs/api.md's "Running it" names the CLI's.
NOT_API = {
    "NO_SUCH_FILE", "OUT_NOT_A_FOLDER",  # filmstudio render's arguments
    "MISSING_CREDENTIALS", "TIMEOUT",  # filmstudio --api: the client's login and its wait
    "RENDER_FAILED", "RENDER_STALLED",  # the CLI's wait for a job (jobs/watch.py)
    "BAD_DATA_DIR", "DATA_DIR_IN_USE",  # the local cloud's data folder
    "UNKNOWN_MODEL",  # filmstudio models pull
    "BAD_ARGUMENTS", "BUCKET_FORBIDDEN", "BUCKET_NOT_FOUND",  # filmstudio models push
}


# Only files that could name a code are parsed (most of the tree never does).
MAY_NAME_A_CODE = re.compile(r"\bcode\s*=|_STATUS_CODES|" + "|".join(rf"\b{name}\(" for name in POSITIONAL))


def _codes_in(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg == "code" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                    found.add(kw.value.value)
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            at = POSITIONAL.get(name)
            if at is not None and len(node.args) > at and isinstance(node.args[at], ast.Constant):
                found.add(node.args[at].value)
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            if any(isinstance(t, ast.Name) and t.id == "code" for t in node.targets):
                found.add(node.value.value)
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "_STATUS_CODES"
                                                  for t in node.targets):
            found |= {v.value for v in node.value.values if isinstance(v, ast.Constant)}
    return {c for c in found if isinstance(c, str) and CODE.match(c)}


@lru_cache(maxsize=1)
def _product_codes() -> frozenset[str]:
    codes: set[str] = set()
    for path in [*(REPO / "shared" / "filmstudio").rglob("*.py"), *(REPO / "functions").rglob("*.py")]:
        source = path.read_text(encoding="utf-8")
        if MAY_NAME_A_CODE.search(source):
            codes |= _codes_in(source)
    return frozenset(codes)


def test_every_code_the_api_can_answer_with_is_in_docs_api_md():
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", (REPO / "docs" / "api.md").read_text(encoding="utf-8")))
    codes = _product_codes()
    assert {"TOO_MANY_SCENES", "UNSUPPORTED_LANGUAGE", "INSUFFICIENT_CREDITS", "NOT_TEXT"} <= codes  # the reader reads
    missing = sorted(codes - NOT_API - documented)
    assert not missing, f"error codes missing from docs/api.md: {missing}"


def test_the_codes_kept_out_of_the_api_document_still_exist():
    # A code dropped from the source must leave this list too, or the list would excuse a new one.
    assert NOT_API <= _product_codes()
