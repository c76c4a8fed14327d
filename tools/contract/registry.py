"""The one typed desk contract: desk -> tools -> argument model -> result model -> phrasings -> template.

Everything that names a desk or a tool is built from here: `tools.desks` (the desks and their tool
builders), `tools.catalog` (tool -> argument model), the supervisor's hand-off descriptions
(graph/handoff.py), the offline model's tables (`offline_tables`) and the web desk's desk labels
(web/src/contract.json, checked by a unit test). Phrasings are data files
``tools/<desk>/phrasings/<name>.txt`` (CONTRACTS.md §3); templates are ``tools/<desk>/answers.py``
``TEMPLATES`` (§4). `check` lists what is missing; a tool without enough phrasings or without a
template fails it.

Adding a tool: one `ToolSpec` in `TOOLS`, its phrasing file and its template.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from tools.compliance import args as compliance_args
from tools.contract import results as r
from tools.position_risk import args as risk_args
from tools.psychology import args as psychology_args
from tools.psychology import results as psychology_results
from tools.schedules import args as schedule_args
from tools.trade_journal import args as journal_args
from tools.trade_journal import results as journal_results

__all__ = [
    "DESKS", "INTENTS", "MIN_PHRASINGS", "REGISTRY", "TOOLS", "ContractError", "DeskSpec", "IntentSpec",
    "Registry", "ToolSpec", "check", "offline_tables", "validate",
]

MIN_PHRASINGS = 20
_ROOT = Path(__file__).resolve().parents[1]


class ContractError(ValueError):
    """The desk contract is incomplete (a tool without phrasings or template, an unknown desk...)."""


@dataclass(frozen=True)
class DeskSpec:
    """One desk: its node name, its short title, what it answers (hand-off prompt text), help examples."""

    name: str
    title: str
    summary: str
    examples: tuple[str, ...]


@dataclass(frozen=True)
class ToolSpec:
    """One tool: name, desk, argument and result models, one-line description."""

    name: str
    desk: str
    args: type[BaseModel]
    result: type[BaseModel]
    description: str


@dataclass(frozen=True)
class IntentSpec:
    """A composite intent: one ask answered by several tools in order (phrasings under its first tool's desk)."""

    name: str
    tools: tuple[str, ...]
    description: str


DESKS: tuple[DeskSpec, ...] = (
    DeskSpec("position_risk", "position risk",
             "net open positions and exposure per currency or pair (with USD equivalents), P&L, VaR, limit "
             "utilisation, what-if of a hypothetical trade, rate history charts, a summary of the book, and "
             "report schedules (schedule a recurring risk report, list or cancel any scheduled report)",
             ("\"What's my EUR/USD exposure today?\"", "\"VaR for the G10 book\"",
              "\"what if I buy twenty million cable?\"", "\"show me the chart of cable\"")),
    DeskSpec("trade_journal", "trade journal",
             "the caller's trade journal: add, list or update entries (trade shorthand, tags, emotions); win "
             "rate, expectancy, profit factor, streaks by tag or pair",
             ("\"show my journal entries this week\"", "\"win rate by tag\"")),
    DeskSpec("psychology", "psychology",
             "coaching on the caller's own trading behaviour and state of mind: overtrading, revenge trading, "
             "loss chasing, tilt, discipline, time of day, streaks, how they feel",
             ("\"am I overtrading?\"", "\"any revenge trading last week?\"")),
    DeskSpec("compliance", "compliance",
             "limit breaches, credit utilisation, restricted-list screening, pre-trade checks, off-market "
             "rates, late bookings, customer KYC status, and scheduling a recurring compliance report",
             ("\"any limit breaches?\"", "\"is Cust999 restricted?\"", "\"KYC status of Cust203\"")),
)

TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec("get_net_open_position", "position_risk", risk_args.NetOpenPositionArgs, r.NetOpenPositionResult,
             "Net open position per book, currency and pair, in units and USD."),
    ToolSpec("get_pnl", "position_risk", risk_args.PnlArgs, r.PnlResult,
             "Mark-to-market P&L in USD over a window, by book and pair."),
    ToolSpec("get_var", "position_risk", risk_args.VarArgs, r.VarResult,
             "1-day 99% value at risk, parametric (EWMA) and historical."),
    ToolSpec("get_limit_utilisation", "position_risk", risk_args.LimitUtilisationArgs, r.LimitUtilisationResult,
             "NOP and VaR limit utilisation and headroom per book."),
    ToolSpec("what_if_trade", "position_risk", risk_args.WhatIfTradeArgs, r.WhatIfTradeResult,
             "A hypothetical trade's effect on NOP, VaR and limits; nothing is booked."),
    ToolSpec("get_rate_history", "position_risk", risk_args.RateHistoryArgs, r.RateHistoryResult,
             "Daily open/high/low/close of one pair over a window."),
    ToolSpec("get_var_backtest", "position_risk", risk_args.VarBacktestArgs, r.VarBacktestResult,
             "VaR backtest: daily P&L beyond the previous close's 1-day 99% VaR, with the Basel zone."),
    ToolSpec("schedule_risk_report", "position_risk", schedule_args.ScheduleRiskReportArgs, r.ScheduleReportResult,
             "Schedule a recurring position-risk report (cron + timezone from trader words) to an inbox thread."),
    ToolSpec("list_scheduled_reports", "position_risk", schedule_args.ListScheduledReportsArgs,
             r.ScheduledReportsResult, "List the caller's scheduled reports with next and last runs."),
    ToolSpec("cancel_scheduled_report", "position_risk", schedule_args.CancelScheduledReportArgs,
             r.CancelScheduledReportResult, "Cancel a scheduled report named by time, report or id."),
    ToolSpec("add_journal_entry", "trade_journal", journal_args.AddJournalEntryArgs, r.JournalEntryResult,
             "Save a journal entry with tags, emotions and notes."),
    ToolSpec("list_journal_entries", "trade_journal", journal_args.ListJournalEntriesArgs, r.JournalEntriesResult,
             "List journal entries by window, tag, pair or trade."),
    ToolSpec("update_journal_entry", "trade_journal", journal_args.UpdateJournalEntryArgs, r.JournalEntryResult,
             "Change a journal entry's tags, emotions or notes."),
    ToolSpec("get_journal_stats", "trade_journal", journal_args.JournalStatsArgs, r.JournalStatsResult,
             "Win rate, average win/loss, expectancy, profit factor and streaks."),
    ToolSpec("log_journal_trade", "trade_journal", journal_args.LogJournalTradeArgs,
             journal_results.JournalTradeResult, "Log a trade written in trader shorthand as a journal trade record."),
    ToolSpec("get_journal_breakdown", "trade_journal", journal_args.JournalBreakdownArgs,
             journal_results.JournalBreakdownResult, "Hit rate, streaks and counts by tag, setup or pair."),
    ToolSpec("get_behaviour_report", "psychology", psychology_args.BehaviourReportArgs, r.BehaviourReportResult,
             "Behaviour flags (overtrading, revenge, loss chasing, time of day, streaks) with evidence."),
    ToolSpec("get_tilt_check", "psychology", psychology_args.TiltCheckArgs, psychology_results.TiltCheckResult,
             "Performance after big wins and losing streaks against the trader's baseline."),
    ToolSpec("check_in_feeling", "psychology", psychology_args.FeelingCheckInArgs,
             psychology_results.FeelingCheckInResult,
             "Record a feeling and answer with results on days tagged with it."),
    ToolSpec("get_discipline_report", "psychology", psychology_args.DisciplineArgs,
             psychology_results.DisciplineResult, "Trading after the daily loss limit and size beyond the usual."),
    ToolSpec("get_limit_breaches", "compliance", compliance_args.LimitBreachesArgs, r.LimitBreachesResult,
             "NOP and VaR limit breaches and warnings."),
    ToolSpec("get_credit_utilisation", "compliance", compliance_args.CreditUtilisationArgs,
             r.CreditUtilisationResult, "Counterparty credit line utilisation."),
    ToolSpec("screen_restricted", "compliance", compliance_args.RestrictedScreenArgs, r.RestrictedScreenResult,
             "Screen a customer and/or pair against the restricted list."),
    ToolSpec("pre_trade_check", "compliance", compliance_args.PreTradeCheckArgs, r.PreTradeCheckResult,
             "Pre-trade check of a proposed trade: restricted list, KYC, credit, limits."),
    ToolSpec("get_off_market_trades", "compliance", compliance_args.OffMarketArgs, r.OffMarketTradesResult,
             "Trades booked at rates outside the day's range."),
    ToolSpec("get_late_bookings", "compliance", compliance_args.LateBookingsArgs, r.LateBookingsResult,
             "Trades booked late after execution."),
    ToolSpec("get_kyc_status", "compliance", compliance_args.KycStatusArgs, r.KycStatusResult,
             "Customers' KYC status and expiry."),
    ToolSpec("schedule_compliance_report", "compliance", schedule_args.ScheduleComplianceReportArgs,
             r.ScheduleReportResult,
             "Schedule a recurring compliance report (cron + timezone from trader words) to an inbox thread."),
)

