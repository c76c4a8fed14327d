"""The webhook SSRF guard: which URLs a run may ask us to POST to.

A URL must be ``http(s)`` with a host. When ``FXDESK_WEBHOOK_ALLOW_HOSTS`` lists hosts, only those
hosts are allowed. Whatever the list, a host that resolves to a loopback, private, link-local,
reserved or multicast address (cloud metadata endpoints among them) is refused unless the list
names it explicitly (by name or address). The check runs when the run is created and again
before each delivery, since DNS answers may change in between.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

Resolver = Callable[[str, int], Awaitable[list[str]]]


class WebhookRefused(ValueError):
    """The webhook URL is not allowed; the message says why (422)."""


async def resolve(host: str, port: int) -> list[str]:
    """Return the addresses ``host`` resolves to."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


def parse_hosts(spec: str) -> frozenset[str]:
    """Return the hosts named in a comma-separated list, lower-cased."""
    return frozenset(h.strip().lower() for h in spec.split(",") if h.strip())


@dataclass(frozen=True)
class WebhookGuard:
    """Checks webhook URLs against the allow-list and the private ranges."""

    allow_hosts: frozenset[str] = frozenset()
    resolver: Resolver = field(default=resolve, compare=False)

    async def check(self, url: str) -> None:
        """Raise `WebhookRefused` unless ``url`` may receive webhooks."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise WebhookRefused(f"Webhook {url!r} must be an absolute http(s) URL")
        if parts.username or parts.password:
            raise WebhookRefused("Webhook URLs may not carry credentials")
        host = parts.hostname.lower()
        listed = host in self.allow_hosts
        if self.allow_hosts and not listed:
            raise WebhookRefused(f"Webhook host {host!r} is not in FXDESK_WEBHOOK_ALLOW_HOSTS")
        try:
            addresses = await self.resolver(host, parts.port or (443 if parts.scheme == "https" else 80))
        except OSError as exc:
            raise WebhookRefused(f"Webhook host {host!r} does not resolve: {exc}") from None
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
            if _internal(ip) and not (listed or address in self.allow_hosts):
                raise WebhookRefused(f"Webhook host {host!r} resolves to {address}, a private or loopback address; "
                                     "list it in FXDESK_WEBHOOK_ALLOW_HOSTS to allow it")


def _internal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast
            or ip.is_unspecified)
