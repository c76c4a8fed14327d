"""The desk database: one SQLAlchemy engine, created (and filled with demo data) on first use."""

from __future__ import annotations

import os
import threading
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, select

from data import schema

DEFAULT_HOME = Path(os.environ.get("FXDESK_HOME", Path.home() / ".fxdesk"))


def default_url() -> str:
    """Return ``FXDESK_DATABASE_URL``, or an SQLite file under ``FXDESK_HOME`` (default ``~/.fxdesk``)."""
    if url := os.environ.get("FXDESK_DATABASE_URL"):
        return url
    home = Path(os.environ.get("FXDESK_HOME", DEFAULT_HOME))
    home.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{home / 'fxdesk.db'}"


class Database:
    """A handle on the desk data: the engine plus the dataset's as-of date."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._as_of: date | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str | None = None, *, ensure_demo: bool = True) -> Database:
        """Connect to ``url`` (default: `default_url`) and build the demo dataset if the database is empty."""
        url = url or default_url()
        kwargs: dict = {"future": True}
        if url.startswith("sqlite"):
            # One file shared by threads of the server and the CLI; WAL lets readers run during a write.
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            kwargs["pool_pre_ping"] = True
        engine = create_engine(url, **kwargs)
        if url.startswith("sqlite"):
            event.listen(engine, "connect", _sqlite_pragmas)
        db = cls(engine)
        if ensure_demo:
            db.ensure_demo()
        return db

    def ensure_demo(self) -> None:
        """Create the schema and generate the demo data unless it is already there."""
        with self._lock:
            schema.metadata.create_all(self.engine)
            if self.meta("as_of") is None:
                from data.demo import build_demo  # generator is heavy; import on first use only

                build_demo(self.engine)

    def reset(self) -> None:
        """Drop every table and rebuild the demo dataset from its seed."""
        with self._lock:
            schema.metadata.drop_all(self.engine)
            self._as_of = None
        self.ensure_demo()

    def meta(self, key: str) -> str | None:
        """Return one value from the ``meta`` table, or None."""
        with self.engine.connect() as conn:
            return conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == key)).scalar()

    @property
    def as_of(self) -> date:
        """The dataset's desk date (``FXDESK_AS_OF`` overrides it)."""
        if override := os.environ.get("FXDESK_AS_OF"):
            return date.fromisoformat(override)
        if self._as_of is None:
            value = self.meta("as_of")
            if value is None:
                raise RuntimeError("the desk database has no as_of date: run `fxdesk data reset`")
            self._as_of = date.fromisoformat(value)
        return self._as_of


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