INTENTS: tuple[IntentSpec, ...] = (
    IntentSpec("book_summary", ("get_net_open_position", "get_pnl", "get_limit_utilisation"),
               "A vague ask about the book: positions, today's P&L and limits, in that order."),
    IntentSpec("trade_limit_check", ("what_if_trade", "pre_trade_check"),
               "Would a hypothetical trade breach a limit: the what-if, then the pre-trade check."),
)


@dataclass(frozen=True)
class Registry:
    """A desk contract: desks, tools, composite intents, where phrasings live and how templates load."""

    desks: tuple[DeskSpec, ...]
    tools: tuple[ToolSpec, ...]
    intents: tuple[IntentSpec, ...] = ()
    root: Path = _ROOT

    def desk_names(self) -> tuple[str, ...]:
        """Return the desk names in contract order."""
        return tuple(d.name for d in self.desks)

    def tools_of(self, desk: str) -> tuple[ToolSpec, ...]:
        """Return one desk's tools in contract order."""
        return tuple(t for t in self.tools if t.desk == desk)

    def tool(self, name: str) -> ToolSpec:
        """Return the tool called ``name`` (KeyError when the contract has none)."""
        for spec in self.tools:
            if spec.name == name:
                return spec
        raise KeyError(name)

    def phrasing_path(self, desk: str, name: str) -> Path:
        """Return where the phrasings of tool or intent ``name`` of ``desk`` live."""
        return self.root / desk / "phrasings" / f"{name}.txt"

    def phrasings(self, desk: str, name: str) -> tuple[str, ...]:
        """Return the phrasings of a tool or intent (empty when the file is missing)."""
        from llm.offline.tables import read_phrasings

        path = self.phrasing_path(desk, name)
        return read_phrasings(path) if path.is_file() else ()

    def templates(self) -> dict[str, Callable[[Mapping[str, Any]], str | None]]:
        """Return tool name -> answer template, merged from every desk's ``answers.TEMPLATES``."""
        merged: dict[str, Callable[[Mapping[str, Any]], str | None]] = {}
        for desk in self.desk_names():
            try:
                module = import_module(f"tools.{desk}.answers")
            except ModuleNotFoundError:
                continue
            merged.update(getattr(module, "TEMPLATES", {}))
        return merged


