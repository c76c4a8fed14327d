"""Deliver a finished run's webhook: signed POST, retries with jittered backoff, then a dead letter.

The body is the run record with its final ``status`` (``success``, ``error``, ``interrupted``;
a cancelled run is ``interrupted`` with ``"cancelled": true``), ``values`` (the final state),
``error`` when it failed, and ``run_ended_at`` / ``webhook_sent_at``, like `langgraph dev` sends.
A 2xx answer is a delivery. Connection errors, timeouts, 408, 429 and 5xx are retried after
``base * 2**attempt`` seconds (capped, full jitter); any other 4xx is final. A webhook that never
got through goes to the dead-letter list (``P api:webhooks:dead``, newest first, bounded) that
admins read. Either way the outcome is recorded on the run (``webhook_delivery`` in its record);
the run's own status never depends on its webhook.
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

import httpx
import orjson

from server.runs.clock import now_iso
from server.runs.encoding import dumps
from server.runs.executor import RunJob
from server.runs.runs_store import RunStore
from server.webhooks.guard import WebhookGuard, WebhookRefused
from server.webhooks.signing import SIGNATURE_HEADER, sign

log = logging.getLogger(__name__)
DEAD_LETTERS_KEPT = 1000
_RETRYABLE = frozenset({408, 425, 429})


@dataclass
class WebhookSender:
    """Sends webhooks for runs that asked for one; ``secret`` signs every body."""

    runs: RunStore
    guard: WebhookGuard
    secret: str | None
    attempts: int = 5
    backoff_base_s: float = 0.5
    backoff_cap_s: float = 30.0
    timeout_s: float = 10.0
    client: httpx.AsyncClient = field(default_factory=lambda: httpx.AsyncClient(follow_redirects=False))

    @property
    def dead_key(self) -> str:
        """Return the key of the dead-letter list."""
        return f"{self.runs.keys.prefix}api:webhooks:dead"

    async def validate(self, url: str) -> None:
        """Raise `WebhookRefused` unless a run may ask for a webhook to ``url``."""
        if not self.secret:
            raise WebhookRefused("Webhooks are disabled: set FXDESK_WEBHOOK_SECRET so deliveries can be signed")
        await self.guard.check(url)

    async def on_run_finished(self, job: RunJob, status: str, result: bytes) -> None:
        """Executor finish hook: deliver the run's webhook if it asked for one."""
        url = job.options.get("webhook")
        if url:
            await self.deliver(url, await self._payload(job, status, result))

    async def deliver(self, url: str, payload: dict[str, Any]) -> dict[str, Any]:
        """POST ``payload`` to ``url`` until it is accepted or the attempts run out; return the outcome."""
        delivery_id = str(uuid4())
        outcome: dict[str, Any] = {"url": url, "delivery_id": delivery_id, "attempts": 0, "status": "failed",
                                   "last_status_code": None, "last_error": None}
        for attempt in range(self.attempts):
            if attempt:
                await asyncio.sleep(random.uniform(0, min(self.backoff_cap_s, self.backoff_base_s * 2 ** attempt)))
            outcome["attempts"] = attempt + 1
            retry = await self._attempt(url, payload, delivery_id, outcome)
            if outcome["status"] == "delivered" or not retry:
                break
        outcome["finished_at"] = now_iso()
        await self._record(payload, outcome)
        return outcome

    async def _attempt(self, url: str, payload: dict[str, Any], delivery_id: str, outcome: dict[str, Any]) -> bool:
        """Make one attempt; update ``outcome``; return whether another attempt may help."""
        try:
            await self.guard.check(url)  # again: DNS may have changed since the run was created
        except WebhookRefused as exc:
            outcome["last_error"] = str(exc)
            return False
        body = dumps({**payload, "webhook_sent_at": now_iso()})
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(self.secret or "", body),
                   "X-Fxdesk-Delivery": delivery_id, "User-Agent": "fxdesk-webhooks/1"}
        try:
            response = await self.client.post(url, content=body, headers=headers, timeout=self.timeout_s)
        except httpx.HTTPError as exc:
            outcome["last_error"] = f"{type(exc).__name__}: {exc}"
            return True
        outcome["last_status_code"] = response.status_code
        if response.is_success:
            outcome["status"] = "delivered"
            outcome["last_error"] = None
            return False
        outcome["last_error"] = f"HTTP {response.status_code}"
        return response.status_code >= 500 or response.status_code in _RETRYABLE

    async def _payload(self, job: RunJob, status: str, result: bytes) -> dict[str, Any]:
        record = await self.runs.get(job.run_id) or {"run_id": job.run_id, "thread_id": job.thread_id,
                                                     "assistant_id": job.assistant.assistant_id}
        record.pop("kwargs", None)  # the run's input and context are not the receiver's business
        record.pop("webhook_delivery", None)
        values = orjson.loads(result) if result else None
        error = values.pop("__error__", None) if isinstance(values, dict) else None
        cancelled = isinstance(error, dict) and error.get("error") == "UserInterrupt"
        payload = {**record, "status": status, "run_ended_at": now_iso(), "values": None if error else values,
                   "cancelled": cancelled}
        if error and not cancelled:
            payload["error"] = error
        return payload

    async def _record(self, payload: dict[str, Any], outcome: dict[str, Any]) -> None:
        try:
            async with self.runs.redis.pipeline(transaction=False) as pipe:
                if await self.runs.redis.exists(self.runs.keys.run(payload["run_id"])):
                    pipe.hset(self.runs.keys.run(payload["run_id"]), "webhook", dumps(outcome))
                if outcome["status"] != "delivered":
                    pipe.lpush(self.dead_key, dumps({**outcome, "run_id": payload["run_id"],
                                                     "thread_id": payload.get("thread_id"), "payload": payload}))
                    pipe.ltrim(self.dead_key, 0, DEAD_LETTERS_KEPT - 1)
                await pipe.execute()
        except Exception as exc:  # Redis down: the delivery happened (or not) all the same
            log.warning("could not record webhook outcome for run %s: %s", payload["run_id"], exc)
        if outcome["status"] != "delivered":
            log.warning("webhook for run %s dead-lettered after %s attempts: %s", payload["run_id"],
                        outcome["attempts"], outcome["last_error"])

    async def dead_letters(self, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Return dead-lettered deliveries, newest first."""
        raws = await self.runs.redis.lrange(self.dead_key, offset, offset + limit - 1)
        return [orjson.loads(raw) for raw in raws]

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self.client.aclose()
