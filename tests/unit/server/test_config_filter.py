"""Client config never carries LangGraph's reserved keys (issue 12, finding 7)."""

from server.runs.config_filter import client_configurable


def test_reserved_and_server_keys_are_dropped_and_the_rest_kept():
    """Issue 12 finding 7: ``__pregel_*`` keys in ``config.configurable`` reached the graph."""
    given = {"__pregel_send": 1, "__pregel_checkpointer": "x", "__anything": 2, "thread_id": "t", "run_id": "r",
             "checkpoint_ns": "n", "graph_id": "g", "assistant_id": "a", "model": "fast", "_private": 3, 7: "int key"}
    assert client_configurable(given) == {"model": "fast", "_private": 3}


def test_checkpoint_selectors_keep_their_namespace_but_not_reserved_keys():
    """Issue 12 finding 7: checkpoint bodies are configurable too."""
    given = {"checkpoint_id": "c", "checkpoint_ns": "", "thread_id": "t", "__pregel_read": 1}
    assert client_configurable(given, drop={"thread_id"}) == {"checkpoint_id": "c", "checkpoint_ns": ""}