REGISTRY = Registry(DESKS, TOOLS, INTENTS)


def check(registry: Registry = REGISTRY, *, min_phrasings: int = MIN_PHRASINGS) -> list[str]:
    """Return every gap in the contract (empty when complete).

    Args:
        registry: The contract to check.
        min_phrasings: Phrasings each tool and intent needs at least.

    Returns:
        One line per problem, e.g. ``"get_pnl: 3 phrasings (needs 20) in tools/position_risk/..."``.

    """
    problems: list[str] = []
    desks = set(registry.desk_names())
    templates = registry.templates()
    names = [t.name for t in registry.tools]
    problems += [f"{n}: listed twice" for n in sorted({n for n in names if names.count(n) > 1})]
    for spec in registry.tools:
        if spec.desk not in desks:
            problems.append(f"{spec.name}: unknown desk {spec.desk!r}")
            continue
        problems += _phrasing_gap(registry, spec.desk, spec.name, min_phrasings)
        if spec.name not in templates:
            problems.append(f"{spec.name}: no answer template in tools/{spec.desk}/answers.py TEMPLATES")
    for intent in registry.intents:
        unknown = [t for t in intent.tools if t not in names]
        if unknown or not intent.tools:
            problems.append(f"{intent.name}: calls unknown tools {unknown}")
            continue
        problems += _phrasing_gap(registry, registry.tool(intent.tools[0]).desk, intent.name, min_phrasings)
    for desk in desks - {t.desk for t in registry.tools}:
        problems.append(f"{desk}: a desk without tools")
    return problems


def validate(registry: Registry = REGISTRY) -> Registry:
    """Return ``registry`` when `check` finds nothing, else raise `ContractError` listing every gap."""
    problems = check(registry)
    if problems:
        raise ContractError("the desk contract is incomplete:\n- " + "\n- ".join(problems))
    return registry


def _phrasing_gap(registry: Registry, desk: str, name: str, minimum: int) -> list[str]:
    count = len(registry.phrasings(desk, name))
    if count >= minimum:
        return []
    path = registry.phrasing_path(desk, name).relative_to(registry.root.parent)
    return [f"{name}: {count} phrasings (needs {minimum}) in {path}"]


@cache
def offline_tables(registry: Registry = REGISTRY, pairs: tuple[tuple[str, str], ...] = ()):
    """Return the offline model's tables built from the contract (one object per registry and universe: trained once).

    Args:
        registry: The contract (default: the desks' own).
        pairs: The desk's pair universe as ``(pair, book)`` rows of its ``pairs`` table (the composition
            root reads them); empty: the offline model's demo universe.

    """
    from llm.offline.tables import DeskTable, IntentTable, OfflineTables, small_talk_intents

    desks = tuple(DeskTable(d.name, d.title, f"{d.title} ({d.summary})", d.examples) for d in registry.desks)
    intents = [IntentTable(t.name, (t.name,), (t.desk,), registry.phrasings(t.desk, t.name)) for t in registry.tools]
    for intent in registry.intents:
        owners = tuple(dict.fromkeys(registry.tool(t).desk for t in intent.tools))
        intents.append(IntentTable(intent.name, intent.tools, owners,
                                   registry.phrasings(registry.tool(intent.tools[0]).desk, intent.name)))
    return OfflineTables(desks, (*intents, *small_talk_intents()), registry.templates(),
                         {t.name: t.desk for t in registry.tools}, pairs)
