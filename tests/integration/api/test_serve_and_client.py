"""`filmstudio serve` (uvicorn in the local cloud) and the API client that `render --api URL` uses:
a real HTTP server, a real render through the local state machine, the outputs downloaded."""

from __future__ import annotations


import pytest

from served_api import served_api

from sample_scripts import ONE_SCENE as SCRIPT

pytestmark = pytest.mark.slow


@pytest.fixture
def served():
    with served_api() as url:
        yield url


def test_render_through_the_served_api(served, tmp_path, monkeypatch):
    from filmstudio.api.client import ApiClient

    monkeypatch.setenv("FILMSTUDIO_EMAIL", "cli@example.com")
    monkeypatch.setenv("FILMSTUDIO_PASSWORD", "a long enough password")
    script = tmp_path / "two-cups.fountain"
    script.write_text(SCRIPT, encoding="utf-8")
    progress = []
    with ApiClient.from_env(served) as client:
        result = client.render(script, tmp_path / "out", poll=0.25, on_progress=lambda j: progress.append(j["status"]))
        assert result.job["status"] == "SUCCEEDED"
        film = result.files["film"].read_bytes()
        assert film[4:8] == b"ftyp"
        assert result.files["thumbnail"].read_bytes()[:3] == b"\xff\xd8\xff"
        assert "-->" in result.files["srt"].read_text(encoding="utf-8")
        credits = client.credits()
        assert credits["held"] == 0
        assert any(e["kind"] == "settle" and e["job_id"] == result.job["job_id"] for e in credits["ledger"])
    assert progress[-1] == "SUCCEEDED"


def test_the_client_registers_once_then_logs_in_and_refreshes(served):
    from filmstudio.api.client import ApiClient, ApiError

    with ApiClient(served, email="twice@example.com", password="a long enough password") as first:
        user = first.me()
    with ApiClient(served, email="twice@example.com", password="a long enough password") as second:
        assert second.me()["user_id"] == user["user_id"]
        second.access = "expired-or-garbage"  # the client renews with its refresh token
        assert second.me()["user_id"] == user["user_id"]
    with ApiClient(served, email="twice@example.com", password="the wrong password!") as wrong:
        with pytest.raises(ApiError) as err:
            wrong.me()
        assert err.value.code == "INVALID_CREDENTIALS"


def test_missing_credentials_are_a_clear_error(monkeypatch):
    from filmstudio.api.client import ApiClient
    from filmstudio.errors import FilmStudioError

    monkeypatch.delenv("FILMSTUDIO_EMAIL", raising=False)
    monkeypatch.delenv("FILMSTUDIO_PASSWORD", raising=False)
    with pytest.raises(FilmStudioError) as err:
        ApiClient.from_env("http://127.0.0.1:9")
    assert err.value.code == "MISSING_CREDENTIALS"


def test_cli_renders_through_the_api_and_refuses_what_the_api_refuses(served, tmp_path, monkeypatch, capsys):
    from filmstudio.cli import main

    monkeypatch.setenv("FILMSTUDIO_EMAIL", "cli-api@example.com")
    monkeypatch.setenv("FILMSTUDIO_PASSWORD", "a long enough password")
    script = tmp_path / "two-cups.fountain"
    script.write_text(SCRIPT, encoding="utf-8")
    out = tmp_path / "film"
    assert main(["render", str(script), "--out", str(out), "--api", served, "--quiet"]) == 0
    assert (out / "film.mp4").read_bytes()[4:8] == b"ftyp"
    assert '"SUCCEEDED"' in (out / "job.json").read_text(encoding="utf-8")
    capsys.readouterr()

    # The API refuses an unknown language with a 422: one line, exit 2, nothing downloaded.
    refused = tmp_path / "refused"
    assert main(["render", str(script), "--out", str(refused), "--api", served, "--quiet", "--language", "xx"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "UNSUPPORTED_LANGUAGE" in err
    assert not refused.exists()


def test_cli_without_credentials_for_the_api_exits_2(tmp_path, monkeypatch, capsys):
    from filmstudio.cli import main

    monkeypatch.delenv("FILMSTUDIO_EMAIL", raising=False)
    monkeypatch.delenv("FILMSTUDIO_PASSWORD", raising=False)
    script = tmp_path / "s.fountain"
    script.write_text(SCRIPT, encoding="utf-8")
    assert main(["render", str(script), "--api", "http://127.0.0.1:9", "--quiet"]) == 2
    assert "FILMSTUDIO_EMAIL" in capsys.readouterr().err
