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
from filmstudio.jobs.watch import RenderFailedError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def _say_bad_input(exc: BadInputError) -> int:
    print(f"filmstudio: error: {exc.message} [{exc.code}]", file=sys.stderr)
    return EXIT_BAD_INPUT


def _check_out(path: str) -> Path:
    """The output folder, refused before any work if it names something that is not a folder."""
    out = Path(path)
    for parent in (out, *out.parents):
        if parent.exists():
            if not parent.is_dir():
                what = "the output folder" if parent == out else f"a parent of the output folder ({parent})"
                raise BadInputError(f"--out {path}: {what} is an existing file, not a folder", code="OUT_NOT_A_FOLDER")
            break
    return out


def _read_script(path: str) -> bytes:
    p = Path(path)
    if not p.is_file():
        raise BadInputError(f"no such script file: {path}", code="NO_SUCH_FILE")
    return p.read_bytes()


class ProgressBar:
    """A live bar on a terminal; otherwise one line per stage, each stage named once.

    Stages are read from the job's timings as well as its current stage, so a stage that
    starts and ends between two polls is still reported.
    """

    def __init__(self, stream=sys.stderr, width: int = 30):
        self.stream, self.width = stream, width
        self.tty = stream.isatty()
        self.last: tuple[str | None, int] | None = None
        self.named: set[str] = set()
        self.t0 = time.monotonic()

    def _line(self, pct: int, stage: str) -> str:
        filled = self.width * pct // 100
        bar = "#" * filled + "-" * (self.width - filled)
        return f"[{bar}] {pct:3d}%  {stage:<10}  {time.monotonic() - self.t0:5.1f}s"

    def __call__(self, job) -> None:
        if isinstance(job, dict):  # a job as the REST API shows it (render --api)
            pct, stage, finished = int(min(job["progress"], 100)), job.get("stage") or job["status"].lower(), []
        else:
            pct, stage, finished = int(min(job.progress, 100)), job.stage or job.status.value.lower(), list(job.timings)
        if self.tty:
            if (stage, pct) != self.last:
                self.last = (stage, pct)
                self.stream.write("\r" + self._line(pct, stage))
        else:
            for name in [*finished, stage]:
                if name not in self.named:
                    self.named.add(name)
                    self.stream.write(self._line(pct, name) + "\n")
        self.stream.flush()

    def done(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def cmd_render(args: argparse.Namespace) -> int:
    try:
        _check_out(args.out)
    except BadInputError as exc:
        return _say_bad_input(exc)
    if args.api:
        return _render_through_api(args)
    from filmstudio.localcloud.render import render_locally

    try:
        data = _read_script(args.script)
        if args.tier == "studio":  # a missing model stops here, before the local cloud starts
            from filmstudio.studio.modeldir import require_studio_models
            require_studio_models()
        result = render_locally(data, Path(args.script).name, Path(args.out), tier=args.tier,
                                language=args.language, progress=None if args.quiet else ProgressBar(),
                                burn_subtitles=args.burn_subtitles, data_dir=_data_dir(args))
    except BadInputError as exc:
        return _say_bad_input(exc)
    except RenderFailedError as exc:  # stalled, or the execution ended without the job
        return _say_failed(exc.stage, exc.reason)
    if result.job.status.value != "SUCCEEDED":
        err = result.job.error
        return _say_failed(err.stage if err else None, err.reason if err else None)
    print(f"{result.out_dir / 'film.mp4'}  ({result.job.duration:.1f} s film, rendered in {result.wall_seconds:.1f} s)")
    _say_qc(result.out_dir / "qc.json")
    return EXIT_OK


def _say_qc(path: Path) -> None:
    """The QC summary line, from the qc.json published beside the film."""
    import json

    from filmstudio.qc import summary_line

    if path.is_file():
        print(summary_line(json.loads(path.read_text(encoding="utf-8"))))


def _say_failed(stage: str | None, reason: str | None) -> int:
    where = f" at stage {stage}" if stage else ""
    why = f": {reason}" if reason else ""
    print(f"filmstudio: render failed{where}{why}", file=sys.stderr)
    return EXIT_FAILED


def _render_through_api(args: argparse.Namespace) -> int:
    """The same render through a deployed API (or `filmstudio serve`): same outputs, same exit codes.
    The API's 4xx answers are bad input (exit 2); a job that fails is exit 1 with its stage."""
    import json

    import httpx

    from filmstudio.api.client import ApiClient, ApiError

    out = Path(args.out)
    bar = None if args.quiet else ProgressBar()
    t0 = time.monotonic()
    try:
        _read_script(args.script)
        with ApiClient.from_env(args.api) as client:
            result = client.render(Path(args.script), out, tier=args.tier, language=args.language, on_progress=bar,
                                   burn_subtitles=args.burn_subtitles)
    except ApiError as exc:
        if 400 <= exc.http_status < 500:
            return _say_bad_input(BadInputError(exc.message, code=exc.code or "BAD_REQUEST"))
        return _say_failed(None, f"the API answered {exc.http_status} {exc.code}: {exc.message}")
    except BadInputError as exc:
        return _say_bad_input(exc)
    except RenderFailedError as exc:
        return _say_failed(exc.stage, exc.reason)
    except FilmStudioError as exc:
        if exc.code == "MISSING_CREDENTIALS":
            return _say_bad_input(BadInputError(exc.message, code=exc.code))
        return _say_failed(None, exc.message)
    except httpx.HTTPError as exc:
        return _say_failed(None, f"could not reach {args.api}: {exc}")
    finally:
        if bar:
            bar.done()
    job = result.job
    out.mkdir(parents=True, exist_ok=True)
    (out / "job.json").write_text(json.dumps(job, indent=2, default=str), encoding="utf-8")
    if job["status"] != "SUCCEEDED":
        error = job.get("error") or {}
        return _say_failed(error.get("stage"), error.get("reason") or job["status"].lower())
    print(f"{result.files['film']}  ({job['duration']:.1f} s film, rendered in {time.monotonic() - t0:.1f} s)")
    if "qc" in result.files:
        _say_qc(Path(result.files["qc"]))
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


def _data_dir(args: argparse.Namespace) -> Path | None:
    """The data directory (None with --ephemeral): --data, else FILMSTUDIO_DATA, else the user's data folder."""
    from filmstudio.localcloud.datastore import default_data_dir

    if args.ephemeral:
        return None
    return Path(args.data).expanduser() if args.data else default_data_dir()


def cmd_serve(args: argparse.Namespace) -> int:
    from filmstudio.localcloud.serve import serve

    serve(host=args.host, port=args.port, data_dir=_data_dir(args), log_level=args.log_level)
    return EXIT_OK


def _add_data_flags(parser: argparse.ArgumentParser, what: str) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--data", default=None, metavar="DIR",
                       help=f"data directory for {what} (default: $FILMSTUDIO_DATA, else "
                            "$XDG_DATA_HOME/filmstudio or ~/.local/share/filmstudio)")
    group.add_argument("--ephemeral", action="store_true", help="keep nothing: state lives in memory only")


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
    _add_data_flags(render, "the content-addressed cache a re-render reuses")
    render.set_defaults(func=cmd_render)

    analyze = sub.add_parser("analyze", help="print the scene plan of a script")
    analyze.add_argument("script")
    analyze.add_argument("--json", action="store_true", help="print the plan as JSON")
    analyze.add_argument("--language", default=None)
    analyze.set_defaults(func=cmd_analyze)

    from filmstudio.studio.models_cli import add_parser as add_models_parser
    add_models_parser(sub)

    serve = sub.add_parser("serve", help="run the REST API locally over the local cloud")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"],
                       help="uvicorn's log level (info logs every request)")
    _add_data_flags(serve, "accounts, keys, projects, jobs, credits and media")
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
