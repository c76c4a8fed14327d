"""Report schedules from chat: scope, audit and the scheduler protocol, over a fake scheduler (issue 15)."""

from __future__ import annotations

import pytest
from langgraph.prebuilt import ToolRuntime
from sqlalchemy import select

from data import schema
from tools.context import Context
from tools.schedules import ReportSchedule, ReportScheduler, ScheduledReport, SchedulerSlot
from tools.schedules.tools import build_schedule_tools
from tools.scope import ScopeGate

from .conftest import ARUNA, MAYA


class FakeScheduler:
    """Keeps schedules in a list, as the server's cron-backed scheduler would in Redis."""

    def __init__(self):
        self.made: list[tuple[str, ScheduledReport, ReportSchedule]] = []

    def create(self, owner: Context, schedule: ReportSchedule) -> ScheduledReport:
        made = ScheduledReport(schedule_id=f"s{len(self.made) + 1}", report=schedule.report, title=schedule.title,
                               cron=schedule.cron, timezone=schedule.timezone, description=schedule.description,
                               book=schedule.book, thread_id="inbox", next_run="2026-11-23T22:00:00+00:00")
        self.made.append((owner.user_id, made, schedule))
        return made

    def list(self, owner: Context) -> list[ScheduledReport]:
        return [s for user, s, _ in self.made if user == owner.user_id]

    def delete(self, owner: Context, schedule_id: str) -> bool:
        before = len(self.made)
        self.made = [m for m in self.made if not (m[0] == owner.user_id and m[1].schedule_id == schedule_id)]
        return len(self.made) < before


@pytest.fixture
def scheduler():
    return FakeScheduler()


@pytest.fixture
def tools(tiny_db, scheduler):
    gate, slot = ScopeGate(tiny_db), SchedulerSlot(scheduler)
    return {t.name: t for desk in ("compliance", "position_risk") for t in build_schedule_tools(gate, slot, desk)}


def call(tools, name, ctx, **args):
    runtime = ToolRuntime(state={}, context=ctx, config={"configurable": {"thread_id": "th-1"}},
                          stream_writer=None, tool_call_id="call-1", store=None)
    return tools[name].invoke({**args, "runtime": runtime})


def audit(db, tool):
    with db.engine.connect() as conn:
        return conn.execute(select(schema.audit).where(schema.audit.c.tool == tool)).mappings().all()


def test_the_fake_is_a_report_scheduler(scheduler):
    assert isinstance(scheduler, ReportScheduler)


def test_a_trader_schedules_the_breach_report_for_her_book_and_the_call_is_audited(tools, scheduler, tiny_db):
    result = call(tools, "schedule_compliance_report", ARUNA, report="get_limit_breaches",
                  when="every weekday at 17:00 New York", book="FX-G10")
    assert result["status"] == "ok" and result["schedule"]["schedule_id"] == "s1"
    [(user, _, asked)] = scheduler.made
    assert user == "trader_aruna"
    assert (asked.cron, asked.timezone, asked.book) == ("0 17 * * 1-5", "America/New_York", "FX-G10")
    assert asked.ask == "Any limit breaches in FX-G10?"
    [row] = audit(tiny_db, "schedule_compliance_report")
    assert (row["user_id"], row["decision"]) == ("trader_aruna", "allowed")


def test_a_trader_cannot_schedule_a_report_for_a_book_she_is_not_entitled_to(tools, scheduler, tiny_db):
    result = call(tools, "schedule_compliance_report", ARUNA, report="get_limit_breaches",
                  when="every weekday at 17:00 New York", book="FX-EM")
    assert result["status"] == "not_entitled" and "FX-EM" in result["message"]
    assert scheduler.made == []
    [row] = audit(tiny_db, "schedule_compliance_report")
    assert row["decision"] == "denied" and "FX-EM" in row["detail"]


def test_a_role_without_the_schedule_tool_on_the_desk_is_refused(tools, scheduler, tiny_db):
    result = call(tools, "schedule_compliance_report", MAYA, report="get_limit_breaches", when="daily at 7am")
    assert result["status"] == "not_entitled"
    assert scheduler.made == []


