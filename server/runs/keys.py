"""Redis key layout for the LangGraph API records, all under the configured prefix.

Layout (``P`` is the prefix, e.g. ``fxdesk:``; ``{...}`` are literal braces, a Cluster hash tag)::

    P api:thread:{tid}          hash: owner, created_at, updated_at, metadata, status, values, interrupts,
                                config, error (JSON fields); the thread record
    P api:thread-runs:{tid}     zset run_id -> created time; the thread's runs, newest last
    P api:thread-queue:{tid}    list of run ids; the head is the run executing, the rest wait in order
    P api:user-threads:{uid}    zset thread_id -> created time; what `POST /threads/search` may see
    P api:run:{rid}             hash: record (static JSON), status, updated_at
    P api:run-alive:{rid}       string with a short TTL, renewed by the replica that owns the run
    P api:run-cancel:{rid}      string: the cancel action, set by any replica, obeyed by the owner
    P api:run-events:{rid}      stream: the run's SSE events, bounded and expiring (`server.runs.relay`)

Collision-proof by construction (issue 12): each kind of key has its own namespace word before
the id, and the id is the last part, inside braces. Thread and run ids are checked against the id
rule (`server.ids`: no braces, colons or wildcards) here as well as at the API's edge, so
``X:runs`` can never name another thread's key and a ``}`` can never end the hash tag early. User
ids come from the user store; one outside the rule is replaced by its SHA-256 so it cannot either.

A run id sits in its thread's queue from creation until it finishes; its ``alive`` key proves
that some replica still owns it, so a waiter can drop a head whose replica died.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from server.ids import is_safe_id, require_safe_id


@dataclass(frozen=True)
class ApiKeys:
    """Builds every key the API stores, so the layout lives in one place."""

    prefix: str = "fxdesk:"

    def thread(self, thread_id: str) -> str:
        """Return the thread record key."""
        return self._key("thread", require_safe_id(thread_id, "thread_id"))

    def thread_runs(self, thread_id: str) -> str:
        """Return the key of the thread's run index."""
        return self._key("thread-runs", require_safe_id(thread_id, "thread_id"))

    def thread_queue(self, thread_id: str) -> str:
        """Return the key of the thread's run queue."""
        return self._key("thread-queue", require_safe_id(thread_id, "thread_id"))

    def user_threads(self, user_id: str) -> str:
        """Return the key of the user's thread index."""
        return self._key("user-threads", _user_tag(user_id))

    def user_crons(self, user_id: str) -> str:
        """Return the key of the user's cron index."""
        return self._key("user-crons", _user_tag(user_id))

    def cron(self, cron_id: str) -> str:
        """Return the cron record key."""
        return self._key("cron", require_safe_id(cron_id, "cron_id"))

    def cron_tick(self, cron_id: str, tick_ms: int) -> str:
        """Return the lock key of one tick of one cron."""
        return f"{self._key('cron-tick', require_safe_id(cron_id, 'cron_id'))}:{int(tick_ms)}"

    def crons_due(self) -> str:
        """Return the key of the crons' due index."""
        return f"{self.prefix}api:crons-due"

    def run(self, run_id: str) -> str:
        """Return the run record key."""
        return self._key("run", require_safe_id(run_id, "run_id"))

    def run_alive(self, run_id: str) -> str:
        """Return the run's liveness key."""
        return self._key("run-alive", require_safe_id(run_id, "run_id"))

    def run_cancel(self, run_id: str) -> str:
        """Return the run's cancel-request key."""
        return self._key("run-cancel", require_safe_id(run_id, "run_id"))

    def run_events(self, run_id: str) -> str:
        """Return the key of the run's event stream."""
        return self._key("run-events", require_safe_id(run_id, "run_id"))

    def _key(self, kind: str, ident: str) -> str:
        return f"{self.prefix}api:{kind}:{{{ident}}}"


def _user_tag(user_id: str) -> str:
    # User ids come from the user store; one outside the id rule is replaced by its digest.
    return user_id if is_safe_id(user_id) else "sha256-" + hashlib.sha256(user_id.encode()).hexdigest()
