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


class TiltCheckArgs(BaseModel):
    """Arguments of get_tilt_check."""

    window: str = Field("last 90 days", description="Time window in desk words: last 30 days, last 90 days, "
                                                    "this month.")
    next_trades: int | None = Field(None, ge=1, le=50, description="How many trades after each big win or "
                                                                   "losing streak to judge; omit for the default.")


class FeelingCheckInArgs(BaseModel):
    """Arguments of check_in_feeling."""

    feeling: str = Field(..., min_length=1, max_length=40, description="How the user feels in one word, e.g. "
                                                                       "anxious, angry, tired, fomo, calm.")
    note: str = Field("", max_length=2000, description="What the user said about it, in their words.")
    window: str = Field("last 90 days", description="Window of past days to compare results over.")


class DisciplineArgs(BaseModel):
    """Arguments of get_discipline_report."""

    window: str = Field("last 30 days", description="Time window in desk words: today, this week, last 30 days.")
    daily_loss_limit_usd: float | None = Field(None, gt=0, description="The user's own daily loss limit in USD, "
                                                                       "if they name one; omit for the desk default.")
