"""The desk database: one SQLAlchemy engine, created (and filled with demo data) on first use.

The desk's as-of date is the ``as_of`` the database was opened with (``Settings.as_of``, i.e.
``FXDESK_AS_OF``) when set, else the latest complete day of rates (a day
with a close for every pair that has rates), so loading a new day's closes moves it forward; a
database without rates falls back to the ``as_of`` recorded in ``meta``.
"""

from __future__ import annotations

import os
import threading
import time
from datetime import date
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, func, select

from data import position_snapshot, schema

DEFAULT_HOME = Path(os.environ.get("FXDESK_HOME", Path.home() / ".fxdesk"))
AS_OF_TTL_S = 5.0  # another process (``fxdesk data load``) may add a day: look again after this long


def default_url() -> str:
    """Return ``FXDESK_DATABASE_URL``, or an SQLite file under ``FXDESK_HOME`` (default ``~/.fxdesk``)."""
    if url := os.environ.get("FXDESK_DATABASE_URL"):
        return url
    home = Path(os.environ.get("FXDESK_HOME", DEFAULT_HOME))
    home.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{home / 'fxdesk.db'}"


class Database:
    """A handle on the desk data: the engine plus the dataset's as-of date."""

    def __init__(self, engine: Engine, *, as_of: date | None = None):
        self.engine = engine
        self._as_of_override = as_of
        self._as_of: date | None = None
        self._as_of_at = 0.0
        self._lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str | None = None, *, ensure_demo: bool = True, as_of: date | None = None) -> Database:
        """Connect to ``url`` (default: `default_url`) and build the demo dataset if the database is empty.

        Args:
            url: SQLAlchemy URL of the desk database.
            ensure_demo: Create the schema and the demo data when the database is empty.
            as_of: Desk date override (``Settings.as_of``); default the dataset's.

        """
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
        db = cls(engine, as_of=as_of)
        if ensure_demo:
            db.ensure_demo()
        return db

    def ensure_demo(self) -> None:
        """Create the schema and generate the demo data unless it is already there.

        A database made before the position snapshot existed gets one for its latest complete day.
        """
        with self._lock:
            schema.metadata.create_all(self.engine)
            if self.meta("as_of") is None and self.meta("source") is None:
                from data.demo import build_demo  # generator is heavy; import on first use only

                build_demo(self.engine)
            elif not self._has_snapshot():
                with self.engine.begin() as conn:
                    day = latest_complete_rate_day(conn)
                    if day is not None:
                        position_snapshot.rebuild(conn, day)

    def _has_snapshot(self) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(schema.position_snapshot_meta.c.day)).first() is not None

    def reset(self) -> None:
        """Drop every table and rebuild the demo dataset from its seed."""
        with self._lock:
            schema.metadata.drop_all(self.engine)
            self._as_of = None
        self.ensure_demo()

    def forget_as_of(self) -> None:
        """Drop the cached as-of date (after a load changed the rates)."""
        self._as_of = None

    def meta(self, key: str) -> str | None:
        """Return one value from the ``meta`` table, or None."""
        with self.engine.connect() as conn:
            return conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == key)).scalar()

    @property
    def as_of(self) -> date:
        """The desk date: the ``as_of`` override, else the latest complete day of rates, else ``meta.as_of``."""
        if self._as_of_override is not None:
            return self._as_of_override
        if self._as_of is None or time.monotonic() - self._as_of_at > AS_OF_TTL_S:
            with self.engine.connect() as conn:
                found = latest_complete_rate_day(conn)
                if found is None:
                    value = conn.execute(select(schema.meta.c.value).where(schema.meta.c.key == "as_of")).scalar()
                    found = date.fromisoformat(value) if value else None
            if found is None:
                raise RuntimeError("the desk database has no rates and no as_of date: "
                                   "run `fxdesk data reset` or `fxdesk data load`")
            self._as_of, self._as_of_at = found, time.monotonic()
        return self._as_of


def latest_complete_rate_day(conn: Connection) -> date | None:
    """Return the latest day with a close for every pair that has rates, or None when there are no rates."""
    r = schema.rates
    pairs = select(func.count(func.distinct(r.c.pair))).scalar_subquery()
    day = conn.execute(select(r.c.day).group_by(r.c.day).having(func.count() >= pairs)
                       .order_by(r.c.day.desc()).limit(1)).scalar()
    if day is None:
        return None
    return day if isinstance(day, date) else date.fromisoformat(str(day)[:10])


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
