"""LangChain tools that schedule desk reports from chat, list them and cancel them (issue 15).

Each goes through the scope gate like every desk tool: the role must hold the schedule tool *and*
the report's tool on the report's desk, the book must be one the caller is entitled to, and every
call leaves an audit record. The schedule itself is created by the process's `ReportScheduler`
(the server's crons); the cron then runs as its creator with their scope read again at each tick.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from langchain_core.tools import BaseTool, tool
from langgraph.prebuilt import ToolRuntime

from tools.context import Context
from tools.errors import NotEntitledError
from tools.schedules import args as a
from tools.schedules.matching import pick_schedules
from tools.schedules.phrases import parse_schedule
from tools.schedules.reports import REPORTS, ask_for
from tools.schedules.scheduler import ReportSchedule, SchedulerSlot
from tools.scope import Scope, ScopeGate

__all__ = ["build_schedule_tools"]


def build_schedule_tools(gate: ScopeGate, slot: SchedulerSlot, desk: str) -> list[BaseTool]:
    """Return the schedule tools of ``desk``: compliance schedules its reports; position risk its own, list, cancel."""

    def call(runtime: ToolRuntime[Context], name: str, args: dict[str, Any], compute: Callable[[Scope], Any],
             books: Iterable[str | None] = ()) -> dict[str, Any]:
        return gate.run(runtime.context, desk=desk, tool=name, args=args, compute=compute, books=books,
                        run_meta=_run_meta(runtime))

    def schedule(name: str, report: str, when: str, book: str | None, webhook: str | None,
                 runtime: ToolRuntime[Context]) -> dict:
        def compute(scope: Scope) -> dict[str, Any]:
            spec = REPORTS[report]
            granted = gate.grants().get((scope.role, spec.desk), frozenset())
            if "*" not in granted and report not in granted:
                raise NotEntitledError(f"Not entitled: the {scope.role} role may not use {report}, so it cannot "
                                       "be scheduled. Nothing was scheduled.", {"report": report})
            parsed = parse_schedule(when)
            created = slot.get().create(_owner(runtime), ReportSchedule(
                report=report, desk=spec.desk, title=spec.title, ask=ask_for(report, book), cron=parsed.cron,
                timezone=parsed.timezone, description=parsed.description, book=book, webhook=webhook))
            return {"as_of": scope.as_of, "schedule": created.model_dump(mode="json")}

        return call(runtime, name, {"report": report, "when": when, "book": book, "webhook": webhook}, compute,
                    books=[book])

    @tool("schedule_compliance_report", args_schema=a.ScheduleComplianceReportArgs)
    def schedule_compliance_report(report: str, when: str, book: str | None = None, webhook: str | None = None, *,
                                   runtime: ToolRuntime[Context]) -> dict:
        """Schedule a recurring compliance report, e.g. "every weekday at 17:00 New York send me the limit breaches".

        Creates a schedule owned by the caller: at each time it runs the report with the caller's
        entitlements at that moment and delivers it to a new inbox thread in their chat list (and to
        `webhook`, if given and allowed). Returns the schedule with its id, cron, timezone and next run.
        """
        return schedule("schedule_compliance_report", report, when, book, webhook, runtime)

    @tool("schedule_risk_report", args_schema=a.ScheduleRiskReportArgs)
    def schedule_risk_report(report: str, when: str, book: str | None = None, webhook: str | None = None, *,
                             runtime: ToolRuntime[Context]) -> dict:
        """Schedule a recurring position-risk report, e.g. "send me my VaR every day at 7am London".

        Creates a schedule owned by the caller: at each time it runs the report with the caller's
        entitlements at that moment and delivers it to a new inbox thread in their chat list (and to
        `webhook`, if given and allowed). Returns the schedule with its id, cron, timezone and next run.
        """
        return schedule("schedule_risk_report", report, when, book, webhook, runtime)

    @tool("list_scheduled_reports", args_schema=a.ListScheduledReportsArgs)
    def list_scheduled_reports(report: str | None = None, *, runtime: ToolRuntime[Context]) -> dict:
        """List the caller's scheduled reports: what, when (cron and timezone), next run and how the last run went."""
        def compute(scope: Scope) -> dict[str, Any]:
            found = [s for s in slot.get().list(_owner(runtime)) if report is None or s.report == report]
            return {"as_of": scope.as_of, "count": len(found), "schedules": [s.model_dump(mode="json") for s in found]}

        return call(runtime, "list_scheduled_reports", {"report": report}, compute)

    @tool("cancel_scheduled_report", args_schema=a.CancelScheduledReportArgs)
    def cancel_scheduled_report(which: str | None = None, schedule_id: str | None = None, *,
                                runtime: ToolRuntime[Context]) -> dict:
        """Cancel one of the caller's scheduled reports, e.g. "stop the 17:00 breach report" (or 'all' of them).

        Picks the schedule by id, or by the time and report named in `which`; when several match it
        cancels nothing and lists them so the trader can say which.
        """
        def compute(scope: Scope) -> dict[str, Any]:
            scheduler, owner = slot.get(), _owner(runtime)
            chosen = pick_schedules(scheduler.list(owner), which, schedule_id)
            cancelled = [s for s in chosen if scheduler.delete(owner, s.schedule_id)]
            return {"as_of": scope.as_of, "cancelled": [s.model_dump(mode="json") for s in cancelled]}

        return call(runtime, "cancel_scheduled_report", {"which": which, "schedule_id": schedule_id}, compute)

    if desk == "compliance":
        return [schedule_compliance_report]
    return [schedule_risk_report, list_scheduled_reports, cancel_scheduled_report]


def _owner(runtime: ToolRuntime[Context]) -> Context:
    ctx = runtime.context
    return ctx if isinstance(ctx, Context) else Context(**ctx)


def _run_meta(runtime: ToolRuntime[Context]) -> dict[str, Any]:
    config = runtime.config or {}
    return {"thread_id": (config.get("configurable") or {}).get("thread_id"), "run_id": config.get("run_id")}
