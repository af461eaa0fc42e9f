"""`make package-check` fails where AWS would: a module missing from the layer, a media requirement
without a wheel for the image's platform, a shipped library that needs a newer glibc than the base."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from cdk import package_check
from cdk.lambda_runtime import BASE_GLIBC

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def python():
    return package_check.find_interpreter()


@pytest.fixture(scope="module")
def layer_dir():
    return package_check.cached_layer()


def _layer_without(layer_dir: Path, tmp_path: Path, *names: str) -> Path:
    """The built layer with some top-level packages left out (links, so nothing is copied)."""
    out = tmp_path / "layer"
    (out / "python").mkdir(parents=True)
    for entry in (layer_dir / "python").iterdir():
        if not any(entry.name == n or entry.name.startswith(f"{n}-") for n in names):
            (out / "python" / entry.name).symlink_to(entry)
    return out


def test_a_module_intake_imports_missing_from_the_layer_fails_naming_function_and_module(python, layer_dir, tmp_path):
    report = package_check.Report()
    package_check.check_zip_functions(python, _layer_without(layer_dir, tmp_path, "pynamodb"), report,
                                      only=("ingest",))
    assert not report.ok
    assert any(line.startswith("ingest: ModuleNotFoundError: pynamodb") for line in report.failures), report.failures


def test_intake_analysing_in_the_zip_function_fails_on_lingua(python, layer_dir):
    # The bug this check was built for: intake analysing in-process imports lingua, which the layer
    # cannot ship. With the analyze function unset, ingest takes that path and must fail.
    report = package_check.Report()
    package_check.check_zip_functions(python, layer_dir, report, only=("ingest",),
                                      env_overrides={"FILMSTUDIO_ANALYZE_FUNCTION": ""})
    assert any(line.startswith("ingest: ModuleNotFoundError: lingua") for line in report.failures), report.failures


def _wheel(directory: Path, name: str, files: dict[str, bytes]) -> Path:
    path = directory / f"{name}-1.0-py3-none-manylinux_2_17_x86_64.whl"
    with zipfile.ZipFile(path, "w") as zf:
        for rel, data in files.items():
            zf.writestr(rel, data)
        zf.writestr(f"{name}-1.0.dist-info/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
        zf.writestr(f"{name}-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: false\n"
                                                   "Tag: py3-none-manylinux_2_17_x86_64\n")
        zf.writestr(f"{name}-1.0.dist-info/RECORD", "")
    return path


def test_a_media_requirement_without_a_wheel_for_the_platform_fails(tmp_path):
    index = tmp_path / "index"
    index.mkdir()
    (index / "sourceonly-1.0.tar.gz").write_bytes(b"")  # an sdist: would need a compiler in the image
    report = package_check.Report()
    package_check.check_media_image(report, requirements=["sourceonly"], cache=tmp_path / "cache",
                                    pip_args=("--no-index", "--find-links", str(index)))
    assert report.failures and report.failures[0].startswith("media image: no wheel of sourceonly for cp313")


def test_a_shipped_library_needing_a_newer_glibc_than_the_base_fails(tmp_path):
    import espeakng_loader

    # libespeak-ng.so of espeakng-loader 0.2 needs GLIBC_2.29: fine on Amazon Linux 2023 (2.34), refused
    # on the Amazon Linux 2 base (2.26) the image used to start from.
    library = next(Path(espeakng_loader.__file__).parent.glob("libespeak-ng.so*"))
    index = tmp_path / "index"
    index.mkdir()
    _wheel(index, "speechlib", {"speechlib/libespeak-ng.so": library.read_bytes(), "speechlib/__init__.py": b""})
    args = dict(requirements=["speechlib"], pip_args=("--no-index", "--find-links", str(index)))

    old = package_check.Report()
    package_check.check_media_image(old, cache=tmp_path / "cache", base={"GLIBC": (2, 26)}, **args)
    assert len(old.failures) == 1, old.failures
    assert "speechlib/libespeak-ng.so needs GLIBC_2.29" in old.failures[0] and "GLIBC 2.26" in old.failures[0]

    current = package_check.Report()
    package_check.check_media_image(current, cache=tmp_path / "cache", base={"GLIBC": BASE_GLIBC}, **args)
    assert current.ok, current.failures
