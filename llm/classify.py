"""Map whatever an SDK raised (openai, groq, botocore, httpx) to our typed ``ProviderError``.

Matching is by class name along the exception's MRO and by duck-typed attributes, so this module
imports no SDK: the openai and groq SDKs share Stainless class names, botocore has its own.
Exceptions we do not recognise are returned as ``None`` and propagate unchanged (a bug in our
code must not be hidden behind a fallback).
"""

from __future__ import annotations

import json
from email.utils import parsedate_to_datetime
from typing import Any

from llm.errors import BadRequest, ProviderError, Retryable, Unavailable

_TIMEOUT = {"APITimeoutError", "ReadTimeoutError", "ConnectTimeoutError", "TimeoutException",
            "ReadTimeout", "ConnectTimeout", "TimeoutError"}
_CONNECTION = {"APIConnectionError", "EndpointConnectionError", "ConnectionClosedError",
               "HTTPClientError", "TransportError", "RemoteProtocolError", "ConnectError",
               "ConnectionError", "ProtocolError", "IncompleteRead"}
_MALFORMED = {"APIResponseValidationError", "JSONDecodeError", "ResponseParserError", "ParserError",
              "ChecksumMismatch", "ValidationError", "KeyError", "IndexError"}
_NO_CREDENTIALS = {"NoCredentialsError", "PartialCredentialsError", "CredentialRetrievalError",
                   "TokenRetrievalError", "NoAuthTokenError"}
_BEDROCK_CODES = {
    "throttlingexception": 429, "toomanyrequestsexception": 429, "servicequotaexceededexception": 429,
    "validationexception": 400, "accessdeniedexception": 403, "unrecognizedclientexception": 401,
    "expiredtokenexception": 403, "resourcenotfoundexception": 404,
    "internalserverexception": 500, "serviceunavailableexception": 503, "modelnotreadyexception": 503,
    "modeltimeoutexception": 504, "modelstreamerrorexception": 502,
}


def parse_retry_after(headers: Any) -> float | None:
    """Return the wait a provider asked for, in seconds, from ``retry-after-ms`` or ``Retry-After``.

    Args:
        headers: A case-insensitive mapping (httpx) or a dict with lower-case keys (botocore).

    """
    if not headers:
        return None
    lower = {str(k).lower(): v for k, v in dict(headers).items()}
    if (ms := lower.get("retry-after-ms")) is not None:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = lower.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        from datetime import UTC, datetime

        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


def from_status(status: int, message: str, *, provider: str,
                retry_after: float | None = None) -> ProviderError:
    """Return the typed error for an HTTP status a provider answered with."""
    if status == 429:
        return Retryable(message, provider=provider, kind="rate_limited", status=status,
                         retry_after=retry_after)
    if status in (401, 403):
        return Retryable(message, provider=provider, kind="key_rejected", status=status)
    if status == 404:
        return Retryable(message, provider=provider, kind="not_found", status=status)
    if status in (408, 409) or status >= 500:
        return Retryable(message, provider=provider, kind="server_error", status=status,
                         retry_after=retry_after)
    return BadRequest(message, provider=provider, kind="bad_request", status=status)


def _names(exc: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(exc).__mro__}


def _status_of(exc: BaseException) -> tuple[int | None, Any]:
    status = getattr(exc, "status_code", None)
    response = getattr(exc, "response", None)
    if isinstance(status, int):
        return status, getattr(response, "headers", None)
    if isinstance(response, dict):  # botocore ClientError / EventStreamError
        meta = response.get("ResponseMetadata", {})
        code = str(response.get("Error", {}).get("Code", "")).lower()
        status = meta.get("HTTPStatusCode")
        if code in _BEDROCK_CODES and (not status or status == 200):
            status = _BEDROCK_CODES[code]  # errors inside an event stream arrive on an HTTP 200
        return status, meta.get("HTTPHeaders")
    return None, None


def classify(exc: BaseException, *, provider: str) -> ProviderError | None:
    """Return the typed error for an exception raised by a provider call, or ``None`` if unknown.

    Args:
        exc: What the SDK (or LangChain's response parsing) raised.
        provider: The link's name, recorded on the error.

    """
    if isinstance(exc, ProviderError):
        if not exc.provider:
            exc.provider = provider
        return exc
    names = _names(exc)
    message = f"{type(exc).__name__}: {exc}"
    status, headers = _status_of(exc)
    if status is not None:
        return from_status(status, message, provider=provider, retry_after=parse_retry_after(headers))
    if names & _NO_CREDENTIALS:
        return Unavailable(message, provider=provider, kind="no_key")
    if names & _TIMEOUT:
        return Retryable(message, provider=provider, kind="timeout")
    if names & _MALFORMED or isinstance(exc, json.JSONDecodeError):
        return Retryable(f"malformed response: {message}", provider=provider, kind="malformed")
    if isinstance(exc, ValueError) and "response" in str(exc).lower():
        # LangChain's response parsers raise ValueError on answers missing their body
        # (langchain-aws: "No 'output' key found in the response").
        return Retryable(f"malformed response: {message}", provider=provider, kind="malformed")
    if names & _CONNECTION:
        return Retryable(message, provider=provider, kind="connection")
    return None
