"""The specialist pattern every desk shares: a model node and a `DeskToolNode` in a bounded loop.

Each desk is its own compiled graph (so LangGraph Studio can step into it) over `DeskState`, which
shares the ``messages`` channel with the supervisor. The model sees `desk_view` of the thread,
trimmed to the history budget, under the desk's versioned prompt; its replies carry the desk's name
so the supervisor and later turns can tell whose work a message is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from langchain_core.language_models import LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langgraph.config import get_config
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime

from agents.history import desk_view, latest_human_index, trim_history
from agents.options import AgentOptions
from agents.prompting import system_prompt
from agents.tool_node import DeskToolNode
from tools.context import Context
from tools.scope import ScopeGate

DESK_GATE_MODEL = "desk-gate"


class ModelSource(Protocol):
    """What agents need from the model chain (``llm.chain.ModelChain`` satisfies it)."""

    def for_agent(self, agent: str, tools: Sequence[BaseTool | dict] = ()) -> Runnable[LanguageModelInput, AIMessage]:
        """Return the runnable chain for ``agent`` with ``tools`` bound to every link."""
        ...


class DeskState(MessagesState):
    """A desk's state: the thread's messages (shared with the supervisor)."""


def tool_rounds(messages: Sequence[BaseMessage], desk: str) -> int:
    """Return how many tool-calling replies ``desk`` made since the latest user message."""
    start = latest_human_index(messages)
    return sum(1 for m in messages[start + 1:] if isinstance(m, AIMessage) and m.name == desk and m.tool_calls)


AnswerHook = Callable[[Sequence[BaseMessage], AIMessage], AIMessage]


def make_model_node(desk: str, models: ModelSource, tools: Sequence[BaseTool], options: AgentOptions,
                    finish: AnswerHook | None = None, gate: ScopeGate | None = None) -> Callable[..., dict[str, Any]]:
    """Return the node that asks the desk's model for tool calls or an answer (``finish`` edits an answer).

    With a ``gate``, a caller whose role may not use the desk gets a "not entitled" answer (and an
    audit row) instead of the model: the desk refuses whoever routed it here (issue 12).
    """
    model = models.for_agent(desk, list(tools))

    def call_model(state: DeskState, runtime: Runtime[Context]) -> dict[str, Any]:
        if gate is not None and (denied := gate.check_desk(runtime.context, desk, _run_meta())) is not None:
            return {"messages": [desk_refusal(desk, denied.reason)]}
        system, prompt = system_prompt(options.prompts, desk, runtime.context, options.as_of)
        view = trim_history(desk_view(state["messages"], desk), options.history_tokens)
        response = model.invoke([system, *view])
        metadata = {**response.response_metadata, "fxdesk_agent": desk, "fxdesk_prompt": prompt.ref}
        response = response.model_copy(update={"name": desk, "response_metadata": metadata})
        if finish is not None and not response.tool_calls:
            response = finish(state["messages"], response)
        return {"messages": [response]}

    call_model.__name__ = f"call_{desk}_model"
    return call_model


def desk_refusal(desk: str, reason: str) -> AIMessage:
    """Return the answer of a desk that refused the caller (no model ran, no tool was called)."""
    return AIMessage(content=reason, name=desk, response_metadata={
        "model_provider": "fxdesk", "model_name": DESK_GATE_MODEL, "fxdesk_agent": desk, "fxdesk_refused": True})


def is_desk_refusal(message: BaseMessage) -> bool:
    """Return whether ``message`` is a desk gate's refusal (`desk_refusal`)."""
    return isinstance(message, AIMessage) and message.response_metadata.get("fxdesk_refused") is True


def _run_meta() -> dict[str, Any]:
    try:
        config = get_config()
    except RuntimeError:
        return {}
    return {"thread_id": (config.get("configurable") or {}).get("thread_id"), "run_id": config.get("run_id")}


def make_stop_node(desk: str, max_rounds: int) -> Callable[[DeskState], dict[str, Any]]:
    """Return the node that ends a desk's loop at the tool-round cap, answering every open call."""

    def stop(state: DeskState) -> dict[str, Any]:
        last = state["messages"][-1]
        closed = [
            ToolMessage(content='{"status": "error", "error": {"type": "step_limit", '
                                '"message": "not run: the desk reached its tool-call limit"}}',
                        tool_call_id=tc["id"], name=tc["name"])
            for tc in getattr(last, "tool_calls", [])
        ]
        note = AIMessage(
            content=f"I stopped after {max_rounds} rounds of tool calls without a complete answer; "
                    "please narrow the question (one pair, book or window).",
            name=desk,
        )
        return {"messages": [*closed, note]}

    return stop


def route_after_model(desk: str, max_rounds: int) -> Callable[[DeskState], str]:
    """Return the router: run tools while the model asks for them, stop at the cap, else finish."""

    def route(state: DeskState) -> str:
        last = state["messages"][-1]
        if not isinstance(last, AIMessage) or not last.tool_calls:
            return END
        return "stop" if tool_rounds(state["messages"], desk) > max_rounds else "tools"

    return route


def build_desk_agent(
    desk: str,
    models: ModelSource,
    tools: Sequence[BaseTool],
    options: AgentOptions | None = None,
    *,
    after_tools: tuple[str, Callable[..., Any], Callable[[DeskState], str]] | None = None,
    finish: AnswerHook | None = None,
    gate: ScopeGate | None = None,
) -> CompiledStateGraph:
    """Build a desk's tool-calling loop.

    Args:
        desk: the desk's name (node name in the supervisor, prompt id, message name).
        models: the model chain.
        tools: the desk's tools.
        options: prompts, history budget, tool-round cap.
        after_tools: (node name, node, router) to insert a step between the tools and the model.
        finish: edits the model's final answer (e.g. to state a recorded decision).
        gate: refuses (and audits) callers whose role may not use this desk, before the model runs.

    """
    options = options or AgentOptions()
    builder = StateGraph(DeskState, context_schema=Context)
    builder.add_node("model", make_model_node(desk, models, tools, options, finish, gate))
    builder.add_node("tools", DeskToolNode(list(tools), handle_tool_errors=True))
    builder.add_node("stop", make_stop_node(desk, options.max_tool_rounds))
    builder.add_edge(START, "model")
    builder.add_conditional_edges("model", route_after_model(desk, options.max_tool_rounds),
                                  ["tools", "stop", END])
    if after_tools is None:
        builder.add_edge("tools", "model")
    else:
        name, node, router = after_tools
        builder.add_node(name, node)
        builder.add_conditional_edges("tools", router, [name, "model"])
        builder.add_edge(name, "model")
    builder.add_edge("stop", END)
    return builder.compile(name=desk)
