"""A small client for the REST API, used by `filmstudio render --api URL`.

    client = ApiClient.from_env("https://api.example.com")   # FILMSTUDIO_EMAIL / FILMSTUDIO_PASSWORD
    result = client.render(Path("story.fountain"), Path("out/"))

It logs in (registering the account on first use), creates a project, starts a job with
the script's text, polls it to the end and downloads the outputs. Access tokens are
refreshed when they expire. Download URLs that point at the API itself (`filmstudio
serve`) get the Bearer token; presigned S3 URLs must not (S3 would refuse the request).
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlparse

import httpx

from filmstudio.errors import FilmStudioError

TERMINAL = ("SUCCEEDED", "FAILED", "CANCELLED")
# name -> file name for the outputs a finished job lists
OUTPUT_FILES = {"film": "film.mp4", "srt": "film.srt", "vtt": "film.vtt", "thumbnail": "thumbnail.jpg",
                "contact_sheet": "contact_sheet.png", "plan": "plan.json", "qc": "qc.json"}


class ApiError(FilmStudioError):
    """An error answer from the API, with its envelope's code."""

    def __init__(self, status: int, code: str, message: str, details: Any = None):
        super().__init__(message, code=code, details=details)
        self.http_status = status


@dataclass
class RenderResult:
    job: dict
    files: dict[str, Path] = field(default_factory=dict)


