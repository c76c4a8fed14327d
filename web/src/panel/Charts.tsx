// Exposure bars, limit gauges and the P&L line, as plain SVG/HTML with their figures in data attributes.
import { compactUsd, linePoints, type Bar, type Gauge, type PnlPoint } from "./mapping";

export function ExposureBars({ bars }: { bars: Bar[] }) {
  return (
    <ul className="bars" aria-label="Net open position by currency">
      {bars.map((b) => (
        <li
          key={`${b.book}-${b.currency}`}
          className={`bar ${b.side}`}
          data-currency={b.currency}
          data-book={b.book}
          data-position={b.position}
          data-usd={b.usd}
        >
          <span className="barlabel">{b.currency}</span>
          <span className="bartrack" aria-hidden="true">
            <span className="barfill" style={{ width: `${b.widthPct}%` }} />
          </span>
          <span className="barvalue">
            {b.side === "short" ? "short" : b.side === "long" ? "long" : "flat"} {compactUsd(Math.abs(b.position))} {b.currency}
            <span className="muted"> ({compactUsd(b.usd)} USD)</span>
          </span>
        </li>
      ))}
    </ul>
  );
}

export function Gauges({ gauges }: { gauges: Gauge[] }) {
  return (
    <ul className="gauges" aria-label="Limit utilisation">
      {gauges.map((g) => (
        <li key={`${g.book}-${g.label}`} className={`gauge ${g.level}`} data-book={g.book} data-label={g.label} data-pct={g.pct}>
          <span className="gaugelabel">
            {g.book} {g.label}
          </span>
          <meter min={0} max={120} low={90} high={100} optimum={0} value={Math.min(g.pct, 120)} aria-label={`${g.book} ${g.label} utilisation`} />
          <span className="gaugevalue">
            {g.pct.toFixed(1)}% <span className="muted">of {compactUsd(g.limit)}</span> {g.level !== "ok" ? <strong>{g.level}</strong> : null}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function PnlLine({ points }: { points: PnlPoint[] }) {
  const w = 320;
  const h = 90;
  const values = points.map((p) => p.cumulative);
  const last = points[points.length - 1];
  return (
    <figure className="pnl" data-points={points.length} data-total={last?.cumulative ?? 0}>
      <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`Cumulative P&L over ${points.length} days: ${last ? compactUsd(last.cumulative) : 0} USD`}>
        <polyline points={linePoints(values, w, h)} fill="none" className={last && last.cumulative < 0 ? "line short" : "line long"} strokeWidth="2" />
      </svg>
      <figcaption>
        {points[0]?.day} → {last?.day}: <strong>{last ? compactUsd(last.cumulative) : "—"} USD</strong>
      </figcaption>
    </figure>
  );
}
