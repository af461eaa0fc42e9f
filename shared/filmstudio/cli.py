"""`filmstudio`: render a script into a film on this machine, analyse it, or serve the API.

Exit codes: 0 success; 1 the pipeline failed (the stage and reason are printed);
2 bad input (one readable line).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from filmstudio.errors import BadInputError, FilmStudioError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def _say_bad_input(exc: BadInputError) -> int:
    print(f"filmstudio: error: {exc.message} [{exc.code}]", file=sys.stderr)
    return EXIT_BAD_INPUT


def _read_script(path: str) -> bytes:
    p = Path(path)
    if not p.is_file():
        raise BadInputError(f"no such script file: {path}", code="NO_SUCH_FILE")
    return p.read_bytes()


class ProgressBar:
    """One line per stage change, or a live bar on a terminal."""

    def __init__(self, stream=sys.stderr, width: int = 30):
        self.stream, self.width = stream, width
        self.tty = stream.isatty()
        self.last: tuple[str | None, int] | None = None
        self.t0 = time.monotonic()

    def __call__(self, job) -> None:
        pct = int(min(job.progress, 100))
        state = (job.stage, pct)
        if state == self.last or (not self.tty and self.last and self.last[0] == job.stage):
            return
        self.last = state
        filled = self.width * pct // 100
        bar = "#" * filled + "-" * (self.width - filled)
        text = f"[{bar}] {pct:3d}%  {job.stage or job.status.value.lower():<10}  {time.monotonic() - self.t0:5.1f}s"
        if self.tty:
            self.stream.write("\r" + text)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def done(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def cmd_render(args: argparse.Namespace) -> int:
    from filmstudio.pipeline.render import render_locally

    try:
        data = _read_script(args.script)
        if args.api:
            from filmstudio.api.client import render_remote

            result = render_remote(args.api, data, Path(args.script).name, Path(args.out), tier=args.tier,
                                   language=args.language)
        else:
            result = render_locally(data, Path(args.script).name, Path(args.out), tier=args.tier,
                                    language=args.language, progress=None if args.quiet else ProgressBar(),
                                    burn_subtitles=args.burn_subtitles)
    except BadInputError as exc:
        return _say_bad_input(exc)
    if result.job.status.value != "SUCCEEDED":
        err = result.job.error
        where = f" at stage {err.stage}" if err else ""
        why = f": {err.reason}" if err else ""
        print(f"filmstudio: render failed{where}{why}", file=sys.stderr)
        return EXIT_FAILED
    print(f"{result.out_dir / 'film.mp4'}  ({result.job.duration:.1f} s film, rendered in {result.wall_seconds:.1f} s)")
    return EXIT_OK


def cmd_analyze(args: argparse.Namespace) -> int:
    from filmstudio.analysis import analyze
    from filmstudio.planning import make_plan, render_table
    from filmstudio.script_input import decode_script

    try:
        data = _read_script(args.script)
        text = decode_script(data, Path(args.script).name)
        plan = make_plan(analyze(text, language=args.language))
    except BadInputError as exc:
        return _say_bad_input(exc)
    if args.json:
        print(plan.model_dump_json(indent=2))
    else:
        print(render_table(plan))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from filmstudio.api.serve import serve

    serve(host=args.host, port=args.port)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="filmstudio", description="Script in, film out.")
    sub = parser.add_subparsers(dest="command", required=True)

    render = sub.add_parser("render", help="render a script into a film")
    render.add_argument("script", help="a screenplay (Fountain), a story, or a one-line topic")
    render.add_argument("--out", default="out/film", help="output folder (default: out/film)")
    render.add_argument("--tier", default="preview", help="preview (CPU) or studio (GPU endpoints)")
    render.add_argument("--language", default=None, help="ISO 639-1 code, if detection should be overridden")
    render.add_argument("--burn-subtitles", action="store_true", help="also burn subtitles into the picture")
    render.add_argument("--api", default=None, help="render through a deployed API at this URL instead")
    render.add_argument("--quiet", action="store_true", help="no progress bar")
    render.set_defaults(func=cmd_render)

    analyze = sub.add_parser("analyze", help="print the scene plan of a script")
    analyze.add_argument("script")
    analyze.add_argument("--json", action="store_true", help="print the plan as JSON")
    analyze.add_argument("--language", default=None)
    analyze.set_defaults(func=cmd_analyze)

    serve = sub.add_parser("serve", help="run the REST API locally over the local cloud")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BadInputError as exc:
        return _say_bad_input(exc)
    except FilmStudioError as exc:
        print(f"filmstudio: error: {exc.message} [{exc.code}]", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
