"""Studio tests: one tiny random-weight model directory per worker, built in-process and saved with
save_pretrained, then loaded through the real loading code (model_fn, from_pretrained, load_ip_adapter).

Every studio test runs on one xdist worker ("studio" group) so the directory is built and the
pipelines are loaded once.
"""

from __future__ import annotations

from importlib.util import find_spec

import pytest

# Without the studio extra (pip install 'filmstudio[studio]') there is nothing here to test.
if find_spec("torch") is None or find_spec("diffusers") is None:
    collect_ignore_glob = ["test_*.py"]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/unit/studio/" in str(item.fspath):
            item.add_marker(pytest.mark.xdist_group("studio"))


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory):
    from filmstudio.studio.tiny import write_tiny_model_dir

    return write_tiny_model_dir(tmp_path_factory.mktemp("studio-models"))


@pytest.fixture(scope="session")
def alt_models(tiny_models, tmp_path_factory):
    """The same tiny folders, in a directory whose studio.json selects FLUX.2 [klein] and Wan VACE."""
    import json
    import shutil

    from filmstudio.studio.modeldir import SETTINGS_FILE
    from filmstudio.studio.tiny import tiny_settings

    root = tmp_path_factory.mktemp("studio-alt-models") / "models"
    shutil.copytree(tiny_models, root)
    (root / SETTINGS_FILE).write_text(json.dumps(tiny_settings("flux2-klein", "wan-vace")), encoding="utf-8")
    return root


@pytest.fixture
def alt_env(alt_models, tmp_path, monkeypatch):
    monkeypatch.setenv("FILMSTUDIO_MODEL_DIR", str(alt_models))
    monkeypatch.setenv("FILMSTUDIO_STUDIO_CACHE", str(tmp_path / "cache"))
    return alt_models


@pytest.fixture
def studio_env(tiny_models, tmp_path, monkeypatch):
    """FILMSTUDIO_MODEL_DIR at the tiny models, references cached under this test's tmp_path."""
    monkeypatch.setenv("FILMSTUDIO_MODEL_DIR", str(tiny_models))
    monkeypatch.setenv("FILMSTUDIO_STUDIO_CACHE", str(tmp_path / "cache"))
    return tiny_models


@pytest.fixture(scope="session")
def lighthouse_plan():
    from pathlib import Path

    from filmstudio.analysis import analyze
    from filmstudio.planning import make_plan

    root = Path(__file__).resolve().parents[3]
    return make_plan(analyze((root / "examples" / "the_lighthouse_keeper.fountain").read_text(encoding="utf-8")))
