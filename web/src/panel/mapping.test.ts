import { describe, expect, it } from "vitest";
import { candles, exposureBars, levelOf, limitGauges, linePoints, pnlSeries } from "./mapping";

describe("exposureBars", () => {
  it("keeps the tool's figures, sides and widths relative to the largest |USD|", () => {
    // Long 1m EURUSD at 1.08: +1,000,000 EUR and -1,080,000 USD; EUR at 1.10 is 1,100,000 USD.
    const bars = exposureBars({
      status: "ok",
      currencies: [
        { book: "FX-G10", currency: "USD", position: -1080000, usd_equivalent: -1080000 },
        { book: "FX-G10", currency: "EUR", position: 1000000, usd_equivalent: 1100000 },
        { book: "FX-G10", currency: "GBP", position: 0, usd_equivalent: 0 },
      ],
    });
    expect(bars.map((b) => [b.currency, b.position, b.usd, b.side, b.widthPct])).toEqual([
      ["USD", -1080000, -1080000, "short", 98.2],
      ["EUR", 1000000, 1100000, "long", 100],
      ["GBP", 0, 0, "flat", 0],
    ]);
  });

  it("returns no bars for a refusal", () => {
    expect(exposureBars({ status: "not_entitled", message: "no" })).toEqual([]);
  });
});

describe("limit gauges", () => {
  it("colours by the desk thresholds: warning from 90 %, breach above 100 %", () => {
    expect([levelOf(89.99), levelOf(90), levelOf(100), levelOf(100.01)]).toEqual(["ok", "warning", "warning", "breach"]);
  });

  it("puts VaR first and drops rows without a limit", () => {
    const gauges = limitGauges({
      nop: [
        { book: "FX-EM", currency: "TRY", nop_usd: -9286476.06, limit_usd: 8930000, utilisation_pct: 103.99 },
        { book: "FX-EM", currency: "BRL", nop_usd: 10, limit_usd: null, utilisation_pct: null },
      ],
      var: [{ book: "FX-EM", var_usd: 1000, limit_usd: 2000, utilisation_pct: 50 }],
    });
    expect(gauges.map((g) => [g.label, g.pct, g.level, g.used])).toEqual([
      ["VaR", 50, "ok", 1000],
      ["TRY NOP", 103.99, "breach", 9286476.06],
    ]);
  });
});

describe("pnlSeries", () => {
  it("accumulates day P&L in order and skips days the tool refused", () => {
    const day = (d: string, pnl: number) => ({ name: "get_pnl", args: {}, result: { status: "ok", window: { start: d, end: d }, total_pnl_usd: pnl } });
    const series = pnlSeries([
      day("2026-11-18", 100.5),
      { name: "get_pnl", args: {}, result: { status: "error", message: "no_business_day" } },
      day("2026-11-19", -250.25),
      day("2026-11-20", 49.75),
    ]);
    expect(series).toEqual([
      { day: "2026-11-18", pnl: 100.5, cumulative: 100.5 },
      { day: "2026-11-19", pnl: -250.25, cumulative: -149.75 },
      { day: "2026-11-20", pnl: 49.75, cumulative: -100 },
    ]);
  });

  it("sums the books when the result has no total", () => {
    const series = pnlSeries([{ name: "get_pnl", args: {}, result: { status: "ok", window: { end: "d" }, by_book: [{ pnl_usd: 1 }, { pnl_usd: 2 }] } }]);
    expect(series[0].pnl).toBe(3);
  });
});

describe("linePoints", () => {
  it("maps the range (including zero) onto the box, highest value at the top", () => {
    // values 0..10 in a 100x50 box with 0 padding: x step 50, y = (1 - v/10) * 50
    expect(linePoints([0, 10, 5], 100, 50, 0)).toBe("0,50 50,0 100,25");
  });
});

describe("candles", () => {
  it("maps the tool's rows to lightweight-charts bars", () => {
    expect(candles({ candles: [{ day: "2026-11-20", open: 1.07694, high: 1.08594, low: 1.07492, close: 1.0812 }] })).toEqual([
      { time: "2026-11-20", open: 1.07694, high: 1.08594, low: 1.07492, close: 1.0812 },
    ]);
  });
});
