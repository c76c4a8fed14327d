"""Property tests: whatever the message, every emitted tool call validates against the tool's args model."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from langchain_core.messages import HumanMessage

from data.demo_market import pair_rows
from domain.pairs import PairUniverse
from llm.offline import OfflineChatModel
from tests.unit.llm.offline.catalog_tools import DESKS, desk_tools, handoff_tools
from tools.catalog import TOOL_ARGS
from tools.contract import offline_tables
from tools.pairs import normalise_currency, normalise_pair
from tools.windows import resolve_window

MODEL = OfflineChatModel(tables=offline_tables())
SPECIALISTS = {desk: MODEL.bind_tools(desk_tools(desk)) for desk in DESKS}
ROUTER = MODEL.bind_tools(handoff_tools())
FRAGMENTS = [
    "what if I", "would", "can I", "buy", "sell", "lift", "hit", "5m", "2.5 mio", "a yard", "1,000,000", "500k",
    "cable", "EUR/USD", "usd-jpy", "euro yen", "rand", "real", "GBP", "EUR", "Cust203", "customer 310",
    "FX-G10", "EM book", "today", "last week", "past 2 weeks", "since monday", "since 2026-11-02",
    "2026-11-02..2026-11-13", "pnl", "VaR", "historical", "exposure", "limits", "breaches", "kyc", "pending",
    "restricted", "late bookings", "45 minutes", "off-market", "0.5%", "journal", "entry 12", "T004211",
    "tag #breakout", "fomo", "win rate", "by pair", "overtrading", "revenge", "streaks", "at 1.0850", ":", "and",
    "?", "top 5", "xyzzy", "🙂", "-3", "999999999999", "0", "",
]
AS_OF = date(2026, 11, 20)
UNIVERSE = PairUniverse.from_rows(pair_rows())


def _check_call(name: str, args: dict) -> None:
    model = TOOL_ARGS[name][1]
    model.model_validate(args)  # raises on anything the tool would reject
    if args.get("pair"):
        normalise_pair(args["pair"], UNIVERSE)
    if args.get("currency"):
        normalise_currency(args["currency"], UNIVERSE)
    if args.get("window"):
        resolve_window(args["window"], AS_OF)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=8), st.sampled_from(DESKS))
def test_specialist_tool_calls_always_validate(words, desk):
    reply = SPECIALISTS[desk].invoke([HumanMessage(" ".join(words))])
    assert reply.tool_calls or reply.content
    for call in reply.tool_calls:
        assert TOOL_ARGS[call["name"]][0] == desk
        _check_call(call["name"], call["args"])


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gets_a_reply_in_every_mode(text):
    for runnable in (ROUTER, SPECIALISTS["position_risk"], MODEL):
        reply = runnable.invoke([HumanMessage(text)])
        assert reply.tool_calls or reply.content
        for call in reply.tool_calls:
            if not call["name"].startswith("transfer_to_"):
                _check_call(call["name"], call["args"])
