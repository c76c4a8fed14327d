"""Issue 13: a limit is the book's. Every caller entitled to a book sees the same limit figures and verdicts,
and a scoped caller never receives a row, customer or trade outside their scope (demo data, SQLite)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from data import schema
from tests.tool_calls import invoke_tool
from tools.context import Context
from tools.desks import build_desk_tools
from tools.users import context_for

AS_OF = date(2026, 11, 20)
CUTOFF = datetime(2026, 11, 21)
ALL_CUSTOMERS = tuple(f"Cust{i}" for i in (*range(201, 231), *range(301, 331), 999))
TRADE_ID = re.compile(r"\bT\d{6}\b")


@pytest.fixture(scope="module")
def tools(desk_db):
    return {t.name: t for desk in build_desk_tools(desk_db).values() for t in desk}


def call(tools, context, name, **args):
    return invoke_tool(tools[name], context, "book-limits", **args)


def book_eur_nop_usd(db):
    """FX-G10 EUR FX delta of every open trade (all customers), by hand, in USD at the as-of close."""
    t = schema.trades
    with db.engine.connect() as conn:
        rows = list(conn.execute(select(t).where(t.c.book == "FX-G10", t.c.trade_time < CUTOFF)).mappings())
        close = dict(conn.execute(select(schema.rates.c.pair, schema.rates.c.close)
                                  .where(schema.rates.c.day == AS_OF)).all())
        limit = conn.execute(select(schema.nop_limits.c.limit_usd).where(
            schema.nop_limits.c.book == "FX-G10", schema.nop_limits.c.currency == "EUR")).scalar()
    eur = 0.0
    for r in rows:
        if (r["exit_time"] is not None and r["exit_time"] < CUTOFF) or not r["pair"].startswith("EUR"):
            continue
        s = 1 if r["side"] == "BUY" else -1
        days = (r["value_date"] - AS_OF).days
        df = 1 / (1 + 0.045 * days / 360) if r["product"] == "FORWARD" and days > 0 else 1.0
        eur += s * r["notional"] * df  # the EUR leg of EURUSD, EURGBP, EURJPY (forwards: discounted)
    return eur * close["EURUSD"], limit


def test_trader_and_compliance_see_the_same_book_utilisation(desk_db, tools):
    aruna = call(tools, context_for(desk_db, "trader_aruna"), "get_limit_utilisation")
    omar = call(tools, context_for(desk_db, "compliance_omar"), "get_limit_utilisation", book="FX-G10")
    assert (aruna["nop"], aruna["var"]) == (omar["nop"], omar["var"])
    eur_usd, limit = book_eur_nop_usd(desk_db)
    eur = next(r for r in aruna["nop"] if r["currency"] == "EUR")
    assert eur["nop_usd"] == pytest.approx(abs(eur_usd), abs=0.01)
    assert eur["utilisation_pct"] == round(100 * abs(eur_usd) / limit, 2) == 111.86
    assert eur["status"] == "breach"  # her own customers' slice was 92.90 % "warning" before issue 13


def test_pre_trade_buy_10m_eurusd_for_cust201_is_the_same_breach_for_trader_and_compliance(desk_db, tools):
    args = {"pair": "EURUSD", "side": "buy", "notional": 10_000_000, "customer": "Cust201"}
    aruna = call(tools, context_for(desk_db, "trader_aruna"), "pre_trade_check", **args)
    omar = call(tools, context_for(desk_db, "compliance_omar"), "pre_trade_check", **args)
    assert aruna["verdict"] == omar["verdict"] == "breach"
    assert aruna["checks"]["nop"] == omar["checks"]["nop"]
    eur_usd, limit = book_eur_nop_usd(desk_db)
    (eur,) = aruna["checks"]["nop"]
    close = aruna["trade"]["close"]
    assert eur["utilisation_after_pct"] == round(100 * abs(eur_usd + 10_000_000 * close) / limit, 2) == 117.08
    what_if = call(tools, context_for(desk_db, "trader_aruna"), "what_if_trade", pair="EURUSD", side="buy",
                   notional=10_000_000)
    row = next(r for r in what_if["nop"] if r["currency"] == "EUR")
    assert (row["utilisation_after_pct"], row["status_after"]) == (117.08, "breach")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(books=st.sets(st.sampled_from(("FX-G10", "FX-EM")), min_size=1),
       customers=st.sets(st.sampled_from(ALL_CUSTOMERS), min_size=1, max_size=12),
       pair=st.sampled_from(("EURUSD", "USDJPY", "USDMXN", "USDZAR")))
def test_random_scopes_get_book_figures_but_never_an_out_of_scope_customer_or_trade(desk_db, tools, books,
                                                                                     customers, pair):
    ctx = Context(user_id="trader_aruna", role="trader", books=tuple(sorted(books)), customers=tuple(sorted(customers)),
                  as_of=AS_OF)
    customer = sorted(customers)[0]
    outputs = [call(tools, ctx, "get_limit_utilisation"), call(tools, ctx, "get_limit_breaches"),
               call(tools, ctx, "what_if_trade", pair=pair, side="sell", notional=5_000_000),
               call(tools, ctx, "pre_trade_check", pair=pair, side="buy", notional=5_000_000, customer=customer)]
    foreign = set(ALL_CUSTOMERS) - set(customers)
    for out in outputs:
        text = json.dumps(out)
        assert not TRADE_ID.search(text)
        assert not any(re.search(rf"\b{c}\b", text) for c in foreign)
        if out["status"] == "ok":
            for book in {"FX-G10", "FX-EM"} - books:
                assert book not in text


@pytest.mark.parametrize("window", ["today", "this month"])
def test_the_pnl_tool_and_the_journal_quote_the_same_realised_pnl(desk_db, tools, window):
    """Issue 13: one realised-P&L rule (entry to exit, USD at the exit close) in get_pnl and the journal.

    trader_aruna's customers are hers alone in the demo, so her scope's closed trades are her own trades."""
    ctx = context_for(desk_db, "trader_aruna")
    pnl = call(tools, ctx, "get_pnl", window=window)
    stats = call(tools, ctx, "get_journal_stats", window=window)
    assert stats["status"] == "ok" and stats["stats"]["trades"] > 0
    closed = stats["stats"]["trades"]
    assert pnl["total_realised_usd"] == pytest.approx(stats["stats"]["total_pnl_usd"], abs=0.01 * closed)


BOOK_PAIRS = {"FX-G10": ("EURUSD", "USDJPY", "GBPUSD"), "FX-EM": ("USDMXN", "USDZAR", "USDTRY")}


@st.composite
def two_callers_of_one_book(draw):
    """A book, a trade in it, and two callers entitled to the book with otherwise random scopes and roles."""
    book = draw(st.sampled_from(sorted(BOOK_PAIRS)))
    shared = draw(st.sampled_from(ALL_CUSTOMERS[:-1]))
    callers = []
    for name in ("first", "second"):
        role = draw(st.sampled_from(("trader", "compliance")))
        other_books = draw(st.sets(st.sampled_from(sorted(BOOK_PAIRS)), max_size=2))
        customers = draw(st.sets(st.sampled_from(ALL_CUSTOMERS), max_size=10)) | {shared}
        callers.append(Context(user_id=f"prop_{name}", role=role, books=tuple(sorted(other_books | {book})),
                               customers=tuple(sorted(customers)), as_of=AS_OF))
    trade = {"pair": draw(st.sampled_from(BOOK_PAIRS[book])), "side": draw(st.sampled_from(("buy", "sell"))),
             "notional": draw(st.sampled_from((1_000_000, 10_000_000, 75_000_000))), "customer": shared}
    return book, trade, callers


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=two_callers_of_one_book())
def test_any_two_callers_entitled_to_a_book_get_identical_limit_figures_and_verdicts(desk_db, tools, case):
    """Issue 13 (property): a limit is the book's, whoever asks and whatever else their scope holds."""
    book, trade, (first, second) = case
    figures = [call(tools, ctx, "get_limit_utilisation", book=book) for ctx in (first, second)]
    assert figures[0]["status"] == "ok", figures[0]
    assert (figures[0]["nop"], figures[0]["var"]) == (figures[1]["nop"], figures[1]["var"])
    verdicts = [call(tools, ctx, "pre_trade_check", **trade) for ctx in (first, second)]
    assert verdicts[0]["status"] == "ok", verdicts[0]
    assert verdicts[0]["verdict"] == verdicts[1]["verdict"]
    assert verdicts[0]["checks"] == verdicts[1]["checks"]
