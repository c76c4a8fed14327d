"""The final message of a turn: route and model in its metadata, and a visible note on offline or fallback answers."""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.messages import AIMessage

OFFLINE = "offline"


def model_note(provider: str, fallbacks: Sequence[str]) -> str:
    """Return the short note a reader sees when the offline model or a fallback answered ('' otherwise)."""
    if provider == OFFLINE:
        return "_(answered by the offline model)_"
    if fallbacks:
        return f"_(answered by {provider} after a fallback from {', '.join(fallbacks)})_"
    return ""


def finalize_answer(message: AIMessage, *, route: Sequence[str], agent: str) -> AIMessage:
    """Return ``message`` (same id) with the turn's route, answering agent and model recorded, plus the note."""
    meta = dict(message.response_metadata)
    provider = str(meta.get("model_provider") or "unknown")
    fallbacks = [str(f) for f in meta.get("fxdesk_fallbacks") or ()]
    turn = {
        "route": list(route),
        "agent": agent,
        "model_provider": provider,
        "model_name": meta.get("model_name"),
        "fallbacks": fallbacks,
        "prompt": meta.get("fxdesk_prompt"),
    }
    meta.update({"fxdesk_route": list(route), "fxdesk_answered_by": agent, "fxdesk_final": True})
    content = message.content
    note = model_note(provider, fallbacks)
    if note and isinstance(content, str) and not content.rstrip().endswith(note):
        content = f"{content.rstrip()}\n\n{note}"
    return message.model_copy(update={
        "content": content,
        "response_metadata": meta,
        "additional_kwargs": {**message.additional_kwargs, "fxdesk_turn": turn},
    })
