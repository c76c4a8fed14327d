// The desk panel beside the chat: positions, limits, VaR, P&L, candles for the conversation's pair, journal, behaviour.
import { lazy, Suspense, useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import { panelApi, type PositionsResponse, type ToolResult } from "../api/panel";
import { ExposureBars, Gauges, PnlLine } from "./Charts";
import { candles, compactUsd, exposureBars, limitGauges, pnlSeries } from "./mapping";

const Candles = lazy(() => import("./Candles"));

interface Props {
  fetcher: typeof fetch;
  pair: string | null;
  refreshKey: number;
  theme: string;
  children?: ReactNode; // sections shown first (the report schedules)
}

function Refused({ result }: { result: ToolResult["result"] }) {
  return <p className="muted">{result.message ?? `Not available (${result.status}).`}</p>;
}

export function DeskPanel({ fetcher, pair, refreshKey, theme, children }: Props) {
  const api = useMemo(() => panelApi(fetcher), [fetcher]);
  const [positions, setPositions] = useState<PositionsResponse | null>(null);
  const [pnl, setPnl] = useState<ToolResult[] | null>(null);
  const [journal, setJournal] = useState<ToolResult | null>(null);
  const [behaviour, setBehaviour] = useState<ToolResult | null>(null);
  const [history, setHistory] = useState<ToolResult | null>(null);
  const [failed, setFailed] = useState(false);

  const load = useCallback(async () => {
    try {
      const [p, l, j, b] = await Promise.all([api.positions(), api.pnl(10), api.journal(), api.behaviour()]);
      setPositions(p);
      setPnl(l.days);
      setJournal(j.stats);
      setBehaviour(b.report);
      setFailed(false);
    } catch {
      setFailed(true);
    }
  }, [api]);
  useEffect(() => {
    void load();
  }, [load, refreshKey]);

  // The candle chart follows the conversation's pair; before any, the first pair the user holds.
  const defaultPair = useMemo(() => {
    const rows = (positions?.nop.result.pairs ?? []) as { pair?: string }[];
    return rows[0]?.pair ?? null;
  }, [positions]);
  const chartPair = pair ?? defaultPair;
  useEffect(() => {
    if (!chartPair) return;
    let live = true;
    api.rates(chartPair).then((r) => live && setHistory(r.history), () => live && setHistory(null));
    return () => {
      live = false;
    };
  }, [api, chartPair, refreshKey]);

  // Stable chart data: the candle chart is rebuilt only when its data or the theme change.
  const candleData = useMemo(() => (history?.result.status === "ok" ? candles(history.result) : []), [history]);
  const nop = positions?.nop.result;
  const limits = positions?.limits.result;
  const varResult = positions?.var.result;
  const varRows = ((limits?.var ?? []) as { book: string; var_usd: number; limit_usd: number; utilisation_pct: number }[]);

  return (
    <aside className="panel" aria-label="Desk panel">
      {failed ? (
        <p className="error" role="alert">
          The desk panel could not load.{" "}
          <button type="button" onClick={() => void load()}>
            Retry
          </button>
        </p>
      ) : null}
      {children}
      <section aria-labelledby="h-nop">
        <h2 id="h-nop">Net open position</h2>
        {nop ? nop.status === "ok" ? <ExposureBars bars={exposureBars(nop)} /> : <Refused result={nop} /> : <p className="muted">Loading…</p>}
      </section>
      <section aria-labelledby="h-limits">
        <h2 id="h-limits">Limit utilisation</h2>
        {limits ? limits.status === "ok" ? <Gauges gauges={limitGauges(limits)} /> : <Refused result={limits} /> : null}
      </section>
      <section aria-labelledby="h-var">
        <h2 id="h-var">VaR (1-day 99%)</h2>
        {varResult && varResult.status !== "ok" ? <Refused result={varResult} /> : null}
        <ul className="plain">
          {varRows.map((v) => (
            <li key={v.book} data-book={v.book} data-var={v.var_usd} data-limit={v.limit_usd}>
              {v.book}: <strong>{compactUsd(v.var_usd)}</strong> of {compactUsd(v.limit_usd)} limit ({v.utilisation_pct.toFixed(1)}%)
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="h-pnl">
        <h2 id="h-pnl">P&amp;L, last 10 business days</h2>
        {pnl ? <PnlLine points={pnlSeries(pnl)} /> : null}
      </section>
      <section aria-labelledby="h-rates">
        <h2 id="h-rates">Rates{chartPair ? `: ${chartPair}` : ""}</h2>
        {history ? (
          history.result.status === "ok" ? (
            <Suspense fallback={<p className="muted">Loading chart…</p>}>
              <Candles data={candleData} pair={String(history.result.pair)} theme={theme} />
            </Suspense>
          ) : (
            <Refused result={history.result} />
          )
        ) : (
          <p className="muted">No pair yet.</p>
        )}
      </section>
      <section aria-labelledby="h-journal">
        <h2 id="h-journal">Journal statistics</h2>
        {journal ? journal.result.status === "ok" ? <JournalStats result={journal.result} /> : <Refused result={journal.result} /> : null}
      </section>
      <section aria-labelledby="h-behaviour">
        <h2 id="h-behaviour">Behaviour</h2>
        {behaviour ? behaviour.result.status === "ok" ? <Behaviour result={behaviour.result} /> : <Refused result={behaviour.result} /> : null}
      </section>
    </aside>
  );
}

function JournalStats({ result }: { result: ToolResult["result"] }) {
  const s = (result.stats ?? {}) as Record<string, number | null>;
  const window = (result.window ?? {}) as { label?: string };
  const items: [string, string][] = [
    ["Trades closed", String(s.trades ?? 0)],
    ["Win rate", s.win_rate_pct == null ? "—" : `${s.win_rate_pct}%`],
    ["Expectancy", s.expectancy_usd == null ? "—" : `${compactUsd(s.expectancy_usd)} USD`],
    ["Profit factor", s.profit_factor == null ? "—" : String(s.profit_factor)],
    ["Total P&L", s.total_pnl_usd == null ? "—" : `${compactUsd(s.total_pnl_usd)} USD`],
    ["Longest streaks", `${s.longest_win_streak ?? 0} wins / ${s.longest_loss_streak ?? 0} losses`],
  ];
  return (
    <dl className="fields" aria-label={`Journal statistics, ${window.label ?? ""}`}>
      {items.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

interface Flag {
  check: string;
  flagged: boolean;
  severity?: string;
  explanation?: string;
  evidence?: Record<string, unknown>;
}

function Behaviour({ result }: { result: ToolResult["result"] }) {
  const flags = (result.flags ?? []) as Flag[];
  return (
    <ul className="flags">
      {flags.map((f) => (
        <li key={f.check} className={f.flagged ? "flagged" : undefined} data-check={f.check} data-flagged={f.flagged ? "true" : "false"}>
          <details>
            <summary>
              <strong>{f.check.replace(/_/g, " ")}</strong>: {f.flagged ? `flagged${f.severity ? ` (${f.severity})` : ""}` : "not flagged"}
            </summary>
            {f.explanation ? <p>{f.explanation}</p> : null}
            <pre className="args">{JSON.stringify(f.evidence ?? {}, null, 1)}</pre>
          </details>
        </li>
      ))}
    </ul>
  );
}
