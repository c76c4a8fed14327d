"""A LangGraph `BaseStore` on plain Redis commands (no RedisJSON/RediSearch), sync and async.

Key layout (``P`` is the prefix)::

    P store:item:["ns1","ns2","key"]   string: {"v": value, "c": created, "u": updated, "t": ttl minutes}
                                       with an EXPIRE when the item has a TTL
    P store:ns:ns1.ns2                 zset key -> updated ms; the namespace's items
    P store:namespaces                 zset (lex) of every namespace "ns1.ns2" that has items

Labels cannot contain ``.`` (LangGraph's rule), so the dotted form is unambiguous. An item that
expired leaves its index entry behind; searches drop such entries as they meet them.

Each operation is written once as a generator that yields batches of Redis commands and receives
their replies, so the sync and async drivers share it (one pipeline round trip per batch).

``query`` is matched by keywords (every word of the query that occurs in the item's JSON counts
towards its score), not by embeddings: semantic search would need an embedding model, and none
ships offline with our dependencies.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterable
from datetime import UTC, datetime
from typing import Any

import orjson
import redis
import redis.asyncio as aioredis
from langgraph.store.base import (
    BaseStore,
    GetOp,
    Item,
    ListNamespacesOp,
    MatchCondition,
    Op,
    PutOp,
    Result,
    SearchItem,
    SearchOp,
)

from store.filters import matches_filter

Command = tuple[Any, ...]
Plan = Generator[list[Command], list[Any], Any]
DEFAULT_MAX_VALUE_BYTES = 16 * 1024
_WORD = re.compile(r"\w+")


class ValueTooLarge(ValueError):
    """A value whose JSON is larger than the store accepts."""


class RedisStore(BaseStore):
    """Items under hierarchical namespaces in Redis, with TTLs, filters and keyword search."""

    supports_ttl = True

    def __init__(self, *, client: redis.Redis | None = None, aclient: aioredis.Redis | None = None,
                 prefix: str = "fxdesk:", max_value_bytes: int = DEFAULT_MAX_VALUE_BYTES):
        """Create a store over a sync ``client`` (for `batch`) and/or an async ``aclient`` (for `abatch`)."""
        self.client, self.aclient = client, aclient
        self.prefix = prefix
        self.max_value_bytes = max_value_bytes

    @classmethod
    def from_url(cls, url: str, *, prefix: str = "fxdesk:", **kwargs: Any) -> RedisStore:
        """Return a store with a sync and an async client on ``url``."""
        return cls(client=redis.Redis.from_url(url), aclient=aioredis.Redis.from_url(url), prefix=prefix, **kwargs)

    def batch(self, ops: Iterable[Op]) -> list[Result]:
        """Execute ``ops`` in order (sync)."""
        if self.client is None:
            raise RuntimeError("This RedisStore has no sync client; use the async methods")
        return [self._drive(self._plan(op)) for op in ops]

    async def abatch(self, ops: Iterable[Op]) -> list[Result]:
        """Execute ``ops`` in order (async)."""
        if self.aclient is None:
            raise RuntimeError("This RedisStore has no async client; use the sync methods")
        return [await self._adrive(self._plan(op)) for op in ops]

    def check_value(self, value: dict[str, Any]) -> None:
        """Raise `ValueTooLarge` if ``value`` is over the size limit."""
        size = len(orjson.dumps(value))
        if size > self.max_value_bytes:
            raise ValueTooLarge(f"Store value is {size} bytes; the limit is {self.max_value_bytes}")

    # -- drivers -------------------------------------------------------------------------------

    def _drive(self, plan: Plan) -> Any:
        try:
            commands = next(plan)
            while True:
                with self.client.pipeline(transaction=False) as pipe:
                    for command in commands:
                        pipe.execute_command(*command)
                    commands = plan.send(pipe.execute() if commands else [])
        except StopIteration as done:
            return done.value

    async def _adrive(self, plan: Plan) -> Any:
        try:
            commands = next(plan)
            while True:
                async with self.aclient.pipeline(transaction=False) as pipe:
                    for command in commands:
                        pipe.execute_command(*command)
                    commands = plan.send(await pipe.execute() if commands else [])
        except StopIteration as done:
            return done.value

    # -- plans ---------------------------------------------------------------------------------

    def _plan(self, op: Op) -> Plan:
        if isinstance(op, GetOp):
            return self._get(op)
        if isinstance(op, PutOp):
            return self._delete(op) if op.value is None else self._put(op)
        if isinstance(op, SearchOp):
            return self._search(op)
        if isinstance(op, ListNamespacesOp):
            return self._list_namespaces(op)
        raise TypeError(f"Unknown store operation {type(op).__name__}")

    def _item_key(self, namespace: tuple[str, ...], key: str) -> str:
        return f"{self.prefix}store:item:{orjson.dumps([*namespace, key]).decode()}"

    def _ns_key(self, namespace: tuple[str, ...]) -> str:
        return f"{self.prefix}store:ns:{'.'.join(namespace)}"

    @property
    def _namespaces_key(self) -> str:
        return f"{self.prefix}store:namespaces"

    def _get(self, op: GetOp) -> Plan:
        [raw] = yield [("GET", self._item_key(op.namespace, op.key))]
        if raw is None:
            return None
        stored = orjson.loads(raw)
        if op.refresh_ttl and stored.get("t"):
            yield [("EXPIRE", self._item_key(op.namespace, op.key), _seconds(stored["t"]))]
        return _item(op.namespace, op.key, stored)

    def _put(self, op: PutOp) -> Plan:
        self.check_value(op.value)
        item_key = self._item_key(op.namespace, op.key)
        [old] = yield [("GET", item_key)]
        now = datetime.now(UTC).isoformat()
        created = orjson.loads(old)["c"] if old is not None else now
        body = orjson.dumps({"v": op.value, "c": created, "u": now, "t": op.ttl})
        set_cmd: Command = ("SET", item_key, body, "EX", _seconds(op.ttl)) if op.ttl else ("SET", item_key, body)
        yield [set_cmd,
               ("ZADD", self._ns_key(op.namespace), int(datetime.now(UTC).timestamp() * 1000), op.key),
               ("ZADD", self._namespaces_key, 0, ".".join(op.namespace))]
        return None

    def _delete(self, op: PutOp) -> Plan:
        ns_key = self._ns_key(op.namespace)
        _, _, left = yield [("DEL", self._item_key(op.namespace, op.key)), ("ZREM", ns_key, op.key),
                            ("ZCARD", ns_key)]
        if left == 0:
            yield [("ZREM", self._namespaces_key, ".".join(op.namespace))]
        return None

    def _search(self, op: SearchOp) -> Plan:
        namespaces = yield from self._namespaces_under(op.namespace_prefix)
        keys_by_ns = yield [("ZREVRANGE", self._ns_key(ns), 0, -1) for ns in namespaces]
        refs = [(ns, key.decode()) for ns, keys in zip(namespaces, keys_by_ns, strict=True) for key in keys]
        raws = (yield [("GET", self._item_key(ns, key)) for ns, key in refs]) if refs else []
        found: list[SearchItem] = []
        stale: list[Command] = []
        for (ns, key), raw in zip(refs, raws, strict=True):
            if raw is None:
                stale.append(("ZREM", self._ns_key(ns), key))
                continue
            stored = orjson.loads(raw)
            if not matches_filter(stored["v"], op.filter):
                continue
            score = _keyword_score(op.query, raw) if op.query else None
            if score == 0.0:
                continue
            found.append(_item(ns, key, stored, score=score, search=True))
        if op.query:
            found.sort(key=lambda item: item.score or 0.0, reverse=True)
        page = found[op.offset:op.offset + op.limit]
        refresh = [("EXPIRE", self._item_key(i.namespace, i.key), _seconds(t)) for i in page
                   if op.refresh_ttl and (t := _ttl_of(raws, refs, i))]
        if stale or refresh:
            yield stale + refresh
        return page

    def _namespaces_under(self, prefix: tuple[str, ...]) -> Generator[list[Command], list[Any], list[tuple]]:
        dotted = ".".join(prefix)
        if prefix:
            [members] = yield [("ZRANGEBYLEX", self._namespaces_key, f"[{dotted}", f"[{dotted}\xff")]
        else:
            [members] = yield [("ZRANGE", self._namespaces_key, 0, -1)]
        spaces = [tuple(m.decode().split(".")) for m in members]
        return [ns for ns in spaces if ns[:len(prefix)] == tuple(prefix)]

    def _list_namespaces(self, op: ListNamespacesOp) -> Plan:
        [members] = yield [("ZRANGE", self._namespaces_key, 0, -1)]
        spaces = [tuple(m.decode().split(".")) for m in members]
        spaces = [ns for ns in spaces if all(_condition_holds(c, ns) for c in op.match_conditions or ())]
        if op.max_depth is not None:
            spaces = sorted({ns[:op.max_depth] for ns in spaces})
        return spaces[op.offset:op.offset + op.limit]


def _item(namespace: tuple[str, ...], key: str, stored: dict[str, Any], *, score: float | None = None,
          search: bool = False) -> Item:
    if search:
        return SearchItem(namespace=tuple(namespace), key=key, value=stored["v"], created_at=stored["c"],
                          updated_at=stored["u"], score=score)
    return Item(namespace=tuple(namespace), key=key, value=stored["v"], created_at=stored["c"],
                updated_at=stored["u"])


def _seconds(ttl_minutes: float) -> int:
    return max(1, int(ttl_minutes * 60))


def _ttl_of(raws: list[Any], refs: list[tuple], item: Item) -> float | None:
    raw = raws[refs.index((item.namespace, item.key))]
    return orjson.loads(raw).get("t") if raw is not None else None


def _keyword_score(query: str, raw: bytes) -> float:
    words = {w.lower() for w in _WORD.findall(query)}
    if not words:
        return 1.0
    text = raw.decode(errors="replace").lower()
    return sum(1 for w in words if w in text) / len(words)


def _condition_holds(condition: MatchCondition, namespace: tuple[str, ...]) -> bool:
    path = tuple(condition.path)
    if len(path) > len(namespace):
        return False
    part = namespace[:len(path)] if condition.match_type == "prefix" else namespace[len(namespace) - len(path):]
    return all(p == "*" or p == n for p, n in zip(path, part, strict=True))
