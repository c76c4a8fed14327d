"""The supervisor graph: routes each turn to the desks, composes the answer; compiled by the caller."""

from graph.builder import build_graph
from graph.state import SupervisorState
from graph.supervisor import make_supervisor

__all__ = ["SupervisorState", "build_graph", "make_supervisor"]
