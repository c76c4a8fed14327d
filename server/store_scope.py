"""Who may read and write which store namespaces: a user their own, compliance the desk's.

Namespaces are tuples of labels. ``("users", <user_id>, ...)`` belongs to that user (read and
write); ``("desk", ...)`` is the desk's shared namespace, read and written by compliance. Anything
else is out of scope for everyone on the REST API (the graph writes through ``runtime.store`` under
the caller's own namespace only).
"""

from __future__ import annotations

from tools.context import Context

USERS_ROOT = "users"
DESK_ROOT = "desk"
DESK_ROLES = frozenset({"compliance"})

Namespace = tuple[str, ...]


class StoreForbidden(Exception):
    """The caller may not touch this namespace; ``detail`` is safe to show (403)."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


def user_namespace(user_id: str, *rest: str) -> Namespace:
    """Return the namespace that belongs to ``user_id`` (with ``rest`` appended)."""
    return (USERS_ROOT, user_id, *rest)


def roots(ctx: Context) -> list[Namespace]:
    """Return the namespace roots ``ctx`` may read and write."""
    own = [user_namespace(ctx.user_id)]
    return own + [(DESK_ROOT,)] if ctx.role in DESK_ROLES else own


def check_namespace(ctx: Context, namespace: Namespace) -> None:
    """Raise `StoreForbidden` unless ``namespace`` lies under one of the caller's roots."""
    if not any(namespace[:len(root)] == root for root in roots(ctx)):
        raise StoreForbidden(f"{ctx.user_id!r} ({ctx.role}) may not use store namespace {list(namespace)}; "
                             f"allowed: {[list(r) for r in roots(ctx)]}")


def search_roots(ctx: Context, prefix: Namespace) -> list[Namespace]:
    """Return the prefixes to search for ``prefix``: itself if in scope, else the caller's roots under it.

    A prefix wider than the caller's scope (``()``, ``("users",)``) is narrowed to what they own;
    a prefix naming someone else's namespace is `StoreForbidden`.
    """
    if any(prefix[:len(root)] == root for root in roots(ctx)):
        return [prefix]
    under = [root for root in roots(ctx) if root[:len(prefix)] == prefix]
    if not under:
        check_namespace(ctx, prefix)  # raises with the explanation
    return under
