"""Valuation of one trade at a close: FX delta legs, value in USD, realised P&L and the P&L explain.

Definitions (the README's definitions table quotes them; ``tests/unit/domain`` works them by hand):

- **Marked forward.** A FORWARD whose value date ``v`` is after day ``d`` is marked at the forward
  rate ``F = close(d) + points(d, v)`` and discounted: value in the quote currency
  ``s*N*DF*(F - K)`` with ``DF`` the discount factor from ``v`` to ``d``. Its FX delta legs are
  ``+s*N*DF`` BASE and ``-s*N*DF*(K - points)`` QUOTE (their value at the close is the MTM). A SPOT
  trade, or a forward at or past its value date, has the plain legs ``+s*N`` BASE, ``-s*N*K`` QUOTE
  and the value ``s*N*(close - K)``.
- **Value in USD** at the close of ``d``: 0 before dealing; for an open trade its quote value times
  the USD value of the quote currency on ``d``; for a trade exited by ``d`` its **realised P&L**
  ``s*N*(exit - K)`` converted at the USD value of the quote currency on the **exit day** (fixed from
  then on: the P&L tool and the journal quote the same USD figure).
- **P&L** over a window = value in USD at the window's last close minus value in USD at the close
  before the window (each rounded to the cent per trade), so daily P&Ls sum exactly to any period.
- **Explain.** With ``e`` the valuation day (the exit day for a trade exited in the window, else the
  window's end) and ``p`` the previous close: FX translation = ``Vq(p) * (u(e) - u(p))`` (the quote
  value held at the previous close, revalued into USD) and price effect = the rest,
  ``(Vq(e) - Vq(p)) * u(e)``; ``u`` is the USD value of the quote currency. Both rounded to the cent
  with the price effect taking the rounding, so price + FX = P&L exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.market import Market
from domain.trade import Trade


def cents(value: float) -> int:
    """Return an amount of money in whole cents (half away from zero, as a desk rounds)."""
    scaled = abs(value) * 100.0
    whole = int(scaled + 0.5 + 1e-9)
    return whole if value >= 0 else -whole


def is_marked_forward(trade: Trade, day: date) -> bool:
    """Return True when ``trade`` is a forward still before its value date on ``day``."""
    return trade.is_forward and trade.value_date is not None and trade.value_date > day


def delta_legs(trade: Trade, market: Market, day: date) -> tuple[tuple[str, float], tuple[str, float]]:
    """Return the trade's FX delta legs at the close of ``day``: ((base, units), (quote, units))."""
    if not is_marked_forward(trade, day):
        return trade.spot_legs()
    assert trade.value_date is not None
    df = market.discount(day, trade.value_date)
    points = market.forward_points(trade.pair, day, trade.value_date)
    amount = trade.sign * trade.notional * df
    return (trade.base, amount), (trade.quote, -amount * (trade.rate - points))


def mark_rate(trade: Trade, market: Market, day: date) -> float:
    """Return the rate an open trade is marked at on ``day``: the forward rate for its value date, or the close."""
    if is_marked_forward(trade, day):
        assert trade.value_date is not None
        return market.forward_rate(trade.pair, day, trade.value_date)
    return market.close(trade.pair, day)


def value_quote(trade: Trade, market: Market, day: date | None) -> float:
    """Return the trade's value in its quote currency at the close of ``day`` (0 before dealing or for None)."""
    if day is None or not trade.dealt_by(day):
        return 0.0
    if trade.exited_by(day):
        return trade.realised_quote() or 0.0
    if is_marked_forward(trade, day):
        assert trade.value_date is not None
        df = market.discount(day, trade.value_date)
        return trade.sign * trade.notional * df * (market.forward_rate(trade.pair, day, trade.value_date) - trade.rate)
    return trade.sign * trade.notional * (market.close(trade.pair, day) - trade.rate)


def quote_usd_on(trade: Trade, market: Market, day: date) -> float:
    """Return the USD value of the quote currency used for the trade's value on ``day`` (exit day once exited)."""
    if trade.exited_by(day):
        assert trade.exit_time is not None
        return market.usd(trade.quote, trade.exit_time.date())
    return market.usd(trade.quote, day)


def value_usd(trade: Trade, market: Market, day: date | None) -> float:
    """Return the trade's value in USD at the close of ``day`` (see the module docstring)."""
    if day is None or not trade.dealt_by(day):
        return 0.0
    return value_quote(trade, market, day) * quote_usd_on(trade, market, day)


def realised_usd(trade: Trade, market: Market) -> float | None:
    """Return the realised P&L in USD (quote P&L at the exit day's close), or None while open."""
    pnl = trade.realised_quote()
    if pnl is None:
        return None
    assert trade.exit_time is not None
    return pnl * market.usd(trade.quote, trade.exit_time.date())


@dataclass(frozen=True)
class PnlExplain:
    """One trade's P&L over a window in cents: total = price effect + FX translation; realised when it exited."""

    total: int
    price: int
    fx: int
    realised: int | None


def explain(trade: Trade, market: Market, previous: date | None, end: date) -> PnlExplain:
    """Return the trade's P&L from the close of ``previous`` (None: nothing before) to the close of ``end``."""
    total = cents(value_usd(trade, market, end)) - cents(value_usd(trade, market, previous))
    held = value_quote(trade, market, previous) if previous is not None and trade.dealt_by(previous) else 0.0
    fx = 0
    if held:
        assert previous is not None
        fx = cents(held * (quote_usd_on(trade, market, end) - quote_usd_on(trade, market, previous)))
    exited_now = trade.exited_by(end) and not (previous is not None and trade.exited_by(previous))
    realised = cents(realised_usd(trade, market) or 0.0) if exited_now else None
    return PnlExplain(total=total, price=total - fx, fx=fx, realised=realised)
