"""Real langchain-aws / botocore over HTTP against a local Bedrock Converse server (eventstream too)."""

import pytest
from langchain_core.tools import StructuredTool

from llm.errors import BadRequest
from tests.integration.llm.conftest import OFFLINE_TEXT, make_chain, make_env
from tests.protocol_servers import Fault, Reply
from tools.compliance.args import KycStatusArgs

CLAUDE = "anthropic.claude-3-5-sonnet-20240620-v1:0"
TITAN = "amazon.titan-text-express-v1"


def _join(chunks):
    out = chunks[0]
    for chunk in chunks[1:]:
        out = out + chunk
    return out


def kyc_tool() -> StructuredTool:
    return StructuredTool.from_function(lambda **kw: kw, name="get_kyc_status", description="KYC status.",
                                        args_schema=KycStatusArgs)


@pytest.mark.parametrize("model", [CLAUDE, TITAN])
def test_converse_answers_with_signed_request_and_usage(bedrock_server, model):
    bedrock_server.reply = Reply(text="Cust203 KYC approved", input_tokens=55, output_tokens=5)
    chain = make_chain(f"bedrock:{model}", make_env(bedrock=bedrock_server))
    message = chain.for_agent("compliance").invoke("KYC of Cust203?")
    request = bedrock_server.requests[0]
    assert request.path.startswith("/model/") and request.path.endswith("/converse")
    assert request.api_key == "AKIDFXDESKTEST"  # SigV4-signed with the fake credentials
    assert request.body["messages"][0]["content"][0]["text"] == "KYC of Cust203?"
    assert message.text == "Cust203 KYC approved"
    assert message.response_metadata["model_provider"] == "bedrock"
    assert message.response_metadata["model_name"] == model
    assert (message.usage_metadata["input_tokens"], message.usage_metadata["output_tokens"]) == (55, 5)


def test_converse_stream_decodes_eventstream_frames(bedrock_server):
    bedrock_server.reply = Reply(text="three word answer", input_tokens=12, output_tokens=3)
    chain = make_chain(f"bedrock:{CLAUDE}", make_env(bedrock=bedrock_server))
    whole = _join(list(chain.for_agent("x").stream("hi")))
    assert bedrock_server.requests[0].path.endswith("/converse-stream")
    assert whole.text.strip() == "three word answer"
    assert (whole.usage_metadata["input_tokens"], whole.usage_metadata["output_tokens"]) == (12, 3)
    [row] = [r for r in chain.usage().models if r.provider == "bedrock"]
    assert (row.input_tokens, row.output_tokens, row.successes) == (12, 3, 1)


def test_tool_use_is_bound_and_returned_in_both_apis(bedrock_server):
    bedrock_server.reply = Reply(text="", tool_calls=[("get_kyc_status", {"customer": "Cust203"})])
    chain = make_chain(f"bedrock:{CLAUDE}", make_env(bedrock=bedrock_server))
    runnable = chain.for_agent("compliance", [kyc_tool()])
    message = runnable.invoke("KYC of Cust203?")
    streamed = _join(list(runnable.stream("KYC of Cust203?")))
    tools = bedrock_server.requests[0].body["toolConfig"]["tools"]
    assert tools[0]["toolSpec"]["name"] == "get_kyc_status"
    assert message.tool_calls[0]["args"] == {"customer": "Cust203"}
    assert streamed.tool_calls[0]["args"] == {"customer": "Cust203"}


def test_tool_use_invalid_for_the_schema_falls_through(bedrock_server):
    bedrock_server.always(Fault("bad_tool_args", tool="get_kyc_status", arguments='{"customer": 203, "x": 1}'))
    chain = make_chain(f"bedrock:{CLAUDE}", make_env(bedrock=bedrock_server))
    message = chain.for_agent("compliance", [kyc_tool()]).invoke("KYC?")
    assert message.content == OFFLINE_TEXT and message.response_metadata["fxdesk_fallbacks"] == ["bedrock"]


def test_throttling_is_retried(bedrock_server):
    bedrock_server.inject(Fault.http(429, retry_after=0.2))
    chain = make_chain(f"bedrock:{CLAUDE}", make_env(bedrock=bedrock_server), max_retries=2)
    message = chain.for_agent("x").invoke("hi")
    assert bedrock_server.calls == 2 and message.response_metadata["fxdesk_fallbacks"] == []
    assert chain.usage().models[0].failures == {"rate_limited": 1}


def test_validation_exception_is_a_bad_request(bedrock_server):
    bedrock_server.inject(Fault.http(400))
    chain = make_chain(f"bedrock:{CLAUDE}", make_env(bedrock=bedrock_server), max_retries=2)
    with pytest.raises(BadRequest):
        chain.for_agent("x").invoke("hi")
    assert bedrock_server.calls == 1


@pytest.mark.parametrize(("kind", "failure"), [("garbage", "malformed"), ("truncated", "connection")])
def test_corrupt_event_stream_is_typed_and_falls_back_before_first_token(bedrock_server, kind, failure):
    bedrock_server.always(Fault(kind))
    chain = make_chain(f"bedrock:{CLAUDE}", make_env(bedrock=bedrock_server))
    whole = _join(list(chain.for_agent("x").stream("hi")))
    assert whole.content.strip() == OFFLINE_TEXT
    assert whole.response_metadata["fxdesk_fallbacks"] == ["bedrock"]
    # a frame whose CRC is wrong is garbage; a frame cut off by a closed connection is a connection error
    assert chain.usage().models[0].failures == {failure: 1}


def test_truncated_converse_json_is_malformed(bedrock_server):
    bedrock_server.always(Fault("truncated"))
    chain = make_chain(f"bedrock:{CLAUDE}", make_env(bedrock=bedrock_server))
    message = chain.for_agent("x").invoke("hi")
    assert message.content == OFFLINE_TEXT and chain.usage().models[0].failures == {"malformed": 1}


def test_exception_frame_mid_stream_after_tokens_raises_typed_error(bedrock_server):
    from llm.errors import Retryable

    bedrock_server.inject(Fault("drop_mid_stream"))
    chain = make_chain(f"bedrock:{CLAUDE}", make_env(bedrock=bedrock_server))
    got = []
    with pytest.raises(Retryable) as info:
        for chunk in chain.for_agent("x").stream("hi"):
            got.append(chunk.text)
    assert "".join(got).strip() and info.value.kind == "server_error"
