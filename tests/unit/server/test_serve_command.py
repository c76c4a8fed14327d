import os

import typer
from typer.testing import CliRunner

from server.commands import serve


def _app() -> typer.Typer:
    app = typer.Typer()
    serve.register(app)
    app.command("noop")(lambda: None)  # a second command keeps "serve" a subcommand
    return app


def test_dev_mode_refuses_a_non_loopback_host_before_starting(monkeypatch):
    started = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: started.append((a, k)))
    monkeypatch.setenv("FXDESK_SERVE_DEV", "")
    result = CliRunner().invoke(_app(), ["serve", "--dev", "--host", "0.0.0.0"])
    text = " ".join(result.output.replace("│", " ").split())
    assert result.exit_code != 0 and "bind to 127.0.0.1 or ::1 only" in text
    assert started == []


def test_serve_passes_host_port_workers_to_uvicorn_factory(monkeypatch):
    started = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: started.append((a, k)))
    for name in ("FXDESK_SERVE_GRAPHS", "FXDESK_SERVE_CONFIG", "FXDESK_SERVE_DEV"):
        monkeypatch.setenv(name, "")  # restored after the test, since serve() writes them
    result = CliRunner().invoke(_app(), ["serve", "--port", "9001", "--workers", "2", "--graph", "g=x.py:graph"])
    assert result.exit_code == 0, result.output
    [(args, kwargs)] = started
    assert args == ("server.app:app_from_env",) and kwargs["factory"] is True
    assert (kwargs["host"], kwargs["port"], kwargs["workers"]) == ("127.0.0.1", 9001, 2)
    assert os.environ["FXDESK_SERVE_GRAPHS"] == "g=x.py:graph" and os.environ["FXDESK_SERVE_DEV"] == "0"


def _no_key_configured(monkeypatch, tmp_path):
    for name in ("FXDESK_JWT_SECRET", "FXDESK_JWT_PUBLIC_KEY", "FXDESK_JWT_PRIVATE_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FXDESK_HOME", str(tmp_path))
    for name in ("FXDESK_SERVE_GRAPHS", "FXDESK_SERVE_CONFIG", "FXDESK_SERVE_DEV"):
        monkeypatch.setenv(name, "")


def test_serve_refuses_a_public_host_without_a_configured_token_key(monkeypatch, tmp_path):
    """Issue 12, finding 6: the generated development secret never guards a non-loopback bind."""
    started = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: started.append((a, k)))
    _no_key_configured(monkeypatch, tmp_path)
    result = CliRunner().invoke(_app(), ["serve", "--host", "0.0.0.0"])
    text = " ".join(result.output.replace("│", " ").split())
    assert result.exit_code != 0 and "FXDESK_JWT_SECRET" in text and "loopback" in text
    assert started == []


def test_serve_on_loopback_without_a_key_warns_about_the_development_secret(monkeypatch, tmp_path):
    """Issue 12, finding 6: loopback still starts, but says which secret checks tokens."""
    started = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: started.append((a, k)))
    _no_key_configured(monkeypatch, tmp_path)
    result = CliRunner().invoke(_app(), ["serve", "--host", "127.0.0.1"])
    assert result.exit_code == 0, result.output
    assert "development secret" in result.output and len(started) == 1


def test_serve_binds_a_public_host_when_a_secret_is_configured(monkeypatch, tmp_path):
    started = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: started.append((a, k)))
    _no_key_configured(monkeypatch, tmp_path)
    monkeypatch.setenv("FXDESK_JWT_SECRET", "a-configured-secret-of-enough-length")
    result = CliRunner().invoke(_app(), ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert "development secret" not in result.output and started[0][1]["host"] == "0.0.0.0"
