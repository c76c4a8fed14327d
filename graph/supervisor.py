"""The supervisor node: plans each user turn over the desks, runs them in order, then composes the answer.

On a new user message it asks its model, with ``transfer_to_<desk>`` tools bound for the desks the
caller's role may use, which desk(s) to run; a reply without hand-offs is the answer itself
(greeting, help, out of domain, refusal). Hand-offs to ungranted desks are refused here, whatever
the model wrote. When a desk returns, the next planned desk runs; when none is left, a single
desk's answer is the turn's answer and two or more are joined by a compose call.

A desk entered around the plan (a client's ``Command(goto=desk)``) checks the role itself
(`agents.loop`, issue 12); its "not entitled" refusal, or its answer, is then the turn's answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langgraph.graph import END
from langgraph.runtime import Runtime
from langgraph.types import Command

from agents.history import latest_human_index, supervisor_view, trim_history
from agents.loop import ModelSource, is_desk_refusal
from agents.options import AgentOptions
from agents.prompting import system_prompt
from graph.answer import finalize_answer
from graph.handoff import build_handoff_tools
from graph.routing import Grants, desk_limit_text, granted_desks, plan_turn, refusal_text
from graph.state import SupervisorState
from tools.context import Context
from tools.contract import REGISTRY, Registry
from tools.desks import DESKS, Desk
from tools.scope import LiveGrants

SUPERVISOR = "supervisor"
COMPOSE = "compose"
# A turn runs each planned desk at most once, so it can never consult more desks than there are.
DEFAULT_MAX_DESKS = len(DESKS)
NO_CONTEXT = ("I need to know who is asking before I can help: run me with a context "
              "(user_id, role, books, customers).")

# Where the supervisor may go: the desk contract's desks, or the end of the turn. Built from the contract
# (a runtime Literal); the graph builder also names the destinations, so a registry with more desks routes too.
Goto = Literal[(*DESKS, END)]  # type: ignore[valid-type]


def make_supervisor(models: ModelSource, grants: Grants, options: AgentOptions,
                    max_desks: int = DEFAULT_MAX_DESKS, registry: Registry = REGISTRY) -> Callable[..., Command[Goto]]:
    """Return the supervisor node over ``models`` and the role grants.

    Args:
        models: The model chain.
        grants: Which desks (and tools) each role may use.
        options: Prompts, history budget and desk date.
        max_desks: Desks one turn may consult (1 to 4); planned desks beyond it are named, not run.
        registry: The desk contract whose desks the supervisor hands off to (default: the desks' own).

    """
    all_desks = registry.desk_names()
    if not 1 <= max_desks <= len(all_desks):
        raise ValueError(f"max_desks must be between 1 and {len(all_desks)}, got {max_desks}")
    # Grants read live (`LiveGrants`) are read once per turn, not once per desk looked up.
    read_grants = grants.snapshot if isinstance(grants, LiveGrants) else (lambda: grants)
    routers: dict[tuple[Desk, ...], Any] = {}
    composer = models.for_agent(COMPOSE, [])

    def router_for(desks: tuple[Desk, ...]):
        if desks not in routers:
            routers[desks] = models.for_agent(SUPERVISOR, build_handoff_tools(desks, registry))
        return routers[desks]

    def supervisor(state: SupervisorState, runtime: Runtime[Context]) -> Command[Goto]:
        messages = state["messages"]
        if messages and isinstance(messages[-1], HumanMessage):
            return _start_turn(messages, runtime.context)
        return _after_desk(state, runtime.context)

    def _start_turn(messages: Sequence[BaseMessage], ctx: Context | None) -> Command[Goto]:
        fresh = {"route": [], "pending": [], "skipped": [], "hops": 0, "active_desk": None}
        if ctx is None:
            return _end([AIMessage(content=NO_CONTEXT, name=SUPERVISOR)], [], fresh)
        desks = granted_desks(read_grants(), ctx.role, all_desks)
        system, prompt = system_prompt(options.prompts, SUPERVISOR, ctx, options.as_of,
                                       desks=", ".join(desks) or "none")
        view = trim_history(supervisor_view(messages), options.history_tokens)
        reply = router_for(desks).invoke([system, *view])
        reply = reply.model_copy(update={
            "name": SUPERVISOR,
            "response_metadata": {**reply.response_metadata, "fxdesk_agent": SUPERVISOR,
                                  "fxdesk_prompt": prompt.ref},
        })
        if not reply.tool_calls:
            return _end([reply], [], fresh)
        plan = plan_turn(reply.tool_calls, desks, ctx.role, all_desks)
        if not plan.desks:
            refusal = reply.model_copy(update={"content": refusal_text(ctx.role, plan.refused, desks),
                                               "tool_calls": [], "id": None})
            return _end([reply, *plan.replies, refusal], [], fresh)
        run, skipped = plan.desks[:max_desks], plan.desks[max_desks:]
        first, rest = run[0], run[1:]
        return Command(goto=first, update={"messages": [reply, *plan.replies], "route": [first],
                                           "pending": rest, "skipped": skipped, "hops": 1, "active_desk": first})

    def _after_desk(state: SupervisorState, ctx: Context | None) -> Command[Goto]:
        route, pending, hops = list(state.get("route") or []), list(state.get("pending") or []), state.get("hops", 0)
        refusals = [m for m in _this_turn(state["messages"]) if is_desk_refusal(m)]
        if refusals:
            # A desk refused the caller (entered by a client's goto, issue 12): that is the turn's answer.
            refusal = AIMessage(content=refusals[-1].content, name=SUPERVISOR,
                                response_metadata=dict(refusals[-1].response_metadata))
            return _end([refusal], route, {"pending": [], "active_desk": None}, agent=str(refusals[-1].name))
        if pending:
            nxt = pending[0]
            return Command(goto=nxt, update={"route": [*route, nxt], "pending": pending[1:], "hops": hops + 1,
                                             "active_desk": nxt})
        # A desk entered by a client's goto is not in the planned route: answer with what it wrote.
        answers = _desk_answers(state["messages"], route or _desks_that_answered(state["messages"], all_desks))
        note = "\n\n".join(part for part in (_routing_note(state["messages"]),
                                               desk_limit_text(max_desks, state.get("skipped") or [])) if part)
        if not answers:
            empty = AIMessage(content=f"The {', '.join(route) or 'desk'} desk returned no answer; please ask again.",
                              name=SUPERVISOR, response_metadata={"model_provider": "fxdesk", "model_name": "none"})
            return _end([empty], route, {"active_desk": None})
        if len(answers) == 1:
            desk, message = answers[0]
            return _end([_prepend(message, note)], route, {"active_desk": None}, agent=desk)
        composed = _compose(state["messages"], answers, ctx)
        return _end([_prepend(composed, note)], route, {"active_desk": None}, agent=COMPOSE)

    def _compose(messages: Sequence[BaseMessage], answers: list[tuple[str, AIMessage]],
                 ctx: Context | None) -> AIMessage:
        system, prompt = system_prompt(options.prompts, COMPOSE, ctx, options.as_of,
                                       desks=", ".join(desk for desk, _ in answers))
        question = messages[latest_human_index(messages)]
        # Only the desks' written answers: no tool traffic, so any provider accepts it with no tools bound.
        inputs = [system, question, *(AIMessage(content=m.content, name=d) for d, m in answers)]
        reply = composer.invoke(inputs)
        return reply.model_copy(update={
            "name": SUPERVISOR,
            "response_metadata": {**reply.response_metadata, "fxdesk_agent": COMPOSE, "fxdesk_prompt": prompt.ref},
        })

    return supervisor


def _this_turn(messages: Sequence[BaseMessage]) -> Sequence[BaseMessage]:
    return messages[latest_human_index(messages) + 1:]


def _desks_that_answered(messages: Sequence[BaseMessage], desks: Sequence[str]) -> list[str]:
    names = [m.name for m in _this_turn(messages) if isinstance(m, AIMessage) and m.name in desks]
    return list(dict.fromkeys(n for n in names if n))


def _desk_answers(messages: Sequence[BaseMessage], route: Sequence[str]) -> list[tuple[str, AIMessage]]:
    turn = messages[latest_human_index(messages) + 1:]
    answers = []
    for desk in route:
        found = [m for m in turn if isinstance(m, AIMessage) and m.name == desk and not m.tool_calls]
        if found:
            answers.append((desk, found[-1]))
    return answers


def _routing_note(messages: Sequence[BaseMessage]) -> str:
    # Text the router wrote next to its hand-offs (e.g. "your role cannot use X, asking Y only").
    for message in messages[latest_human_index(messages) + 1:]:
        if isinstance(message, AIMessage) and message.name == SUPERVISOR and message.tool_calls:
            return message.content.strip() if isinstance(message.content, str) else ""
    return ""


def _prepend(message: AIMessage, note: str) -> AIMessage:
    if not note or not isinstance(message.content, str) or message.content.startswith(note):
        return message
    return message.model_copy(update={"content": f"{note}\n\n{message.content}"})


def _end(messages: list[BaseMessage], route: Sequence[str], update: Mapping[str, Any],
         agent: str = SUPERVISOR) -> Command[Goto]:
    final = finalize_answer(messages[-1], route=route, agent=agent)  # type: ignore[arg-type]
    return Command(goto=END, update={**update, "messages": [*messages[:-1], final]})
