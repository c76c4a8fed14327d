"""Routing decisions per second of the offline model: ``uv run python benchmarks/routing_decisions.py``.

Cycles through every phrasing of the desk contract and the held-out split, one supervisor decision
(intent model, clauses, follow-up check, hand-off calls) per message, with the feature cache cleared
before each decision so no message is ever read twice. Also prints the cost of the first use
(training on the phrasing tables) and of the intent model's scoring alone.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from langchain_core.messages import HumanMessage  # noqa: E402
from langchain_core.utils.function_calling import convert_to_openai_tool  # noqa: E402

from graph.handoff import build_handoff_tools  # noqa: E402
from llm.offline import brain as brain_module  # noqa: E402
from llm.offline.brain import Brain, brain_for  # noqa: E402
from llm.offline.routing import route  # noqa: E402
from tools.contract import offline_tables  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SECONDS = 3.0


def messages() -> list[str]:
    """Return every phrasing and held-out message."""
    tables = offline_tables()
    texts = [p for intent in tables.intents for p in intent.phrasings]
    for name in ("heldout_single.jsonl", "heldout_multi.jsonl"):
        for line in (ROOT / "tests" / "data" / name).read_text().splitlines():
            row = json.loads(line)
            texts += [t["message"] for t in row.get("turns", [row])]
    return texts


def rate(decide, inputs: list) -> tuple[float, float, int]:
    """Return decisions per wall-clock second and per CPU second of ``decide``, cycling through ``inputs``.

    On a shared machine the CPU-time rate is what one core would do unloaded; both are printed.
    """
    count, start, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - start < SECONDS:
        brain_module.read_features.cache_clear()
        decide(inputs[count % len(inputs)])
        count += 1
    return count / (time.perf_counter() - start), count / (time.process_time() - cpu), count


def main() -> None:
    tables = offline_tables()
    start = time.perf_counter()
    Brain(tables.intents)
    training = time.perf_counter() - start
    brain = brain_for(tables)
    tools = [convert_to_openai_tool(t) for t in build_handoff_tools()]
    texts = messages()
    routing = rate(lambda text: route([HumanMessage(text)], tools, tables), texts)
    scoring = rate(brain.score, texts)
    print(f"{'what':36s} {'per wall s':>11s} {'per CPU s':>10s} {'decisions':>10s}")
    print(f"{'training (first use), wall seconds':36s} {training:11.2f}")
    for name, (wall, cpu, count) in (("routing decision (route())", routing),
                                     ("intent scoring only (Brain.score)", scoring)):
        print(f"{name:36s} {wall:11.0f} {cpu:10.0f} {count:10d}")
    print(f"messages: {len(texts)} distinct phrasings and held-out turns, cycled; feature cache cleared per call")


if __name__ == "__main__":
    main()
