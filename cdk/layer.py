"""Build the zip functions' dependencies layer: `python cdk/layer.py [--out DIR]` (what `make layer` runs).

Deploy-time step, not synth: it needs PyPI. Wheels are fetched for the Lambda platform
(manylinux x86_64 up to Amazon Linux 2023's glibc, CPython 3.13: cdk/lambda_runtime.py) whatever machine runs this, so a macOS or ARM laptop builds a
layer that imports on Lambda. Synth picks the result up from cdk/.layer/ (see assets_staging.py).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "layer-requirements.txt"
DEFAULT_OUT = HERE / ".layer"
try:
    from cdk.lambda_runtime import PLATFORMS, PYTHON_VERSION
except ModuleNotFoundError:  # run as `python cdk/layer.py`: cdk/ itself is on sys.path
    from lambda_runtime import PLATFORMS, PYTHON_VERSION
# Nothing a running function needs; trimming keeps the layer far from the 250 MB unzipped limit.
_PRUNE_DIRS = ("__pycache__", "tests")


def pip_command(target: Path, requirements: Path = REQUIREMENTS, pip_args: tuple[str, ...] = ()) -> list[str]:
    cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--no-compile", "--upgrade",
           "--target", str(target), "--requirement", str(requirements),
           "--implementation", "cp", "--python-version", PYTHON_VERSION, "--only-binary=:all:", *pip_args]
    for platform in PLATFORMS:
        cmd += ["--platform", platform]
    return cmd


def build(out: Path = DEFAULT_OUT, *, requirements: Path = REQUIREMENTS, pip_args: tuple[str, ...] = ()) -> Path:
    staging = out.with_name(out.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    site = staging / "python"  # Lambda puts /opt/python on sys.path
    site.mkdir(parents=True)
    subprocess.run(pip_command(site, requirements, pip_args), check=True)
    for name in _PRUNE_DIRS:
        for path in sorted(site.rglob(name), reverse=True):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
    # Swap in only a complete build: a half-installed layer must never be what synth picks up.
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"layer directory (default {DEFAULT_OUT})")
    parser.add_argument("--print-command", action="store_true", help="show the pip command and exit")
    args = parser.parse_args(argv)
    if args.print_command:
        print(" ".join(pip_command(args.out / "python")))
        return 0
    out = build(args.out)
    print(f"layer built in {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
