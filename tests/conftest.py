"""Shared fixtures: the local cloud, a Lambda context, and script factories.

The project's tests never read ../shared/: every script they use is written here or
under tests/.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

import pytest

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
# `filmstudio render` and `serve` keep data in ~/.local/share/filmstudio by default; tests (and
# the CLI processes they start) keep theirs in a folder of their own.
os.environ.setdefault("FILMSTUDIO_DATA", tempfile.mkdtemp(prefix="filmstudio-test-data-"))

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


def pytest_addoption(parser):
    parser.addoption("--run-gpu", action="store_true", default=False,
                     help="also run tests marked gpu (a CUDA GPU and real studio weights)")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-gpu"):
        return
    skip = pytest.mark.skip(reason="GPU test: run with --run-gpu on a CUDA machine with FILMSTUDIO_MODEL_DIR")
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def cloud():
    """A fresh local cloud (moto + in-process Lambda) with the whole topology provisioned."""
    from filmstudio.localcloud import LocalCloud

    with LocalCloud() as c:
        yield c


@pytest.fixture
def lambda_context():
    from filmstudio.localcloud.runtime import LambdaContext

    return LambdaContext(function_name=f"test-{uuid.uuid4().hex[:6]}", memory_limit_in_mb=512, timeout_s=30)


SHORT_SCREENPLAY = """Title: Two Cups

INT. KITCHEN - MORNING

Steam rises from a kettle. ASHA (30s) pours two cups of tea.

ASHA
You are late again.

VIKRAM (30s) drops his bag by the door.

VIKRAM
The bus broke down. I walked.

EXT. BALCONY - NIGHT

Stars over the city. They sit side by side with their tea.

ASHA
Next time, call me.
"""


@pytest.fixture
def short_screenplay() -> bytes:
    return SHORT_SCREENPLAY.encode("utf-8")
