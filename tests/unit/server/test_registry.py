import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph

from server.runs.registry import GraphRegistry, assistant_id_for, graphs_from_config, load_graph

# Observed from `langgraph dev` serving a graph named "echo" (POST /assistants/search).
LANGGRAPH_DEV_ECHO_ID = "046b5dc7-2108-582c-9c6c-31d556d138f0"


def _builder() -> StateGraph:
    builder = StateGraph(MessagesState)
    builder.add_node("reply", lambda state: {"messages": [("ai", "ok")]})
    builder.add_edge(START, "reply")
    builder.add_edge("reply", END)
    return builder


def test_assistant_id_matches_langgraph_devs_for_the_same_graph_id():
    assert assistant_id_for("echo") == LANGGRAPH_DEV_ECHO_ID


def test_assistant_resolves_by_uuid_and_by_graph_id():
    registry = GraphRegistry.compile({"echo": _builder()}, InMemorySaver())
    assert registry.resolve("echo") is registry.resolve(LANGGRAPH_DEV_ECHO_ID)
    assert registry.resolve("other") is None


def test_compiled_graph_is_recompiled_with_our_checkpointer_keeping_its_interrupts():
    saver = InMemorySaver()
    studio = _builder().compile(interrupt_before=["reply"])
    [assistant] = GraphRegistry.compile({"g": studio}, saver).all()
    assert assistant.graph.checkpointer is saver and studio.checkpointer is None
    assert assistant.graph.interrupt_before_nodes == ["reply"]


def test_spec_strings_load_from_a_file_path(tmp_path):
    module = tmp_path / "g.py"
    module.write_text("from langgraph.graph import StateGraph, MessagesState\n"
                      "def make():\n    b = StateGraph(MessagesState)\n    b.add_node('n', lambda s: {})\n"
                      "    b.set_entry_point('n')\n    return b\n")
    assert isinstance(load_graph(f"{module}:make"), StateGraph)
    with pytest.raises(ValueError, match="path/file.py:name"):
        load_graph("no-colon")


def test_langgraph_json_paths_are_resolved_against_its_folder(tmp_path):
    (tmp_path / "langgraph.json").write_text('{"graphs": {"fxdesk": "./graph/studio.py:graph", "m": "pkg.mod:g"}}')
    graphs = graphs_from_config(tmp_path / "langgraph.json")
    assert graphs == {"fxdesk": f"{tmp_path / 'graph' / 'studio.py'}:graph", "m": "pkg.mod:g"}
