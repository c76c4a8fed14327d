"""Pure maths of the trade journal: realised P&L of a closed trade and win/loss statistics.

P&L rule (the domain core's, `domain.trade.realised_pnl_quote`; shared with the P&L tool and psychology):
    A closed trade's realised P&L in USD is
        side sign × notional × (exit_rate − rate)        (in the pair's quote currency)
    converted to USD at the exit day's rate: × USD value of one unit of the quote currency on the
    exit day (1 for USD, close of ``<QUOTE>USD`` if that pair exists, else 1 / close of ``USD<QUOTE>``).
    Side sign is +1 for BUY (long the base currency) and −1 for SELL. ``notional`` is in the base
    currency, ``rate`` and ``exit_rate`` in quote per base.
    A trade without ``exit_rate``/``exit_time`` is open: it has no realised P&L and never counts in
    win/loss statistics.

Statistics follow the usual trading-journal definitions (see `trade_stats`); a trade that closed at
exactly zero P&L is break-even: counted in ``trades`` but neither a win nor a loss, and it ends a streak.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from domain.errors import DomainError
from domain.trade import realised_pnl_quote
from domain.trade import side_sign as domain_side_sign


@dataclass(frozen=True)
class Trade:
    """One trade as the journal and psychology desks see it (no SQL, no LangChain).

    ``quote_usd`` is the USD value of one unit of the quote currency on the exit day (needed only
    for closed trades); ``base_usd`` the USD value of one unit of the base currency on the trade day
    (used to compare sizes across pairs).
    """

    trade_id: str
    book: str
    customer: str
    pair: str
    side: str
    notional: float
    rate: float
    trade_time: datetime
    exit_rate: float | None = None
    exit_time: datetime | None = None
    quote_usd: float | None = None
    base_usd: float | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Trade:
        """Build a trade from a row dict carrying at least these field names (extra keys are ignored)."""
        return cls(**{name: row[name] for name in cls.__dataclass_fields__ if name in row})

    @property
    def is_closed(self) -> bool:
        """True when the trade has an exit (rate and time)."""
        return self.exit_rate is not None and self.exit_time is not None

    @property
    def pnl_usd(self) -> float | None:
        """Realised P&L in USD, or None while the trade is open (see the module docstring)."""
        return realised_pnl_usd(self)

    @property
    def notional_usd(self) -> float | None:
        """Size in USD at the trade day's rate, or None when ``base_usd`` is unknown."""
        return None if self.base_usd is None else abs(self.notional) * self.base_usd


def side_sign(side: str) -> int:
    """Return +1 for BUY (long base) and −1 for SELL (the domain core's rule)."""
    try:
        return domain_side_sign(side)
    except DomainError as exc:
        raise ValueError(exc.message) from None


def realised_pnl_usd(trade: Trade) -> float | None:
    """Return a closed trade's realised P&L in USD (unrounded), or None for an open trade.

    P&L = side sign × notional × (exit_rate − rate) in the quote currency, times ``quote_usd``
    (USD per unit of quote currency on the exit day).

    Raises:
        ValueError: the trade is closed but ``quote_usd`` is missing.

    """
    if not trade.is_closed:
        return None
    if trade.quote_usd is None:
        raise ValueError(f"trade {trade.trade_id} is closed but has no quote→USD rate for its exit day")
    # One realised-P&L rule for the journal and the P&L tool: entry to exit, USD at the exit close.
    assert trade.exit_rate is not None
    return realised_pnl_quote(trade.side, trade.notional, trade.rate, trade.exit_rate) * trade.quote_usd


class TradeStats(BaseModel):
    """Win/loss statistics of a set of closed trades; money in USD (2 decimals), rates in percent."""

    model_config = ConfigDict(frozen=True)

    trades: int
    wins: int
    losses: int
    breakeven: int
    win_rate_pct: float | None
    avg_win_usd: float | None
    avg_loss_usd: float | None
    expectancy_usd: float | None
    profit_factor: float | None
    gross_win_usd: float
    gross_loss_usd: float
    total_pnl_usd: float
    longest_win_streak: int
    longest_loss_streak: int
    books: list[str]


def closed_only(trades: Iterable[Trade]) -> list[Trade]:
    """Return the closed trades ordered by exit time (then trade id, for ties)."""
    return sorted((t for t in trades if t.is_closed), key=lambda t: (t.exit_time, t.trade_id))


