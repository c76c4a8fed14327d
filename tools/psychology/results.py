"""Result models of the psychology skills added for issue 17: tilt, feelings check-in, discipline."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel

from tools.windows import Window

__all__ = ["DayGroup", "DisciplineResult", "FeelingCheckInResult", "LossLimitDay", "LossLimitFinding",
           "OversizeFinding", "RateFigure", "TiltCheckResult", "TiltCondition", "TradeSetFigures"]


class TradeSetFigures(BaseModel):
    """Size, hold time and win rate of a set of trades."""

    trades: int
    mean_size_usd: float | None
    closed: int
    wins: int
    win_rate_pct: float | None
    median_hold_minutes: float | None


class TiltCondition(BaseModel):
    """The next trades after one kind of trigger, against the trader's baseline."""

    condition: Literal["after_big_win", "after_losing_streak"]
    definition: str
    triggers: int
    trigger_trade_ids: list[str]
    after: TradeSetFigures
    after_trade_ids: list[str]
    size_ratio: float | None
    hold_ratio: float | None
    win_rate_change_pct_points: float | None
    flagged: bool
    reasons: list[str]


class TiltCheckResult(BaseModel):
    """get_tilt_check: performance after big wins and after losing streaks vs the trader's baseline."""

    as_of: date
    window: Window
    scope: dict[str, Any]
    next_trades: int
    big_win_from_usd: float | None
    baseline: TradeSetFigures
    conditions: list[TiltCondition]
    tilted: bool
    books: list[str]


class DayGroup(BaseModel):
    """Realised results of trades closed on a set of days."""

    days: int
    trading_days: int
    closed: int
    wins: int
    win_rate_pct: float | None
    pnl_usd: float
    avg_pnl_per_trading_day_usd: float | None


class FeelingCheckInResult(BaseModel):
    """check_in_feeling: the saved check-in and the trader's own results on days she felt the same."""

    as_of: date
    window: Window
    scope: dict[str, Any]
    feeling: str
    entry: dict[str, Any]
    feeling_days: DayGroup
    other_days: DayGroup
    feeling_day_list: list[dict[str, Any]]
    win_rate_difference_pct_points: float | None
    avg_day_pnl_difference_usd: float | None


class RateFigure(BaseModel):
    """A count out of a total, in percent."""

    count: int
    of: int
    pct: float | None


class LossLimitDay(BaseModel):
    """A day the realised loss reached the daily limit, and what was traded after."""

    day: date
    limit_hit_at: datetime
    realised_at_hit_usd: float
    day_realised_usd: float
    trades_after: int
    trade_ids: list[str]
    books: list[str]


class LossLimitFinding(BaseModel):
    """Trading after the daily loss limit was hit."""

    daily_loss_limit_usd: float
    days_hit: int
    trades_after_limit: int
    days: list[LossLimitDay]
    flagged: bool


class OversizeFinding(BaseModel):
    """Trades far beyond the trader's usual size, against her baseline share of such trades."""

    median_size_usd: float | None
    oversize_from_usd: float | None
    observed: RateFigure
    baseline: RateFigure
    times_baseline: float | None
    trades: list[dict[str, Any]]
    flagged: bool


class DisciplineResult(BaseModel):
    """get_discipline_report: trading after a daily loss limit and size beyond the usual."""

    as_of: date
    window: Window
    scope: dict[str, Any]
    loss_limit: LossLimitFinding
    oversize: OversizeFinding
    flagged: bool
