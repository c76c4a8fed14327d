"""Webhook SSRF guard and signatures (issue 15); resolution is injected, no sockets."""

import hashlib
import hmac

import pytest

from server.webhooks import WebhookGuard, WebhookRefused, sign, verify
from server.webhooks.guard import parse_hosts


def resolver(table):
    async def resolve(host, port):
        return table[host]
    return resolve


DNS = {"hooks.example.com": ["93.184.216.34"], "intranet.corp": ["10.1.2.3"], "meta": ["169.254.169.254"],
       "localhost": ["127.0.0.1", "::1"], "127.0.0.1": ["127.0.0.1"], "v6": ["fd00::1"]}


async def test_public_host_is_allowed_when_no_allow_list_is_configured():
    await WebhookGuard(resolver=resolver(DNS)).check("https://hooks.example.com/run-done")


@pytest.mark.parametrize("url", ["http://intranet.corp/x", "http://meta/latest", "http://localhost:8080/",
                                 "http://127.0.0.1:9/", "http://v6/"])
async def test_private_loopback_and_metadata_addresses_are_refused_unless_listed(url):
    with pytest.raises(WebhookRefused, match="private or loopback"):
        await WebhookGuard(resolver=resolver(DNS)).check(url)


async def test_a_listed_loopback_address_is_allowed_and_unlisted_hosts_are_then_refused():
    guard = WebhookGuard(parse_hosts("127.0.0.1, Hooks.Example.com"), resolver=resolver(DNS))
    await guard.check("http://127.0.0.1:8123/hook")
    await guard.check("https://hooks.example.com/x")
    with pytest.raises(WebhookRefused, match="not in FXDESK_WEBHOOK_ALLOW_HOSTS"):
        await guard.check("http://localhost:8123/hook")


@pytest.mark.parametrize("url", ["ftp://hooks.example.com/x", "/threads", "https://user:pw@hooks.example.com/"])
async def test_non_http_relative_and_credentialed_urls_are_refused(url):
    with pytest.raises(WebhookRefused):
        await WebhookGuard(resolver=resolver(DNS)).check(url)


def test_signature_is_hmac_sha256_of_timestamp_dot_body():
    body = b'{"run_id":"r1","status":"success"}'
    expected = hmac.new(b"s3cret", b"1700000000." + body, hashlib.sha256).hexdigest()
    assert sign("s3cret", body, 1700000000) == f"t=1700000000,v1={expected}"


def test_verify_accepts_a_fresh_signature_and_rejects_tampering_age_and_garbage():
    body = b'{"a":1}'
    header = sign("k", body, 1000)
    assert verify("k", body, header, now=1100)
    assert not verify("k", b'{"a":2}', header, now=1100)
    assert not verify("other", body, header, now=1100)
    assert not verify("k", body, header, now=1000 + 301)
    assert not verify("k", body, "nonsense", now=1000)