def outcome(pnl: float) -> int:
    """Return +1 for a win, −1 for a loss, 0 for break-even."""
    return (pnl > 0) - (pnl < 0)


def streaks(outcomes: Sequence[int]) -> tuple[int, int, int]:
    """Return (longest win streak, longest loss streak, current streak) of ordered outcomes.

    The current streak is signed: +n for n wins in a row at the end, −n for n losses, 0 when the
    last trade was break-even or there are none. A break-even ends any streak.
    """
    longest = {1: 0, -1: 0}
    run_sign, run_len = 0, 0
    for value in outcomes:
        if value != 0 and value == run_sign:
            run_len += 1
        else:
            run_sign, run_len = value, (1 if value else 0)
        if run_sign:
            longest[run_sign] = max(longest[run_sign], run_len)
    return longest[1], longest[-1], run_sign * run_len


def trade_stats(trades: Iterable[Trade]) -> TradeStats:
    """Compute journal statistics over the closed trades in ``trades`` (open trades are ignored).

    - win rate = wins / closed trades; loss rate = losses / closed trades
    - average win / loss = mean P&L of winning / losing trades (average loss is negative)
    - expectancy = win rate × average win − loss rate × |average loss| (USD per trade)
    - profit factor = gross win / |gross loss|; None when there are no losses
    - streaks are runs of consecutive wins / losses ordered by exit time
    Rounding happens once, on output: money to 2 decimals, win rate as a percentage to 2 decimals.
    """
    closed = closed_only(trades)
    pnls = [realised_pnl_usd(t) for t in closed]
    wins = [p for p in pnls if p > 0]
    losses = [p for p in pnls if p < 0]
    n = len(pnls)
    gross_win, gross_loss = sum(wins), sum(losses)
    avg_win = gross_win / len(wins) if wins else None
    avg_loss = gross_loss / len(losses) if losses else None
    expectancy = None
    if n:
        expectancy = (len(wins) / n) * (avg_win or 0.0) - (len(losses) / n) * abs(avg_loss or 0.0)
    longest_win, longest_loss, _ = streaks([outcome(p) for p in pnls])
    return TradeStats(
        trades=n,
        wins=len(wins),
        losses=len(losses),
        breakeven=n - len(wins) - len(losses),
        win_rate_pct=_round(100 * len(wins) / n if n else None),
        avg_win_usd=_round(avg_win),
        avg_loss_usd=_round(avg_loss),
        expectancy_usd=_round(expectancy),
        profit_factor=_round(gross_win / abs(gross_loss) if losses else None),
        gross_win_usd=round(gross_win, 2),
        gross_loss_usd=round(gross_loss, 2),
        total_pnl_usd=round(sum(pnls), 2),
        longest_win_streak=longest_win,
        longest_loss_streak=longest_loss,
        books=sorted({t.book for t in closed}),
    )


UNTAGGED = "untagged"


def group_stats(trades: Iterable[Trade], keys: Callable[[Trade], Iterable[str]]) -> dict[str, TradeStats]:
    """Return statistics per group; ``keys`` names the groups of a trade (a trade may be in several).

    Groups are sorted by name. A trade whose ``keys`` are empty is not counted in any group.
    """
    members: dict[str, list[Trade]] = {}
    for trade in closed_only(trades):
        for key in dict.fromkeys(keys(trade)):
            members.setdefault(key, []).append(trade)
    return {key: trade_stats(members[key]) for key in sorted(members)}


def tag_keys(tags_by_trade: dict[str, Sequence[str]]) -> Callable[[Trade], list[str]]:
    """Return a ``keys`` function for `group_stats` by journal tag; trades without tags are ``untagged``."""

    def keys(trade: Trade) -> list[str]:
        return list(tags_by_trade.get(trade.trade_id) or ()) or [UNTAGGED]

    return keys


def normalise_labels(labels: Iterable[str] | None) -> list[str]:
    """Lower-case, trim and de-duplicate tags or emotions, keeping first-seen order; drop empties.

    Commas separate labels in storage, so a comma inside a label splits it.
    """
    out: dict[str, None] = {}
    for label in labels or ():
        for part in str(label).split(","):
            clean = " ".join(part.strip().lower().split())
            if clean:
                out[clean] = None
    return list(out)


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)
