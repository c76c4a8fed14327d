"""Shared fixtures: a real Redis (started if needed) with a key prefix per test, and the demo database."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import pytest
import redis

from tests.redis_keys import delete_prefix

pytest_plugins = ["tests.hang_report"]  # where a test hangs, printed at the end of the run

REDIS_URL_ENV = "FXDESK_TEST_REDIS_URL"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> Iterator[str]:
    """A Redis that answers: ``FXDESK_TEST_REDIS_URL``, 127.0.0.1:6379, or a redis-server we start."""
    url = os.environ.get(REDIS_URL_ENV, "redis://127.0.0.1:6379/0")
    if _answers(url):
        yield url
        return
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail(f"No Redis answers at {url} and redis-server is not installed. "
                    f"Install Redis (apt-get install redis-server) or set {REDIS_URL_ENV}.")
    port = _free_port()
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while not _answers(url):
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"redis-server started on port {port} but did not answer within 10 s")
        time.sleep(0.05)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def redis_prefix(redis_url: str) -> Iterator[str]:
    """A key prefix unique to this test; every key under it is deleted afterwards (never FLUSHALL)."""
    prefix = f"fxdesk-test:{uuid4().hex}:"
    yield prefix
    delete_prefix(redis_url, prefix)


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    """A sync client on the test Redis."""
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


@pytest.fixture(scope="session")
def fxdesk_home(tmp_path_factory) -> Path:
    """A private FXDESK_HOME so tests never touch the user's ~/.fxdesk."""
    home = tmp_path_factory.mktemp("fxdesk-home")
    os.environ["FXDESK_HOME"] = str(home)
    return home


# -- desk database (demo dataset) -------------------------------------------------------------------
PG_ADMIN_DSN_ENV = "FXDESK_TEST_PG_DSN"
PG_ADMIN_DSN = os.environ.get(PG_ADMIN_DSN_ENV, "host=127.0.0.1 port=5432 user=postgres dbname=postgres")


def _pg_answers(host: str = "127.0.0.1", port: int = 5432) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def desk_db(tmp_path_factory):
    """The demo dataset in a temporary SQLite file, built once per test session (a `data.database.Database`)."""
    from data.database import Database

    path = tmp_path_factory.mktemp("desk-db") / "fxdesk.db"
    db = Database.from_url(f"sqlite:///{path}")
    yield db
    db.engine.dispose()


@pytest.fixture(scope="session")
def _desk_db_postgres():
    """The demo dataset in a fresh PostgreSQL database ``fxdesk_test_<uuid>``, dropped at session end."""
    if not _pg_answers():
        pytest.skip("PostgreSQL: nothing answers on 127.0.0.1:5432 (start it to run the postgresql params)")
    import psycopg

    from data.database import Database

    name = f"fxdesk_test_{uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    db = Database.from_url(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
    try:
        yield db
    finally:
        db.engine.dispose()
        with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def desk_db_any(request):
    """The demo dataset on each backend: SQLite (same as ``desk_db``) and a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return request.getfixturevalue("desk_db")
    return request.getfixturevalue("_desk_db_postgres")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A throwaway, empty PostgreSQL database for one test (SQLAlchemy URL), dropped afterwards."""
    if not _pg_answers():
        pytest.skip("PostgreSQL: nothing answers on 127.0.0.1:5432")
    import psycopg

    name = f"fxdesk_test_{uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
