// The compliance confirmation (a LangGraph interrupt) with Confirm / Cancel that resume the run.
import { useEffect, useRef } from "react";

interface Reason {
  message?: string;
}
export interface ConfirmationValue {
  type?: string;
  question?: string;
  check?: { verdict?: string; reasons?: Reason[]; trade?: Record<string, unknown> };
}

export function InterruptCard({ value, onAnswer, busy }: { value: ConfirmationValue; onAnswer: (confirm: boolean) => void; busy: boolean }) {
  const trade = value.check?.trade ?? {};
  const card = useRef<HTMLElement>(null);
  useEffect(() => card.current?.focus(), []); // keyboard and screen-reader users land on the question
  return (
    <section ref={card} tabIndex={-1} className="interrupt" role="alertdialog" aria-labelledby="confirm-title" aria-describedby="confirm-question">
      <h3 id="confirm-title">Compliance confirmation</h3>
      <p id="confirm-question">{value.question ?? "Confirm this action?"}</p>
      {trade.pair ? (
        <p className="muted">
          {String(trade.side ?? "")} {Number(trade.notional ?? 0).toLocaleString("en-US")} {String(trade.pair)}
          {trade.customer ? ` for ${String(trade.customer)}` : ""} — verdict <strong>{value.check?.verdict}</strong>
        </p>
      ) : null}
      <ul>
        {(value.check?.reasons ?? []).map((r, i) => (
          <li key={i}>{r.message}</li>
        ))}
      </ul>
      <div className="row">
        <button type="button" className="danger" disabled={busy} onClick={() => onAnswer(true)}>
          Confirm
        </button>
        <button type="button" disabled={busy} onClick={() => onAnswer(false)}>
          Cancel
        </button>
      </div>
    </section>
  );
}
