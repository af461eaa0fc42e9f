"""`make package-check`: does what we ship import and run where AWS runs it?

The tests run every handler in one process with the whole development environment installed, so
they cannot see a package the Lambda does not ship. This check sees what AWS sees:

* **zip functions**: the layer is built as `cdk/layer.py` builds it (wheels for the Lambda's
  Python and platform). Each zip function then runs in a fresh interpreter of the Lambda's Python
  (`-I -S`) whose `sys.path` holds only its staged asset and that layer, against a moto server
  this process runs, with the events it meets on AWS: the API registers, creates a project and
  starts a job from a real script (intake, analysis and all); the authorizer verifies the token;
  ingest starts a job from an uploaded script; submit, callback, publish and fail take the events
  the state machine or SNS sends them. A failure names the function and the missing module.
* **the media image**: its requirements are resolved for the image's platform with
  `--only-binary=:all:` (a source build is a failure: the base image has no compiler), and every
  ELF file in those wheels is read for the glibc/libstdc++ versions it needs; one newer than the
  base image's is a failure naming the library and the symbol version.

Downloads are cached under `.cache/package-check/` (keyed by the requirements and the platform),
so a second run needs no network.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from filmstudio import topology

from cdk import assets_staging, elf_needs, layer as layer_build
from cdk.lambda_runtime import BASE_GLIBC, PLATFORMS, PYTHON_VERSION

REPO = topology.REPO_ROOT
CACHE_DIR = REPO / ".cache" / "package-check"
DRIVER = Path(__file__).resolve().parent / "package_check_driver.py"
# Lambda's limit on a function's code plus all its layers, unzipped.
UNZIPPED_LIMIT_BYTES = 250 * 1024 * 1024
# Amazon Linux 2023's libstdc++ (GCC 11): a C++ extension needing newer symbols would not load either.
BASE_VERSIONS = {"GLIBC": BASE_GLIBC, "GLIBCXX": (3, 4, 29), "CXXABI": (1, 3, 13)}
SAMPLE_SCRIPT = REPO / "examples" / "the_lighthouse_keeper.fountain"
CHILD_TIMEOUT_S = 180


@dataclass
class Report:
    failures: list[str] = field(default_factory=list)
    passed: list[str] = field(default_factory=list)

    def fail(self, line: str) -> None:
        self.failures.append(line)

    @property
    def ok(self) -> bool:
        return not self.failures


class CheckError(RuntimeError):
    """The check itself could not run (no interpreter, no network for a cold cache)."""


# -- the Lambda's interpreter --------------------------------------------------------------------

def find_interpreter(version: str = PYTHON_VERSION) -> Path:
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    candidates = [os.environ.get("FILMSTUDIO_LAMBDA_PYTHON")]
    candidates += [str(p) for p in sorted(pyenv.glob(f"{version}*/bin/python{version}"), reverse=True)]
    candidates += [shutil.which(f"python{version}")]  # last: a pyenv shim may name a version it will not run
    for candidate in candidates:
        if not candidate or not Path(candidate).is_file():
            continue
        probe = subprocess.run([candidate, "-I", "-S", "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                               capture_output=True, text=True)
        if probe.returncode == 0 and probe.stdout.strip() == version:
            return Path(candidate)
    raise CheckError(f"package-check needs a Python {version} interpreter (the Lambda runtime's): install one "
                     f"(e.g. `pyenv install {version}`) or set FILMSTUDIO_LAMBDA_PYTHON")


# -- the layer, as cdk/layer.py builds it ---------------------------------------------------------

def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def cached_layer(cache: Path = CACHE_DIR, requirements: Path = layer_build.REQUIREMENTS) -> Path:
    """The layer built for the Lambda platform, reused while the requirements and platform are unchanged."""
    key = _digest(requirements.read_text(encoding="utf-8"), PYTHON_VERSION, *PLATFORMS)
    out = cache / f"layer-{key}"
    if (out / "python").is_dir():
        return out
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.glob("layer-*"):
        shutil.rmtree(old, ignore_errors=True)
    print(f"package-check: building the layer for cp{PYTHON_VERSION.replace('.', '')} {PLATFORMS[0]} "
          f"(first run downloads)", file=sys.stderr)
    try:
        layer_build.build(out, requirements=requirements, pip_args=("--cache-dir", str(cache / "pip")))
    except subprocess.CalledProcessError as exc:
        raise CheckError(f"the layer did not build for the Lambda platform (pip exit {exc.returncode}); "
                         "see pip's message above") from None
    return out


def tree_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink())


# -- a moto server the functions talk to -----------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def moto_endpoint() -> Iterator[tuple[str, dict[str, str]]]:
    """A moto server holding the stacks' resources (as the local cloud provisions them).

    Yields (endpoint URL, the environment every function gets). Lambda invocations answer without
    running anything (moto's docker-less backend): submit only needs its asynchronous invoke accepted.
    """
    from moto.core.config import default_user_config
    from moto.server import ThreadedMotoServer

    from filmstudio import aws
    from filmstudio.db.base import unbind_tables
    from filmstudio.localcloud import LocalCloud
    from filmstudio.settings import get_settings, reset_settings

    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    saved_config = json.loads(json.dumps(default_user_config))
    default_user_config["lambda"]["use_docker"] = False
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    # moto's backends live in this process: forget whatever an earlier check (or test) left there.
    import urllib.request

    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")).read()
    cloud = LocalCloud()
    env = cloud.environment()  # this process: EMF off; the functions get only what Lambda gives them
    env["AWS_ENDPOINT_URL"] = endpoint
    saved_env = {k: os.environ.get(k) for k in env}
    try:
        os.environ.update(env)
        reset_settings()
        aws.reset()
        unbind_tables()
        cloud.provision()
        # The functions are called directly here; an upload must not also reach moto's own Lambda runner.
        aws.client("s3").put_bucket_notification_configuration(Bucket=get_settings().bucket,
                                                               NotificationConfiguration={})
        yield endpoint, env
    finally:
        server.stop()
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        default_user_config.clear()
        default_user_config.update(saved_config)
        reset_settings()
        aws.reset()
        unbind_tables()


# -- one function in the Lambda's interpreter -------------------------------------------------------

def function_environment(spec: topology.FunctionSpec, base: dict[str, str]) -> dict[str, str]:
    """What Lambda gives the function: its own variables (topology), credentials, region; no PYTHONPATH."""
    from filmstudio.localcloud import LocalCloud

    env = {k: v for k, v in base.items() if k.startswith("AWS_")}
    env.update(LocalCloud().function_environment(spec))
    env.update({"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "AWS_LAMBDA_FUNCTION_NAME": spec.local_name,
                "LAMBDA_TASK_ROOT": "/var/task", "POWERTOOLS_METRICS_NAMESPACE": "FilmStudio",
                "HOME": "/tmp"})
    return env


def run_function(python: Path, spec: topology.FunctionSpec, asset: Path, layer_dir: Path, env: dict[str, str],
                 params: dict | None = None) -> dict:
    """Run the function's scenario in a fresh interpreter; the driver's JSON answer."""
    payload = json.dumps({"function": spec.name, "module": spec.module, "attr": spec.attr, "asset": str(asset),
                          "layer": str(layer_dir / "python"), "params": params or {}})
    # -B: Lambda's code is read-only, and bytecode written here would land in the staged asset synth zips.
    proc = subprocess.run([str(python), "-I", "-S", "-B", "-c", DRIVER.read_text(encoding="utf-8"), payload],
                          env=env, cwd=str(CACHE_DIR if CACHE_DIR.is_dir() else REPO), capture_output=True,
                          text=True, timeout=CHILD_TIMEOUT_S)
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith('{"ok"'):
            return json.loads(line)
    return {"ok": False, "error": f"exit {proc.returncode}: {(proc.stderr or proc.stdout)[-1500:]}",
            "missing_module": None}


def _describe(name: str, answer: dict) -> str:
    if answer.get("missing_module"):
        return (f"{name}: ModuleNotFoundError: {answer['missing_module']} is not in the function's asset or the "
                f"layer ({answer['error']})")
    return f"{name}: {answer['error']}\n{answer.get('traceback', '')}".rstrip()


def check_zip_functions(python: Path, layer_dir: Path, report: Report, *,
                        only: tuple[str, ...] | None = None, env_overrides: dict[str, str] | None = None) -> None:
    zips = [s for s in topology.FUNCTIONS if s.packaging == "zip"]
    specs = [s for s in zips if only is None or s.name in only]
    layer_size = tree_bytes(layer_dir)
    assets = {}
    for spec in zips:  # all staged: a scenario may need another function first (the API's token)
        assets[spec.name] = assets_staging.stage_zip_code(spec, REPO)
        total = layer_size + tree_bytes(assets[spec.name])
        if total > UNZIPPED_LIMIT_BYTES:
            report.fail(f"{spec.name}: code plus layer is {total / 2**20:.0f} MB unzipped; Lambda allows 250 MB")
    script = SAMPLE_SCRIPT.read_text(encoding="utf-8")
    with moto_endpoint() as (_endpoint, base_env):
        state = _Scenarios(python, layer_dir, assets, base_env, script, report, env_overrides or {})
        for spec in specs:
            state.run(spec)


class _Scenarios:
    """Each function's events, some built from what an earlier function produced (a token, a job)."""

    def __init__(self, python, layer_dir, assets, base_env, script, report, env_overrides):
        self.python, self.layer_dir, self.assets, self.base_env = python, layer_dir, assets, base_env
        self.env_overrides = env_overrides
        self.script, self.report = script, report
        self.token: str | None = None
        self.authorizer: dict | None = None
        self.ingest_job: str | None = None

    def _answer_intakes_analysis(self):
        """What the analyze function (media image, not a zip function) answers intake: the keys of the
        analysis and plan it stored. Computed here with the full package; the zip function only invokes."""
        from moto.awslambda_simple.models import lambda_simple_backends

        from filmstudio.localcloud.cloud import ACCOUNT
        from filmstudio.pipeline import analysis_cache
        from filmstudio.settings import get_settings

        answer = analysis_cache.preflight({"text": self.script, "language": None})
        if "error" in answer:
            raise CheckError(f"the sample script {SAMPLE_SCRIPT.name} is refused: {answer['error']}")
        lambda_simple_backends[ACCOUNT][get_settings().region].lambda_simple_results_queue.append(json.dumps(answer))

    def _call(self, spec, params):
        t0 = time.monotonic()
        answer = run_function(self.python, spec, self.assets[spec.name], self.layer_dir,
                              {**function_environment(spec, self.base_env), **self.env_overrides}, params)
        if not answer["ok"]:
            self.report.fail(_describe(spec.name, answer))
            return None
        self.report.passed.append(f"{spec.name} ({time.monotonic() - t0:.1f} s)")
        return answer["result"]

    def _api_token(self):
        if self.token is None:
            result = self._call(topology.function("api"), {"step": "register"})
            self.token = result and result["access_token"]
        return self.token

    def run(self, spec):
        getattr(self, f"run_{spec.name}", self.run_unknown)(spec)

    def run_unknown(self, spec):
        self.report.fail(f"{spec.name}: package-check has no scenario for this zip function; add one to "
                         "cdk/package_check.py")

    def run_api(self, spec):
        token = self._api_token()
        if not token:
            return
        if self.authorizer is None:
            result = self._call(topology.function("authorizer"), {"token": token})
            if result is None:
                return
            self.authorizer = result["context"]
        self._answer_intakes_analysis()
        result = self._call(spec, {"step": "job", "authorizer": self.authorizer, "script": self.script})
        if result is not None and result.get("status") != "QUEUED":
            self.report.fail(f"api: the job it started is {result.get('status')}, not QUEUED")

    def run_authorizer(self, spec):
        if self.authorizer is not None:
            return  # ran as part of the API's scenario
        token = self._api_token()
        if token:
            result = self._call(spec, {"token": token})
            self.authorizer = result and result["context"]

    def run_ingest(self, spec):
        from filmstudio import aws
        from filmstudio.settings import get_settings

        bucket = get_settings().bucket
        key = "users/package-check/projects/p1/raw/the_lighthouse_keeper.fountain"
        put = aws.client("s3").put_object(Bucket=bucket, Key=key, Body=self.script.encode("utf-8"),
                                          ContentType="text/plain")
        self._answer_intakes_analysis()
        result = self._call(spec, {"bucket": bucket, "key": key, "version_id": put.get("VersionId")})
        self.ingest_job = result and result["job_id"]

    def _ingested_job(self):
        if self.ingest_job is None:
            self.run_ingest(topology.function("ingest"))
        return self.ingest_job

    def run_gpu_submit(self, spec):
        job_id = self._ingested_job()
        if job_id:
            self._call(spec, {"event": {"stage": "music", "job_id": job_id, "tier": "preview",
                                        "manifest_key": "unused-by-submit", "task_token": "token-1"}})

    def run_gpu_callback(self, spec):
        # A notification for an inference nothing waits on: read from the GPU task table, then dropped.
        message = {"inferenceId": "package-check-unknown", "invocationStatus": "Completed",
                   "responseParameters": {"outputLocation": "s3://bucket/out"}}
        result = self._call(spec, {"event": {"Records": [{"Sns": {"Message": json.dumps(message)}}]}})
        if result is not None and result != [{"task_id": "package-check-unknown", "reported": None}]:
            self.report.fail(f"gpu_callback: unexpected answer {result}")

    def run_publish(self, spec):
        job_id = self._ingested_job()
        if not job_id:
            return
        outputs_key = _rendered_outputs(job_id)
        result = self._call(spec, {"event": {"job_id": job_id, "outputs_key": outputs_key}})
        if result is not None and result.get("status") != "SUCCEEDED":
            self.report.fail(f"publish: answered {result}, expected SUCCEEDED")

    def run_fail(self, spec):
        from filmstudio.jobs.store import JobStore

        # A job of its own (the API's), so publish's job stays as publish left it.
        jobs = JobStore()
        queued = [j for j in _all_jobs() if j != self.ingest_job]
        if not queued:
            self.report.fail("fail: no job to fail (the api scenario did not start one)")
            return
        error = {"Error": "StageFailed", "Cause": json.dumps({"stage": "motion", "reason": "package check"})}
        result = self._call(spec, {"event": {"job_id": queued[0], "stage": "render", "error": error}})
        if result is not None and jobs.get(queued[0]).status.value != "FAILED":
            self.report.fail(f"fail: job {queued[0]} is not FAILED after {result}")

    def run_rotate_keys(self, spec):
        from filmstudio import aws
        from filmstudio.settings import get_settings

        def ring() -> list[str]:
            value = aws.client("secretsmanager").get_secret_value(SecretId=get_settings().jwt_secret_name)
            return [key["kid"] for key in json.loads(value["SecretString"])["keys"]]

        self._api_token()  # the API's first run has put the first key in the ring
        before = ring()
        scheduled = {"version": "0", "id": "package-check", "detail-type": "Scheduled Event", "source": "aws.events",
                     "time": "2026-01-01T00:00:00Z", "resources": [], "detail": {}}
        result = self._call(spec, {"event": scheduled})
        if result is not None and (not result.get("rotated") or ring() != before + [result.get("added")]):
            self.report.fail(f"rotate_keys: the ring went from {before} to {ring()} ({result})")


def _all_jobs() -> list[str]:
    from filmstudio.db.base import bind_tables
    from filmstudio.db.records import JobRecord

    bind_tables()
    return [record.job_id for record in JobRecord.scan()]


def _rendered_outputs(job_id: str) -> str:
    """What the media stages and compose would have left for publish: the plan, a manifest, the files.

    Built here with the full package (this process), since the image functions are not zip functions.
    """
    from filmstudio.pipeline.stages import FINAL_FILES, StageContext, analyze_stage, plan_stage
    from filmstudio.storage.keys import generated_key

    ctx = StageContext()
    job = ctx.jobs.get(job_id)
    analysis = analyze_stage(ctx, job_id, job.script_key, job.language)
    manifest_key = plan_stage(ctx, job_id, analysis["analysis_key"], job.tier)["manifest_key"]
    manifest = ctx.manifest(manifest_key)
    produced = {"duration": 1.0}
    for name, (filename, content_type) in FINAL_FILES.items():
        key = generated_key(job.user_id, job.project_id, job_id, f"package-check/{filename}")
        ctx.artifacts.put_bytes(key, b"package-check", content_type)
        produced[name] = key
    for key in manifest.panels.values():
        ctx.artifacts.put_bytes(key, b"package-check", "image/png")
    outputs_key = generated_key(job.user_id, job.project_id, job_id, "package-check/outputs.json")
    ctx.artifacts.put_json(outputs_key, produced)
    return outputs_key


# -- the media image ------------------------------------------------------------------------------

def media_requirements(pyproject: Path = REPO / "pyproject.toml") -> list[str]:
    """What `pip install ".[media]"` in functions/media.Dockerfile installs from PyPI."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    return list(project["dependencies"]) + list(project["optional-dependencies"]["media"])


def media_wheels(requirements: list[str], cache: Path = CACHE_DIR, *, pip_args: tuple[str, ...] = (),
                 report: Report | None = None) -> list[Path] | None:
    """The wheels pip picks for the image's Python and platform, binary only; None (and a failure) if any
    requirement has no wheel there."""
    key = _digest(*requirements, PYTHON_VERSION, *PLATFORMS, *pip_args)
    dest = cache / f"media-{key}"
    stamp = dest / "resolved.json"
    if stamp.is_file():
        return [dest / name for name in json.loads(stamp.read_text())]
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--dest", str(dest), "--only-binary=:all:",
           "--implementation", "cp", "--python-version", PYTHON_VERSION, "--cache-dir", str(cache / "pip"),
           *pip_args]
    for platform in PLATFORMS:
        cmd += ["--platform", platform]
    proc = subprocess.run(cmd + requirements, capture_output=True, text=True)
    if proc.returncode != 0:
        shutil.rmtree(dest, ignore_errors=True)
        found = re.search(r"No matching distribution found for (\S+)", proc.stderr)
        what = found.group(1) if found else "a requirement"
        message = (f"media image: no wheel of {what} for cp{PYTHON_VERSION.replace('.', '')} {PLATFORMS[0]} "
                   f"(a source build is refused: the base image has no compiler)")
        if not found:
            message += f"\n{proc.stderr.strip()[-1500:]}"
        if report is None:
            raise CheckError(message)
        report.fail(message)
        return None
    wheels = sorted(p.name for p in dest.glob("*.whl"))
    not_wheels = sorted(p.name for p in dest.iterdir() if p.is_file() and not p.name.endswith(".whl"))
    if not_wheels and report is not None:
        report.fail(f"media image: pip fetched non-wheel distributions {not_wheels}")
    stamp.write_text(json.dumps(wheels))
    return [dest / name for name in wheels]


def glibc_failures(wheel: Path, base: dict[str, tuple[int, ...]] = BASE_VERSIONS) -> list[str]:
    """One line per ELF file in the wheel that needs a newer glibc/libstdc++ than the base image has."""
    out = []
    with zipfile.ZipFile(wheel) as zf:
        for info in zf.infolist():
            if info.is_dir() or info.file_size < 64:
                continue
            with zf.open(info) as fh:
                if not elf_needs.is_elf(fh.read(4)):
                    continue
            needs = elf_needs.version_needs(zf.read(info))
            for family, ceiling in base.items():
                newest = elf_needs.newest_needed(needs, family)
                if newest and newest[0] > ceiling:
                    version, need = newest
                    out.append(f"media image: {wheel.name}: {info.filename} needs {need.version} (from "
                               f"{need.library}); the base image has {family} {'.'.join(map(str, ceiling))}")
    return out


def check_media_image(report: Report, *, requirements: list[str] | None = None, pip_args: tuple[str, ...] = (),
                      cache: Path = CACHE_DIR, base: dict[str, tuple[int, ...]] = BASE_VERSIONS) -> None:
    wheels = media_wheels(requirements or media_requirements(), cache, pip_args=pip_args, report=report)
    if wheels is None:
        return
    for wheel in wheels:
        for line in glibc_failures(wheel, base):
            report.fail(line)
    if report.ok:
        report.passed.append(f"media image: {len(wheels)} wheels for {PLATFORMS[0]}, none needs glibc > "
                             f"{'.'.join(map(str, base['GLIBC']))}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", help="zip functions to run (default: every one)")
    parser.add_argument("--skip-media", action="store_true", help="leave out the media image's check")
    args = parser.parse_args(argv)
    t0 = time.monotonic()
    report = Report()
    try:
        python = find_interpreter()
        if not args.skip_media:
            check_media_image(report)
        layer_dir = cached_layer()
        check_zip_functions(python, layer_dir, report, only=tuple(args.only) if args.only else None)
    except CheckError as exc:
        print(f"package-check: {exc}", file=sys.stderr)
        return 2
    for line in report.passed:
        print(f"package-check: ok  {line}", file=sys.stderr)
    for line in report.failures:
        print(f"package-check: FAIL {line}", file=sys.stderr)
    verdict = "passed" if report.ok else f"{len(report.failures)} failure(s)"
    print(f"package-check: {verdict} in {time.monotonic() - t0:.0f} s", file=sys.stderr)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