class ApiClient:
    def __init__(self, base_url: str, *, email: str | None = None, password: str | None = None,
                 http: httpx.Client | None = None, timeout: float = 60.0):
        self.base_url = base_url.rstrip("/")
        self.email, self.password = email, password
        self.http = http or httpx.Client(base_url=self.base_url, timeout=timeout)
        self._own_http = http is None
        self.access: str | None = None
        self.refresh_token: str | None = None

    @classmethod
    def from_env(cls, base_url: str, **kw) -> "ApiClient":
        email, password = os.environ.get("FILMSTUDIO_EMAIL"), os.environ.get("FILMSTUDIO_PASSWORD")
        if not email or not password:
            raise FilmStudioError("set FILMSTUDIO_EMAIL and FILMSTUDIO_PASSWORD to use --api",
                                  code="MISSING_CREDENTIALS")
        return cls(base_url, email=email, password=password, **kw)

    def close(self) -> None:
        if self._own_http:
            self.http.close()

    def __enter__(self) -> "ApiClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- plumbing ---------------------------------------------------------------------------
    def _url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.base_url}{path}"

    def _raise(self, r: httpx.Response) -> None:
        try:
            err = r.json()["error"]
            raise ApiError(r.status_code, err.get("code", "HTTP_ERROR"), err.get("message", r.reason_phrase),
                           err.get("details"))
        except (ValueError, KeyError, TypeError):
            raise ApiError(r.status_code, "HTTP_ERROR", f"{r.status_code} {r.reason_phrase}") from None

    def request(self, method: str, path: str, *, auth: bool = True, **kw) -> Any:
        if auth and not self.access:
            self.login()
        for attempt in (1, 2):
            headers = dict(kw.pop("headers", None) or {})
            if auth:
                headers["Authorization"] = f"Bearer {self.access}"
            r = self.http.request(method, self._url(path), headers=headers, **kw)
            kw["headers"] = {k: v for k, v in headers.items() if k != "Authorization"}
            if r.status_code == 401 and auth and attempt == 1:
                self._renew()
                continue
            if r.status_code >= 400:
                self._raise(r)
            return r.json() if r.content else None
        raise AssertionError("unreachable")

    # -- auth -------------------------------------------------------------------------------
    def _take(self, tokens: dict) -> None:
        self.access, self.refresh_token = tokens["access_token"], tokens["refresh_token"]

    def register(self) -> dict:
        body = self.request("POST", "/v1/auth/register", auth=False,
                            json={"email": self.email, "password": self.password})
        self._take(body["tokens"])
        return body["user"]

    def login(self) -> None:
        if not self.email or not self.password:
            raise FilmStudioError("no credentials to log in with", code="MISSING_CREDENTIALS")
        try:
            self._take(self.request("POST", "/v1/auth/login", auth=False,
                                    json={"email": self.email, "password": self.password}))
        except ApiError as exc:
            if exc.code != "INVALID_CREDENTIALS":
                raise
            try:
                self.register()  # first use of these credentials against this API
            except ApiError as reg:
                if reg.code == "EMAIL_TAKEN":
                    raise exc from None  # the account exists: the password was wrong
                raise

    def _renew(self) -> None:
        if self.refresh_token:
            try:
                self._take(self.request("POST", "/v1/auth/refresh", auth=False,
                                        json={"refresh_token": self.refresh_token}))
                return
            except ApiError:
                pass
        self.login()

    def logout(self) -> None:
        if self.refresh_token:
            self.request("POST", "/v1/auth/logout", auth=False, json={"refresh_token": self.refresh_token})
            self.access = self.refresh_token = None

    # -- resources ----------------------------------------------------------------------------
    def me(self) -> dict:
        return self.request("GET", "/v1/me")

    def credits(self) -> dict:
        return self.request("GET", "/v1/me/credits")

    def create_project(self, name: str, description: str = "") -> dict:
        return self.request("POST", "/v1/projects", json={"name": name, "description": description})

    def start_job(self, project_id: str, *, script: str | None = None, asset_id: str | None = None,
                  tier: str = "preview", language: str | None = None, burn_subtitles: bool = False,
                  idempotency_key: str | None = None) -> dict:
        body: dict[str, Any] = {"tier": tier, "burn_subtitles": burn_subtitles}
        body |= {"script": script} if script is not None else {"asset_id": asset_id}
        if language:
            body["language"] = language
        key = idempotency_key or uuid.uuid4().hex  # a retried POST never starts a second job
        return self.request("POST", f"/v1/projects/{project_id}/jobs", json=body, headers={"Idempotency-Key": key})

    def job(self, job_id: str) -> dict:
        return self.request("GET", f"/v1/jobs/{job_id}")

    def cancel(self, job_id: str) -> dict:
        return self.request("POST", f"/v1/jobs/{job_id}/cancel")

    def wait(self, job_id: str, *, timeout: float | None = None, poll: float = 1.0,
             on_progress: Callable[[dict], None] | None = None, stall_seconds: float | None = None) -> dict:
        """The job once terminal. No overall limit unless `timeout` is given: the job is waited
        for while it progresses, and RenderStalledError names its stage once it has not moved
        for `stall_seconds` (filmstudio.jobs.watch)."""
        from filmstudio.jobs.watch import ProgressWatch, job_signature

        deadline = None if timeout is None else time.monotonic() + timeout
        watch = ProgressWatch(stall_seconds)
        while True:
            job = self._poll(job_id)
            if on_progress:
                on_progress(job)
            if job["status"] in TERMINAL:
                return job
            watch.check(job_signature(job), job.get("stage"))
            if deadline is not None and time.monotonic() > deadline:
                raise FilmStudioError(f"job {job_id} still {job['status']} after {timeout:.0f} s", code="TIMEOUT")
            time.sleep(poll)

    def _poll(self, job_id: str, attempts: int = 3) -> dict:
        """The job, read again after a dropped connection: a wait of hours over a network sees
        resets (a server closing an idle keep-alive connection as the next poll goes out)."""
        for attempt in range(attempts):
            try:
                return self.job(job_id)
            except (httpx.ReadError, httpx.RemoteProtocolError, httpx.ConnectError, httpx.WriteError):
                if attempt == attempts - 1:
                    raise
                time.sleep(0.5 * (attempt + 1))
        raise AssertionError("unreachable")

    def upload_asset(self, project_id: str, data: bytes, filename: str, content_type: str = "text/plain") -> dict:
        """Upload through the presigned POST (straight to S3) and return the asset record."""
        created = self.request("POST", f"/v1/projects/{project_id}/assets",
                               json={"filename": filename, "content_type": content_type, "size": len(data)})
        upload = created["upload"]
        r = httpx.post(upload["url"], data=upload["fields"], files={"file": (filename, data, content_type)},
                       timeout=120)
        if r.status_code >= 300:
            raise ApiError(r.status_code, "UPLOAD_FAILED", f"S3 refused the upload: {r.text[:200]}")
        return created["asset"]

    def download(self, url: str, dest: Path) -> Path:
        dest.parent.mkdir(parents=True, exist_ok=True)
        ours = urlparse(url).netloc == urlparse(self.base_url).netloc
        headers = {"Authorization": f"Bearer {self.access}"} if ours else {}
        with self.http.stream("GET", url, headers=headers, follow_redirects=True) as r:
            if r.status_code >= 400:
                r.read()
                self._raise(r)
            with dest.open("wb") as fh:
                for chunk in r.iter_bytes():
                    fh.write(chunk)
        return dest

    # -- the whole thing ----------------------------------------------------------------------
    def render(self, script: Path, out_dir: Path, *, tier: str = "preview", language: str | None = None,
               burn_subtitles: bool = False, project_name: str | None = None,
               on_progress: Callable[[dict], None] | None = None, poll: float = 1.0,
               timeout: float | None = None, stall_seconds: float | None = None) -> RenderResult:
        """Render `script` and download its outputs into `out_dir`. A job that ends FAILED or
        CANCELLED is returned (with no files) for the caller to report; API refusals raise ApiError."""
        from filmstudio.script_input import decode_script

        text = decode_script(script.read_bytes(), script.name)  # refuse locally what the API would refuse
        project = self.create_project(project_name or script.stem[:200] or "film")
        job = self.start_job(project["project_id"], script=text, tier=tier, language=language,
                             burn_subtitles=burn_subtitles)
        job = self.wait(job["job_id"], poll=poll, timeout=timeout, on_progress=on_progress, stall_seconds=stall_seconds)
        result = RenderResult(job=job)
        if job["status"] == "SUCCEEDED":
            for name, url in job["outputs"].items():
                result.files[name] = self.download(url, out_dir / OUTPUT_FILES.get(name, name))
        return result
