"""Model-facing argument models of the report-schedule tools."""

from __future__ import annotations

from pydantic import BaseModel, Field

from tools.schedules.reports import ComplianceReport, RiskReport

_WHEN = ("When to send it, in the trader's words, e.g. 'every weekday at 17:00 New York', 'daily at 7am London', "
         "'every Monday at 9:30 Tokyo'. A city or an IANA zone names the timezone (default UTC).")
_BOOK = "One book the report is for, e.g. FX-G10; omit for all entitled books."
_WEBHOOK = ("Optional https URL to POST each report to (only hosts the desk allows); omit to deliver the reports "
            "to an inbox thread in the trader's chat list.")


class ScheduleComplianceReportArgs(BaseModel):
    """Arguments of schedule_compliance_report."""

    report: ComplianceReport = Field(..., description="Which compliance report to send, named by its tool.")
    when: str = Field(..., min_length=3, max_length=300, description=_WHEN)
    book: str | None = Field(None, description=_BOOK)
    webhook: str | None = Field(None, max_length=2000, description=_WEBHOOK)


class ScheduleRiskReportArgs(BaseModel):
    """Arguments of schedule_risk_report."""

    report: RiskReport = Field(..., description="Which position-risk report to send, named by its tool.")
    when: str = Field(..., min_length=3, max_length=300, description=_WHEN)
    book: str | None = Field(None, description=_BOOK)
    webhook: str | None = Field(None, max_length=2000, description=_WEBHOOK)


class ListScheduledReportsArgs(BaseModel):
    """Arguments of list_scheduled_reports (always the caller's own schedules)."""

    report: str | None = Field(None, max_length=64, description=(
        "Only schedules of this report, named by its tool, e.g. get_limit_breaches; omit for all."))


class CancelScheduledReportArgs(BaseModel):
    """Arguments of cancel_scheduled_report."""

    which: str | None = Field(None, max_length=300, description=(
        "The schedule in the trader's words, e.g. 'the 17:00 breach report' or 'my daily VaR'; a time and/or "
        "the report's name pick it out. Use 'all' to cancel every schedule."))
    schedule_id: str | None = Field(None, max_length=64, description="The schedule's id, when it is known.")
