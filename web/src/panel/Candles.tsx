// Daily candles with TradingView's lightweight-charts (loaded lazily, outside the initial bundle).
import { CandlestickSeries, createChart, type IChartApi, type UTCTimestamp } from "lightweight-charts";
import { useEffect, useRef } from "react";
import type { Candle } from "./mapping";

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

export default function Candles({ data, pair, theme }: { data: Candle[]; pair: string; theme: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  useEffect(() => {
    if (!box.current) return;
    const c = createChart(box.current, {
      autoSize: true,
      layout: { background: { color: "transparent" }, textColor: cssVar("--fg", "#222"), attributionLogo: false },
      grid: { vertLines: { color: cssVar("--grid", "#ddd") }, horzLines: { color: cssVar("--grid", "#ddd") } },
      timeScale: { borderVisible: false },
    });
    const series = c.addSeries(CandlestickSeries, {
      upColor: cssVar("--long", "#1a7f37"),
      downColor: cssVar("--short", "#c62828"),
      wickUpColor: cssVar("--long", "#1a7f37"),
      wickDownColor: cssVar("--short", "#c62828"),
      borderVisible: false,
    });
    series.setData(data.map((d) => ({ ...d, time: (Date.parse(d.time) / 1000) as UTCTimestamp })));
    c.timeScale().fitContent();
    chart.current = c;
    return () => {
      c.remove();
      chart.current = null;
    };
  }, [data, theme]);
  const last = data[data.length - 1];
  return (
    <figure className="candles" data-pair={pair} data-candles={data.length}>
      <div ref={box} className="candlebox" role="img" aria-label={`${pair} daily candles, ${data.length} days${last ? `, last close ${last.close}` : ""}`} />
    </figure>
  );
}
