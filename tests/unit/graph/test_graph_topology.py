from __future__ import annotations

from graph.builder import build_graph

EXPECTED = """\
---
config:
  flowchart:
    curve: linear
---
graph TD;
	__start__([<p>__start__</p>]):::first
	supervisor(supervisor)
	position_risk(position_risk)
	trade_journal(trade_journal)
	psychology(psychology)
	compliance(compliance)
	__end__([<p>__end__</p>]):::last
	__start__ --> supervisor;
	compliance --> supervisor;
	position_risk --> supervisor;
	psychology --> supervisor;
	supervisor -.-> __end__;
	supervisor -.-> compliance;
	supervisor -.-> position_risk;
	supervisor -.-> psychology;
	supervisor -.-> trade_journal;
	trade_journal --> supervisor;
	classDef default fill:#f2f0ff,line-height:1.2
	classDef first fill-opacity:0
	classDef last fill:#bfb6fc
"""


def test_supervisor_topology_matches_the_design(scripted, grants_db, fake_tools):
    graph = build_graph(scripted.Models(), grants_db, desk_tools=fake_tools).compile()
    assert graph.get_graph().draw_mermaid() == EXPECTED


def test_each_desk_is_a_subgraph_with_a_model_tool_loop(scripted, grants_db, fake_tools):
    graph = build_graph(scripted.Models(), grants_db, desk_tools=fake_tools).compile()
    edges = {(e.source, e.target, e.conditional) for e in graph.get_graph(xray=1).edges}
    for desk in ("position_risk", "trade_journal", "psychology", "compliance"):
        assert ("supervisor", f"{desk}:__start__", True) in edges
        assert (f"{desk}:model", f"{desk}:tools", True) in edges
        assert (f"{desk}:__end__", "supervisor", False) in edges
    for desk in ("position_risk", "trade_journal", "psychology"):
        assert (f"{desk}:tools", f"{desk}:model", False) in edges
    # compliance: a fresh pre-trade check goes through the confirmation step before the model answers
    assert ("compliance:tools", "compliance:confirm", True) in edges
    assert ("compliance:confirm", "compliance:model", False) in edges
