"""`filmstudio models list | verify | pull`: what the studio tier needs, what is here, and fetching it."""

from __future__ import annotations

import argparse
import sys

from filmstudio.studio.modeldir import ENV, MODELS, model_dir, pull, verify


def add_parser(sub) -> None:
    models = sub.add_parser("models", help="the studio tier's model directory: list | verify | pull")
    models.add_argument("action", choices=("list", "verify", "pull"))
    models.add_argument("names", nargs="*", help="pull: only these models (default: all)")
    models.add_argument("--dir", default=None, help=f"the model directory (default: ${ENV})")
    models.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.action == "list":
        for spec in MODELS:
            need = "required" if spec.required else "optional"
            print(f"{spec.stage:<11} {spec.name:<11} {need:<9} {spec.repo}  [{spec.licence}]")
        return 0
    if args.action == "verify":
        root = model_dir(args.dir)
        print(f"model directory: {root or f'(unset: ${ENV})'}")
        statuses = verify(root)
        for status in statuses:
            print(status.line)
        missing = [s for s in statuses if s.spec.required and not s.present]
        if missing:
            print(f"filmstudio: error: missing {', '.join(s.spec.name for s in missing)}; "
                  f"fetch with 'filmstudio models pull {' '.join(s.spec.name for s in missing)}' [STUDIO_MODELS_MISSING]",
                  file=sys.stderr)
            return 2
        return 0
    for path in pull(args.names or None, args.dir):
        print(f"pulled {path}")
    return 0
