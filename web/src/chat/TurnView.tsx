// One turn: the question, desk badges, tool calls, the (streaming) answer and the model mark.
import { Markdown } from "./Markdown";
import { ToolCallPanel } from "./ToolCallPanel";
import type { Turn } from "./turns";

const DESK_LABEL: Record<string, string> = {
  position_risk: "position risk",
  trade_journal: "trade journal",
  psychology: "psychology",
  compliance: "compliance",
};

export function TurnView({ turn, streaming }: { turn: Turn; streaming: boolean }) {
  const model = turn.model;
  return (
    <article className="turn" data-final={turn.final ? "true" : "false"} aria-label={`Question: ${turn.question}`}>
      <div className="bubble user">{turn.question}</div>
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
    </article>
  );
}
