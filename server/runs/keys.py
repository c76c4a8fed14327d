"""Redis key layout for the LangGraph API records, all under the configured prefix.

Layout (``P`` is the prefix, e.g. ``fxdesk:``)::

    P api:thread:{tid}          hash: owner, created_at, updated_at, metadata, status, values, interrupts,
                                config, error (JSON fields); the thread record
    P api:thread:{tid}:runs     zset run_id -> created time; the thread's runs, newest last
    P api:thread:{tid}:queue    list of run ids; the head is the run executing, the rest wait in order
    P api:user:{uid}:threads    zset thread_id -> created time; what `POST /threads/search` may see
    P api:run:{rid}             hash: record (static JSON), status, updated_at
    P api:run:{rid}:alive       string with a short TTL, renewed by the replica that owns the run
    P api:run:{rid}:cancel      string: the cancel action, set by any replica, obeyed by the owner

A run id sits in its thread's queue from creation until it finishes; its ``alive`` key proves
that some replica still owns it, so a waiter can drop a head whose replica died.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ApiKeys:
    """Builds every key the API stores, so the layout lives in one place."""

    prefix: str = "fxdesk:"

    def thread(self, thread_id: str) -> str:
        """Return the thread record key."""
        return f"{self.prefix}api:thread:{thread_id}"

    def thread_runs(self, thread_id: str) -> str:
        """Return the key of the thread's run index."""
        return f"{self.prefix}api:thread:{thread_id}:runs"

    def thread_queue(self, thread_id: str) -> str:
        """Return the key of the thread's run queue."""
        return f"{self.prefix}api:thread:{thread_id}:queue"

    def user_threads(self, user_id: str) -> str:
        """Return the key of the user's thread index."""
        return f"{self.prefix}api:user:{user_id}:threads"

    def run(self, run_id: str) -> str:
        """Return the run record key."""
        return f"{self.prefix}api:run:{run_id}"

    def run_alive(self, run_id: str) -> str:
        """Return the run's liveness key."""
        return f"{self.prefix}api:run:{run_id}:alive"

    def run_cancel(self, run_id: str) -> str:
        """Return the run's cancel-request key."""
        return f"{self.prefix}api:run:{run_id}:cancel"
