"""Fixtures of the web desk's browser tests: a real `fxdesk serve` per module and Debian's Chromium via Playwright.

Chromium is the distribution's (``apt-get install chromium``), never a Playwright download; the
tests are skipped with the install command when ``/usr/bin/chromium`` is missing.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest
import redis

from tests.integration.server.servers import ServerProcess, base_env, start_fxdesk

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-gpu"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Debian's Chromium driven by Playwright (sync API), closed with its module so no event loop outlives it."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed: apt-get update && apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def shots_dir(tmp_path_factory) -> Path:
    """Where the tests save their screenshots."""
    return tmp_path_factory.mktemp("web-desk-shots")


def _serve(tmp_path_factory, redis_url: str, name: str, *, dev: bool, **env_overrides: str) -> Iterator[ServerProcess]:
    home = tmp_path_factory.mktemp(f"e2e-home-{name}")
    prefix = f"fxdesk-e2e:{uuid4().hex}:"
    env = base_env(home, redis_url, prefix)
    env.update(env_overrides)
    server = start_fxdesk(home, env, echo=False, extra=("--dev",) if dev else ())
    server.home = home  # type: ignore[attr-defined]
    try:
        yield server
    finally:
        server.stop()
        client = redis.Redis.from_url(redis_url)
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        for start in range(0, len(keys), 500):
            client.delete(*keys[start:start + 500])
        client.close()
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="module")
def dev_server(tmp_path_factory, redis_url) -> Iterator[ServerProcess]:
    """`fxdesk serve --dev` on the real fxdesk graph (offline model), its own FXDESK_HOME and Redis prefix."""
    yield from _serve(tmp_path_factory, redis_url, "dev", dev=True)


@pytest.fixture(scope="module")
def limited_server(tmp_path_factory, redis_url) -> Iterator[ServerProcess]:
    """`fxdesk serve` without --dev and with a rate limit of one run per minute per user."""
    yield from _serve(tmp_path_factory, redis_url, "limited", dev=False, FXDESK_RATE_LIMIT="1/minute",
                      FXDESK_RATE_BURST="1")


@pytest.fixture(scope="module")
def server_db(dev_server):
    """The desk database the dev server reads (for computing expected figures with the tools themselves)."""
    from data.database import Database

    db = Database.from_url(f"sqlite:///{dev_server.home / 'fxdesk.db'}")
    yield db
    db.engine.dispose()
