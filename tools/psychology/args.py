"""Model-facing argument models of the psychology tools."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Check = Literal["overtrading", "revenge_trading", "loss_chasing", "time_of_day", "streaks"]


class BehaviourReportArgs(BaseModel):
    """Arguments of get_behaviour_report."""

    window: str = Field("last 30 days", description="Time window in desk words: this week, last 30 days, "
                                                    "since monday, last 90 days.")
    checks: list[Check] | None = Field(
        None, description="Which behaviour checks to run; omit for all of them."
    )
