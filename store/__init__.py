"""Long-term memory for the graph: a LangGraph `BaseStore` on plain Redis (no modules)."""

from store.filters import matches_filter
from store.redis_store import RedisStore, ValueTooLarge

__all__ = ["RedisStore", "ValueTooLarge", "matches_filter"]
