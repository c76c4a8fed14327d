from decimal import Decimal

from langchain_core.messages import AIMessage

from llm.prices import PriceTable
from llm.reports import percentile
from llm.usage import MemoryUsageStore, UsageRecorder


def test_percentile_is_nearest_rank():
    samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6]
    assert percentile(samples, 50) == 5 and percentile(samples, 95) == 10 and percentile(samples, 10) == 1
    assert percentile([], 50) is None


def test_recorder_totals_tokens_cost_and_failures_by_kind():
    recorder = UsageRecorder(MemoryUsageStore(), PriceTable())
    msg = AIMessage(content="x", usage_metadata={"input_tokens": 100, "output_tokens": 40, "total_tokens": 140})
    for _ in range(3):
        recorder.attempt("groq", "llama-3.3-70b-versatile")
    recorder.success("groq", "llama-3.3-70b-versatile", msg, 0.010)
    recorder.success("groq", "llama-3.3-70b-versatile", msg, 0.030)
    recorder.failure("groq", "llama-3.3-70b-versatile", "timeout")
    recorder.fallback("groq", "llama-3.3-70b-versatile")
    [row] = recorder.rows()
    assert (row.requests, row.successes, row.failures, row.fallbacks) == (3, 2, {"timeout": 1}, 1)
    assert (row.input_tokens, row.output_tokens) == (200, 80)
    # $0.59/M in, $0.79/M out: 200 * 0.59e-6 + 80 * 0.79e-6 = 0.000118 + 0.0000632
    assert row.cost_usd == Decimal("0.0001812")
    assert row.latency_p50_ms == 10.0 and row.latency_p95_ms == 30.0
