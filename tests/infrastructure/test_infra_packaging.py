"""Packaging inputs: the layer requirements, the media Dockerfile and its build context."""

from __future__ import annotations

import re
import tomllib

from filmstudio import topology

from cdk import assets_staging, layer

REPO = topology.REPO_ROOT


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_layer_requirements_cover_the_zip_functions_dependencies():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    needed = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["api"]}
    listed = {_name(line) for line in layer.REQUIREMENTS.read_text().splitlines()
              if line.strip() and not line.lstrip().startswith("#")}
    assert needed <= listed, f"missing from {layer.REQUIREMENTS.name}: {sorted(needed - listed)}"
    media_only = {_name(r) for r in project["optional-dependencies"]["media"]}
    assert not listed & media_only, "media packages belong in the image, not the zip layer"


def test_layer_is_built_for_the_lambda_platform_not_this_machine(tmp_path):
    cmd = layer.pip_command(tmp_path / "python")
    assert cmd[cmd.index("--python-version") + 1] == "3.13"
    assert "--only-binary=:all:" in cmd
    # Amazon Linux 2023's glibc 2.34 is the ceiling; every older manylinux tag is named (pip matches exactly).
    platforms = [cmd[i + 1] for i, a in enumerate(cmd) if a == "--platform"]
    assert platforms[0] == "manylinux_2_34_x86_64" and "manylinux_2_35_x86_64" not in platforms
    assert {"manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64"} <= set(platforms)
    assert cmd[cmd.index("--target") + 1] == str(tmp_path / "python")


def test_synth_uses_the_placeholder_layer_until_one_is_built(tmp_path):
    from cdk.config import LAYER_PLACEHOLDER_DIR, StudioConfig

    assert (LAYER_PLACEHOLDER_DIR / "python").is_dir()
    directory, built = assets_staging.layer_directory(StudioConfig(layer_dir=tmp_path))
    assert (directory, built) == (tmp_path, True)


def test_media_dockerfile_installs_the_package_with_its_media_extra():
    text = (REPO / assets_staging.MEDIA_DOCKERFILE).read_text()
    assert re.search(r"^FROM public\.ecr\.aws/lambda/python:3\.13\s*$", text, re.M)
    assert '".[media]"' in text or ".[media]" in text
    assert "COPY functions" in text


def test_dockerignore_keeps_the_build_context_small():
    ignored = {line.strip().rstrip("/") for line in (REPO / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    assert {".venv", "out", "cdk.out", "tests", ".git"} <= ignored
    # ...but never what the image needs
    assert not ignored & {"shared", "functions", "pyproject.toml", "README.md"}


def test_zip_staging_holds_only_the_function_and_the_package(tmp_path):
    spec = topology.function("fail")
    staged = assets_staging.stage_zip_code(spec, REPO, staging_root=tmp_path)
    files = {p.relative_to(staged).as_posix() for p in staged.rglob("*") if p.is_file()}
    assert files, "nothing staged"
    assert all(f.startswith(("functions/", "filmstudio/")) for f in files)
    handler_dirs = {f.split("/")[1] for f in files if f.startswith("functions/") and f.count("/") > 1}
    assert handler_dirs <= {"fail"}
    # The corpus evaluator and generator are test tooling (testkit/), not product code.
    assert not {"filmstudio/analysis/evaluate.py", "filmstudio/analysis/generate.py"} & files
    assert not any("__pycache__" in f or f.endswith(".pyc") for f in files)
    # Same content, same directory: repeated synths reuse it.
    assert assets_staging.stage_zip_code(spec, REPO, staging_root=tmp_path) == staged
