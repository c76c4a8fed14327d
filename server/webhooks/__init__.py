"""Signed webhooks: a run's final state POSTed to a caller's URL, retried, dead-lettered, SSRF-guarded."""

from server.webhooks.guard import WebhookGuard, WebhookRefused
from server.webhooks.sender import WebhookSender
from server.webhooks.signing import SIGNATURE_HEADER, sign, verify

__all__ = ["SIGNATURE_HEADER", "WebhookGuard", "WebhookRefused", "WebhookSender", "sign", "verify"]
