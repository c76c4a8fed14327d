// One turn: the question, desk badges, tool calls, the (streaming) answer and the model mark.
import { memo } from "react";
import { Markdown } from "./Markdown";
import { ToolCallPanel } from "./ToolCallPanel";
import type { Turn } from "./turns";
import contract from "../contract.json";

// Desk titles come from the desk contract (tools/contract; regenerate with `python -m tools.contract.web`).
const DESK_LABEL: Record<string, string> = Object.fromEntries(contract.desks.map((d) => [d.name, d.title]));

function TurnViewInner({ turn, streaming }: { turn: Turn; streaming: boolean }) {
  const model = turn.model;
  const empty = !streaming && !turn.answer && !turn.toolCalls.length && !turn.desks.length;
  return (
    <article className="turn" data-final={turn.final ? "true" : "false"} aria-label={`Question: ${turn.question}`}>
      <div className="bubble user">{turn.question}</div>
      {empty ? null : (
      <div className="bubble assistant">
        <div className="badges" aria-label="Desks that answered">
          {turn.desks.map((d) => (
            <span key={d} className={`badge desk-${d}`} data-desk={d}>
              {DESK_LABEL[d] ?? d}
            </span>
          ))}
        </div>
        {turn.toolCalls.length ? (
          <div className="toolcalls" aria-label="Tool calls">
            {turn.toolCalls.map((c) => (
              <ToolCallPanel key={c.id} call={c} />
            ))}
          </div>
        ) : null}
        {turn.answer ? (
          <Markdown text={turn.answer} streaming={streaming && !turn.final} />
        ) : streaming ? (
          <p className="muted" aria-hidden="true">
            Thinking…
          </p>
        ) : null}
        {model ? (
          <p className="modelmark" data-model={model.provider} data-offline={model.offline ? "true" : "false"}>
            {model.offline ? <span className="badge warn">offline model</span> : null}
            {model.fallbacks.length ? <span className="badge warn">fallback from {model.fallbacks.join(", ")}</span> : null}
            <span className="muted">
              model: {model.provider}
              {model.name ? `:${model.name}` : ""}
            </span>
          </p>
        ) : null}
      </div>
      )}
    </article>
  );
}

/** What a turn shows; a re-render is skipped when it is unchanged (a streamed token touches only the last turn). */
export function turnSignature(turn: Turn): string {
  const calls = turn.toolCalls.map((c) => `${c.id}:${c.done ? 1 : 0}`).join(",");
  const model = turn.model ? `${turn.model.provider}:${turn.model.name}:${turn.model.fallbacks.join("+")}` : "";
  return [turn.key, turn.final, turn.desks.join("+"), calls, model, turn.answer.length, turn.answer].join("|");
}

export const TurnView = memo(
  TurnViewInner,
  (a, b) => a.streaming === b.streaming && turnSignature(a.turn) === turnSignature(b.turn),
);
