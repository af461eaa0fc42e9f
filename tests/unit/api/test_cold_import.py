"""The API Lambda's cold start stays lean: importing its handler pulls in neither the AWS SDK,
PynamoDB nor the JWT library, and never the script analysis or the engines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def test_handler_import_leaves_heavy_modules_for_first_use():
    code = ("import sys, json; import functions.api.handler; "
            "print(json.dumps(sorted(m for m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    for heavy in ("boto3", "botocore", "pynamodb", "jwt", "argon2", "cryptography", "filmstudio.analysis",
                  "filmstudio.planning", "filmstudio.engines", "filmstudio.pipeline.intake", "moto"):
        assert heavy not in loaded, f"{heavy} is imported at cold start"
    assert "fastapi" in loaded and "mangum" in loaded


def test_authorizer_import_is_lean_too():
    code = ("import sys, json; import functions.authorizer.handler; "
            "print(json.dumps(sorted(m for m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    for heavy in ("fastapi", "pynamodb", "boto3", "filmstudio.analysis"):
        assert heavy not in loaded, f"{heavy} is imported by the authorizer at cold start"