def test_bad_timezone_is_a_clear_error_and_nothing_is_scheduled(tools, scheduler, tiny_db):
    result = call(tools, "schedule_compliance_report", ARUNA, report="get_late_bookings",
                  when="every weekday at 17:00 in Atlantis time")
    assert result["status"] == "error" and result["error"]["type"] == "bad_schedule"
    assert "Unknown timezone 'atlantis'" in result["error"]["message"]
    assert scheduler.made == []
    assert audit(tiny_db, "schedule_compliance_report")[0]["decision"] == "error"


def test_without_a_server_the_tools_say_schedules_need_fxdesk_serve(tiny_db):
    gate, empty = ScopeGate(tiny_db), SchedulerSlot()
    tools = {t.name: t for desk in ("compliance", "position_risk") for t in build_schedule_tools(gate, empty, desk)}
    for name, args in (("schedule_compliance_report", {"report": "get_limit_breaches", "when": "daily at 7am"}),
                       ("schedule_risk_report", {"report": "get_var", "when": "daily at 7am"}),
                       ("list_scheduled_reports", {}), ("cancel_scheduled_report", {"which": "all"})):
        result = call(tools, name, ARUNA, **args)
        assert result["status"] == "error" and result["error"]["type"] == "schedules_unavailable", name
        assert "fxdesk serve" in result["error"]["message"]


def test_list_then_cancel_the_17_00_breach_report_leaves_the_others(tools, scheduler):
    call(tools, "schedule_compliance_report", ARUNA, report="get_limit_breaches", when="every weekday at 17:00 NY")
    call(tools, "schedule_risk_report", ARUNA, report="get_var", when="every weekday at 17:00 NY")
    call(tools, "schedule_compliance_report", ARUNA, report="get_limit_breaches", when="daily at 7am London")
    listed = call(tools, "list_scheduled_reports", ARUNA)
    assert listed["count"] == 3
    cancelled = call(tools, "cancel_scheduled_report", ARUNA, which="stop the 17:00 breach report")
    assert [s["schedule_id"] for s in cancelled["cancelled"]] == ["s1"]
    assert [s.schedule_id for s in scheduler.list(ARUNA)] == ["s2", "s3"]


def test_an_ambiguous_cancel_cancels_nothing_and_lists_the_candidates(tools, scheduler):
    call(tools, "schedule_compliance_report", ARUNA, report="get_limit_breaches", when="every weekday at 17:00 NY")
    call(tools, "schedule_compliance_report", ARUNA, report="get_limit_breaches", when="daily at 7am London")
    result = call(tools, "cancel_scheduled_report", ARUNA, which="stop the breach report")
    assert result["error"]["type"] == "ambiguous_schedule" and "17:00" in result["error"]["message"]
    assert len(scheduler.list(ARUNA)) == 2
    assert len(call(tools, "cancel_scheduled_report", ARUNA, which="cancel all of them")["cancelled"]) == 2


def test_a_trader_cannot_cancel_another_traders_schedule(tools, scheduler):
    call(tools, "schedule_compliance_report", ARUNA, report="get_limit_breaches", when="daily at 7am")
    li = Context(user_id="trader_li", role="trader", books=("FX-EM",))
    result = call(tools, "cancel_scheduled_report", li, schedule_id="s1")
    assert result["error"]["type"] == "no_schedules"
    assert len(scheduler.list(ARUNA)) == 1


def test_each_schedule_tool_result_validates_against_its_result_model(tools, scheduler):
    from tools.catalog import TOOL_RESULTS

    results = {
        "schedule_compliance_report": call(tools, "schedule_compliance_report", ARUNA, report="get_limit_breaches",
                                           when="every weekday at 17:00 NY"),
        "schedule_risk_report": call(tools, "schedule_risk_report", ARUNA, report="get_var",
                                     when="daily at 7am London"),
        "list_scheduled_reports": call(tools, "list_scheduled_reports", ARUNA),
        "cancel_scheduled_report": call(tools, "cancel_scheduled_report", ARUNA, which="the var report"),
    }
    for name, result in results.items():
        assert result["status"] == "ok", (name, result)
        TOOL_RESULTS[name].model_validate(result)
