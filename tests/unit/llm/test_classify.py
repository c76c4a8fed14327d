import json

import httpx
import pytest
from botocore.exceptions import ClientError, NoCredentialsError, ReadTimeoutError

from llm.classify import classify, parse_retry_after
from llm.errors import BadRequest, Retryable, Unavailable
from tests.unit.llm.llm_fakes import status_error, timeout_error


@pytest.mark.parametrize(("status", "kind", "cls"), [
    (429, "rate_limited", Retryable), (500, "server_error", Retryable), (503, "server_error", Retryable),
    (401, "key_rejected", Retryable), (403, "key_rejected", Retryable), (404, "not_found", Retryable),
    (400, "bad_request", BadRequest), (422, "bad_request", BadRequest),
])
def test_openai_status_errors_are_typed_by_reaction(status, kind, cls):
    error = classify(status_error(status), provider="openai")
    assert type(error) is cls and error.kind == kind and error.status == status and error.provider == "openai"


def test_retry_after_is_read_from_the_sdk_response():
    assert classify(status_error(429, "2"), provider="groq").retry_after == 2.0


def test_timeouts_and_connection_errors_are_retryable():
    assert classify(timeout_error(), provider="x").kind == "timeout"
    connect = httpx.ConnectError("refused")
    assert classify(connect, provider="x").kind == "connection"
    assert classify(ReadTimeoutError(endpoint_url="http://127.0.0.1"), provider="b").kind == "timeout"


def test_bedrock_client_errors_map_by_code_and_status():
    def client_error(code, status):
        return ClientError({"Error": {"Code": code, "Message": "m"},
                            "ResponseMetadata": {"HTTPStatusCode": status, "HTTPHeaders": {"retry-after": "3"}}},
                           "Converse")
    assert classify(client_error("ThrottlingException", 429), provider="b").retry_after == 3.0
    assert isinstance(classify(client_error("ValidationException", 400), provider="b"), BadRequest)
    # an exception frame inside an HTTP 200 event stream
    assert classify(client_error("throttlingException", 200), provider="b").kind == "rate_limited"
    assert classify(client_error("internalServerException", 200), provider="b").kind == "server_error"


def test_garbage_is_malformed_and_unknown_errors_are_not_hidden():
    try:
        json.loads('{"a": ')
    except json.JSONDecodeError as exc:
        assert classify(exc, provider="x").kind == "malformed"
    assert classify(RuntimeError("our bug"), provider="x") is None


def test_parse_retry_after_forms():
    assert parse_retry_after({"Retry-After": "1.5"}) == 1.5
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert parse_retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0
    assert parse_retry_after({}) is None


def test_missing_aws_credentials_make_the_link_unavailable():
    error = classify(NoCredentialsError(), provider="bedrock")
    assert isinstance(error, Unavailable) and error.kind == "no_key"
