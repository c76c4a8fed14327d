"""The cron scheduler every replica runs: each due tick starts exactly one run, on whichever replica claims it.

Every ``poll`` seconds a replica reads the due index and, for each due tick, takes the tick's lock
(``SET NX`` with a short lease). The run it starts has an id derived from the cron and the tick
(uuid5), so a replica that claims a tick whose previous holder died after starting the run sees
that run and does not start another; a holder that died before starting it simply lets the lease
lapse and another replica starts it. Committing the tick marks its lock ``done`` and moves the cron
to its next tick, atomically, only if nobody moved it meanwhile.

Each run executes as the cron's creator with their entitlements read again at the tick, so a
revoked book stops applying: the tick is then recorded with the reason and no run. A creator who
no longer exists disables the cron.

Missed ticks: when every replica was down over several ticks, the first replica back runs the
cron once (its run and ``last_tick`` carry the first missed tick's time) and schedules the next
future tick; missed ticks are not replayed one by one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import uuid
from datetime import UTC, datetime
from typing import Any

from server.crons.cron_store import CronStore, epoch_ms, from_ms
from server.crons.schedule import next_fire, parse_end_time
from server.runs.admission import NotFound, admit_run
from server.runs.caller import Caller, Forbidden, InvalidContext
from server.runs.requests import RunCreate
from server.services import AppServices

log = logging.getLogger(__name__)
NAMESPACE_TICK = uuid.UUID("5b0c8a1e-2f6d-4c3a-9e57-0f1d2c3b4a59")
TEST_PAUSE_ENV = "FXDESK_CRON_TEST_PAUSE_AFTER_CLAIM"  # tests: hold a claimed tick, to kill the replica mid-tick


def tick_id(cron_id: str, tick_ms: int, kind: str = "run") -> str:
    """Return the stable run (or thread) id of one tick of one cron."""
    return str(uuid.uuid5(NAMESPACE_TICK, f"{kind}:{cron_id}:{tick_ms}"))


class CronScheduler:
    """Polls the due index and fires ticks; one per replica, started in the app's lifespan."""

    def __init__(self, crons: CronStore, services: AppServices, *, poll_s: float = 0.5, lease_s: float = 10.0,
                 concurrency: int = 256):
        self.crons, self.services = crons, services
        self.poll_s, self.lease_s = poll_s, lease_s
        self.owner = uuid.uuid4().hex
        self._slots = asyncio.Semaphore(concurrency)
        self._task: asyncio.Task | None = None
        self._pause = float(os.environ.get(TEST_PAUSE_ENV, "0") or 0)

    async def start(self) -> None:
        """Start polling."""
        self._task = asyncio.create_task(self._loop(), name="fxdesk-cron-scheduler")

    async def stop(self) -> None:
        """Stop polling (a tick in progress is abandoned; its lease lets another replica take it)."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _loop(self) -> None:
        failing = False
        while True:
            try:
                await self.fire_due(datetime.now(UTC))
                failing = False
            except Exception as exc:  # Redis down: try again next poll; no tick is lost, none runs twice
                if not failing:
                    log.warning("cron scheduler poll failed: %s", exc)
                failing = True
            await asyncio.sleep(self.poll_s)

    async def fire_due(self, now: datetime) -> int:
        """Fire every tick due at ``now`` that this replica can claim; return how many it fired."""
        due = await self.crons.due(epoch_ms(now))
        if not due:
            return 0
        # The creators' entitlements, read once per user for the ticks due now (fresh: never cached
        # beyond this poll).
        entitlements: dict[str, asyncio.Future] = {}
        async with self.services.executor.holding_starts():  # admit every due tick, then run them
            fired = await asyncio.gather(*(self._guarded(cid, tick, now, entitlements) for cid, tick in due))
        return sum(fired)

    async def _guarded(self, cron_id: str, tick_ms: int, now: datetime,
                       entitlements: dict[str, asyncio.Future]) -> bool:
        async with self._slots:
            if not await self.crons.claim(cron_id, tick_ms, self.owner, self.lease_s):
                return False
            if self._pause:
                await asyncio.sleep(self._pause)
            await self._fire(cron_id, tick_ms, now, entitlements)
            return True

    async def _fire(self, cron_id: str, tick_ms: int, now: datetime,
                    entitlements: dict[str, asyncio.Future]) -> None:
        record = await self.crons.get(cron_id)
        if record is None or not record.get("enabled", True):
            await self.crons.commit(cron_id, tick_ms, None, {"tick": from_ms(tick_ms).isoformat(), "skipped": True})
            return
        outcome: dict[str, Any] = {"tick": from_ms(tick_ms).isoformat(), "run_id": tick_id(cron_id, tick_ms)}
        disable = False
        try:
            if await self.services.runs.get(outcome["run_id"]) is None:  # a dead holder may have started it
                outcome["thread_id"] = await self._start(record, tick_ms, outcome["run_id"], entitlements)
        except (Forbidden, InvalidContext, NotFound, LookupError) as exc:
            outcome["error"] = getattr(exc, "detail", None) or str(exc)
            disable = isinstance(exc, LookupError) and not isinstance(exc, NotFound)
            log.warning("cron %s tick %s not run: %s", cron_id, outcome["tick"], outcome["error"])
        after = max(now, from_ms(tick_ms))
        fire = None if disable else next_fire(record["schedule"], record.get("timezone"), after,
                                               parse_end_time(record.get("end_time")))
        await self.crons.commit(cron_id, tick_ms, epoch_ms(fire) if fire else None, outcome)

    async def _start(self, record: dict[str, Any], tick_ms: int, run_id: str,
                     read: dict[str, asyncio.Future]) -> str:
        services = self.services
        user_id = record["user_id"]
        if user_id not in read:  # fresh from the user store, once per user per poll
            read[user_id] = asyncio.ensure_future(services.users(user_id))
        entitlements = await read[user_id]
        if entitlements is None:
            raise LookupError(f"user {record['user_id']!r} no longer exists; cron disabled")
        caller = Caller(user_id=record["user_id"], entitlements=entitlements)
        thread_id = record.get("thread_id")
        if thread_id is None:  # a stateless cron runs each tick on a new thread its creator owns
            thread_id = tick_id(record["cron_id"], tick_ms, "thread")
            tags = {"cron_id": record["cron_id"]}
            if (assistant := services.registry.resolve(record["assistant_id"])) is not None:
                # the tags admission would merge in: one round trip less per tick
                tags |= {"graph_id": assistant.graph_id, "assistant_id": assistant.assistant_id}
            await services.threads.create(caller.user_id, thread_id, tags)
        payload = dict(record["payload"])
        payload["metadata"] = {**(payload.get("metadata") or {}), "cron_id": record["cron_id"]}
        body = RunCreate.model_validate({**payload, "assistant_id": record["assistant_id"]})
        await admit_run(body, caller, thread_id=thread_id, registry=services.registry, threads=services.threads,
                        runs=services.runs, executor=services.executor, default_durability=services.durability,
                        run_id=run_id)
        return thread_id
