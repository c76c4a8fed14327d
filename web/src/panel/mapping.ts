// Tool results -> chart data: exposure bars, limit gauges, VaR, the P&L line and candles.
import type { ToolResult } from "../api/panel";

type Row = Record<string, unknown>;
const rows = (value: unknown): Row[] => (Array.isArray(value) ? (value as Row[]) : []);
const num = (value: unknown): number => (typeof value === "number" ? value : Number(value ?? 0));

export interface Bar {
  book: string;
  currency: string;
  position: number;
  usd: number;
  side: "long" | "short" | "flat";
  widthPct: number; // share of the largest |USD| bar, 0..100
}

export function exposureBars(nop: ToolResult["result"]): Bar[] {
  const list = rows(nop.currencies).map((r) => ({
    book: String(r.book),
    currency: String(r.currency),
    position: num(r.position),
    usd: num(r.usd_equivalent),
  }));
  const max = Math.max(0, ...list.map((b) => Math.abs(b.usd)));
  return list.map((b) => ({
    ...b,
    side: b.position > 0 ? "long" : b.position < 0 ? "short" : "flat",
    widthPct: max > 0 ? Math.round((Math.abs(b.usd) / max) * 1000) / 10 : 0,
  }));
}

export type Level = "ok" | "warning" | "breach";

/** The desk's thresholds (tools/position_risk/calc.limit_status): breach above 100 %, warning from 90 %. */
export function levelOf(pct: number): Level {
  if (pct > 100) return "breach";
  if (pct >= 90) return "warning";
  return "ok";
}

export interface Gauge {
  book: string;
  label: string;
  pct: number;
  used: number;
  limit: number;
  level: Level;
}

export function limitGauges(limits: ToolResult["result"]): Gauge[] {
  const nop = rows(limits.nop).map((r) => ({
    book: String(r.book),
    label: `${r.currency} NOP`,
    pct: num(r.utilisation_pct),
    used: Math.abs(num(r.nop_usd)),
    limit: num(r.limit_usd),
  }));
  const varRows = rows(limits.var).map((r) => ({
    book: String(r.book),
    label: "VaR",
    pct: num(r.utilisation_pct),
    used: num(r.var_usd),
    limit: num(r.limit_usd),
  }));
  return [...varRows, ...nop].filter((g) => g.limit > 0).map((g) => ({ ...g, level: levelOf(g.pct) }));
}

export interface PnlPoint {
  day: string;
  pnl: number;
  cumulative: number;
}

export function pnlSeries(days: ToolResult[]): PnlPoint[] {
  let total = 0;
  const points: PnlPoint[] = [];
  for (const call of days) {
    const r = call.result;
    if (r.status !== "ok") continue;
    const pnl = typeof r.total_pnl_usd === "number" ? r.total_pnl_usd : rows(r.by_book).reduce((s, b) => s + num(b.pnl_usd), 0);
    total += pnl;
    const window = (r.window ?? {}) as Row;
    points.push({ day: String(window.end ?? window.start), pnl, cumulative: Math.round(total * 100) / 100 });
  }
  return points;
}

/** SVG polyline points of a series in a width x height box (y grows down), padded by `pad`. */
export function linePoints(values: number[], width: number, height: number, pad = 4): string {
  if (values.length === 0) return "";
  const min = Math.min(...values, 0);
  const max = Math.max(...values, 0);
  const span = max - min || 1;
  const step = values.length > 1 ? (width - 2 * pad) / (values.length - 1) : 0;
  return values
    .map((v, i) => {
      const x = pad + i * step;
      const y = pad + (1 - (v - min) / span) * (height - 2 * pad);
      return `${Math.round(x * 10) / 10},${Math.round(y * 10) / 10}`;
    })
    .join(" ");
}

export interface Candle {
  time: string;
  open: number;
  high: number;
  low: number;
  close: number;
}

export function candles(history: ToolResult["result"]): Candle[] {
  return rows(history.candles).map((c) => ({
    time: String(c.day),
    open: num(c.open),
    high: num(c.high),
    low: num(c.low),
    close: num(c.close),
  }));
}

export function compactUsd(value: number): string {
  const abs = Math.abs(value);
  const sign = value < 0 ? "−" : "";
  if (abs >= 1e9) return `${sign}${(abs / 1e9).toFixed(2)}bn`;
  if (abs >= 1e6) return `${sign}${(abs / 1e6).toFixed(1)}m`;
  if (abs >= 1e3) return `${sign}${(abs / 1e3).toFixed(0)}k`;
  return `${sign}${abs.toFixed(0)}`;
}
