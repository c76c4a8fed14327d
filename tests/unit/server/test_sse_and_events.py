from langchain_core.messages import AIMessage, AIMessageChunk
from langgraph_sdk.sse import BytesLineDecoder, SSEDecoder

from server.runs.encoding import dumps, error_payload, loads
from server.runs.events import EventMapper, graph_modes
from server.runs.sse import sse_frame


def _decode(frames: bytes):
    decoder, lines = SSEDecoder(), BytesLineDecoder()
    events = []
    for line in lines.decode(frames) + lines.flush():
        event = decoder.decode(bytes(line))
        if event is not None:
            events.append(event)
    return events


def test_frame_is_event_data_crlf_like_langgraph_dev():
    assert sse_frame("metadata", b'{"run_id":"r"}') == b'event: metadata\r\ndata: {"run_id":"r"}\r\n\r\n'


def test_sdk_decoder_reads_our_frames_back():
    frames = sse_frame("values", dumps({"a": 1})) + sse_frame("updates|sub:1", dumps({"n": {"b": 2}}))
    events = _decode(frames)
    assert [(e.event, e.data) for e in events] == [("values", {"a": 1}), ("updates|sub:1", {"n": {"b": 2}})]


def test_event_names_cannot_inject_extra_fields():
    assert sse_frame("evil\r\ndata: x", b"1").count(b"\r\n") == 3


def test_graph_is_asked_for_values_and_messages_for_messages_tuple():
    assert graph_modes(["messages-tuple", "updates"]) == ["messages", "updates", "values"]
    assert graph_modes([]) == ["values"]


def test_messages_tuple_passes_pairs_and_unrequested_modes_are_dropped():
    mapper = EventMapper(["messages-tuple", "updates"])
    pair = (AIMessage(content="hi", id="m1"), {"langgraph_node": "n"})
    assert list(mapper.map((), "messages", pair)) == [("messages", pair)]
    assert list(mapper.map((), "values", {"x": 1})) == []
    assert list(mapper.map(("sub:1",), "updates", {"n": 1})) == [("updates|sub:1", {"n": 1})]


def test_legacy_messages_mode_sends_metadata_once_then_accumulated_partials():
    mapper = EventMapper(["messages"])
    first = list(mapper.map((), "messages", (AIMessageChunk(content="Hel", id="m1"), {"k": 1})))
    second = list(mapper.map((), "messages", (AIMessageChunk(content="lo", id="m1"), {"k": 1})))
    assert [name for name, _ in first] == ["messages/metadata", "messages/partial"]
    assert first[0][1] == {"m1": {"metadata": {"k": 1}}}
    assert [name for name, _ in second] == ["messages/partial"]
    assert second[0][1][0].content == "Hello"


def test_messages_are_dumped_like_the_langgraph_server():
    body = loads(dumps({"messages": [AIMessage(content="x", id="a")]}))
    assert body["messages"][0]["type"] == "ai" and body["messages"][0]["content"] == "x"
    assert body["messages"][0]["tool_calls"] == []


def test_internal_errors_hide_their_message_and_input_errors_show_it():
    assert error_payload(RuntimeError("db password is hunter2")) == {"error": "RuntimeError",
                                                                     "message": "An internal error occurred"}
    assert error_payload(ValueError("bad pair")) == {"error": "ValueError", "message": "bad pair"}


def test_error_payload_names_the_field_not_the_library_report():
    """Issue 12 finding 8: ``ValidationError: 2 validation errors for HumanMessage…`` reached run bodies."""
    from langchain_core.messages import HumanMessage
    from pydantic import ValidationError

    try:
        HumanMessage(content=5)
    except ValidationError as exc:
        payload = error_payload(exc)
    assert payload["error"] == "InvalidInput" and payload["message"].startswith("content")
    assert "validation errors for" not in payload["message"] and "pydantic" not in payload["message"]
    text = "Message dict must contain 'role'\nFor troubleshooting, visit: https://docs.langchain.com/x"
    assert error_payload(ValueError(text))["message"] == "Message dict must contain 'role'"


def test_last_event_id_minus_one_means_from_the_start_as_the_js_sdk_sends_it():
    """Issue 15: `useStream`'s joinStream sends ``Last-Event-ID: -1`` when it has no id; that was a 422."""
    import pytest

    from server.runs.relay import InvalidEventId, parse_event_id

    assert parse_event_id("-1") == parse_event_id(None) == parse_event_id(" ") == "0-0"
    assert parse_event_id("1733100000000-7") == "1733100000000-7"
    with pytest.raises(InvalidEventId):
        parse_event_id("-2")
