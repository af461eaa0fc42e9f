"""`make bench`: every benchmark of the project, one after the other, figures and ratios."""

from __future__ import annotations

import importlib.util
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["bench_pipeline", "bench_engines", "bench_analysis", "bench_api", "bench_web", "bench_sizing",
         "bench_long"]


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    failed = []
    for name in ORDER:
        if not (HERE / f"{name}.py").exists():
            continue
        try:
            load(name).run()
        except (Exception, SystemExit):
            traceback.print_exc()
            failed.append(name)
    if failed:
        print(f"\nbenchmarks that failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
