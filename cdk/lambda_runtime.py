"""The one Lambda runtime every function runs on: zip functions, their layer, and the media image.

Python 3.13 on Amazon Linux 2023 (glibc 2.34). Everything that must agree reads it from here:
the zip functions' `Runtime` (pipeline.py), the layer's wheels (layer.py), the media image's base
(functions/media.Dockerfile, checked by a test) and `make package-check`, which runs each function
in a local interpreter of this version against wheels resolved for this platform.
"""

from __future__ import annotations

PYTHON_VERSION = "3.13"
MEDIA_BASE_IMAGE = f"public.ecr.aws/lambda/python:{PYTHON_VERSION}"
# Amazon Linux 2023's glibc: no shared library shipped to a function may need a newer one.
BASE_GLIBC = (2, 34)
ARCHITECTURE = "x86_64"
# Every manylinux tag AL2023 can load, newest first: pip matches `--platform` tags exactly (it does not
# widen manylinux_2_34 to the older ones), and a wheel may carry only manylinux2014 or manylinux_2_17.
PLATFORMS = tuple(f"manylinux_2_{minor}_{ARCHITECTURE}" for minor in range(BASE_GLIBC[1], 4, -1)) + tuple(
    f"{legacy}_{ARCHITECTURE}" for legacy in ("manylinux2014", "manylinux2010", "manylinux1"))


def lambda_runtime_name() -> str:
    return f"python{PYTHON_VERSION}"
