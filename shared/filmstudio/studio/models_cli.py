"""`filmstudio models list | verify | pull | push`: what the studio tier needs, what is here, fetching it,
and uploading it to the media bucket's weights prefix for the GPU stack."""

from __future__ import annotations

import argparse
import sys

from filmstudio.studio.modeldir import ENV, MODELS, OPTIONS, SETTINGS_FILE, model_dir, pull, selected_option, verify


def add_parser(sub) -> None:
    models = sub.add_parser("models", help="the studio tier's model directory: list | verify | pull | push")
    models.add_argument("action", choices=("list", "verify", "pull", "push"))
    models.add_argument("names", nargs="*", help="pull: only these models (default: all)")
    models.add_argument("--dir", "--model-dir", dest="dir", default=None,
                        help=f"the model directory (default: ${ENV})")
    models.add_argument("--bucket", default=None,
                        help="push: the media bucket (default: $FILMSTUDIO_BUCKET); weights go under models/")
    models.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.action == "list":
        for spec in MODELS:
            if spec.option:
                need = f"option {spec.option}" + (" (default)" if spec.option == OPTIONS[spec.stage][0] else "")
            else:
                need = "required" if spec.required else "optional"
            print(f"{spec.stage:<11} {spec.name:<11} {need:<22} {spec.repo}  [{spec.licence}]")
        return 0
    if args.action == "verify":
        root = model_dir(args.dir)
        print(f"model directory: {root or f'(unset: ${ENV})'}")
        statuses = verify(root)
        for status in statuses:
            print(status.line)
        for stage, options in OPTIONS.items():
            print(f"{stage} model: {selected_option(root, stage)} (of {', '.join(options)}; "
                  f"pick one with {{\"{stage}\": {{\"model\": ...}}}} in {SETTINGS_FILE})")
        missing = [s for s in statuses if s.needed and not s.present]
        if missing:
            print(f"filmstudio: error: missing {', '.join(s.spec.name for s in missing)}; "
                  f"fetch with 'filmstudio models pull {' '.join(s.spec.name for s in missing)}' [STUDIO_MODELS_MISSING]",
                  file=sys.stderr)
            return 2
        return 0
    if args.action == "push":
        return _push(args)
    for path in pull(args.names or None, args.dir):
        print(f"pulled {path}")
    return 0


def _push(args: argparse.Namespace) -> int:
    from filmstudio.errors import BadInputError
    from filmstudio.studio.models_push import push

    if args.names:
        raise BadInputError("push uploads every folder verify accepts; it takes no model names", code="BAD_ARGUMENTS")
    report = push(args.dir, args.bucket, progress=lambda key, size: print(f"uploaded {key} ({size / 1e6:.1f} MB)"))
    for folder in report.skipped_folders:
        print(f"skipped {folder}/: 'filmstudio models verify' does not accept it (incomplete)", file=sys.stderr)
    for folder in report.unused_folders:
        print(f"left out {folder}/: {SETTINGS_FILE} does not select it", file=sys.stderr)
    print(f"s3://{report.bucket}: {len(report.uploaded)} uploaded ({report.bytes_uploaded / 1e6:.1f} MB), "
          f"{len(report.unchanged)} unchanged")
    return 0
