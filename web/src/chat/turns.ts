// Turns from a LangGraph message list: each user message with its desks, tool calls, answer and model.
export interface Msg {
  id?: string;
  type: string;
  content: unknown;
  name?: string | null;
  tool_calls?: { id?: string; name: string; args: Record<string, unknown> }[];
  tool_call_id?: string;
  response_metadata?: Record<string, unknown>;
  additional_kwargs?: Record<string, unknown>;
}

export interface ToolCallView {
  id: string;
  name: string;
  agent: string | null;
  args: Record<string, unknown>;
  result: unknown; // parsed JSON when the tool message holds JSON, else its text; undefined while running
  done: boolean;
}

export interface ModelMark {
  provider: string;
  name: string | null;
  fallbacks: string[];
  offline: boolean;
}

export interface Turn {
  key: string;
  question: string;
  desks: string[];
  toolCalls: ToolCallView[];
  answer: string;
  answerId: string | null;
  final: boolean;
  model: ModelMark | null;
}

const HANDOFF = "transfer_to_";

export function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (typeof part === "string" ? part : (part as { text?: string })?.text ?? ""))
      .join("");
  }
  return "";
}

function parseResult(content: unknown): unknown {
  const text = textOf(content);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function modelMark(msg: Msg): ModelMark | null {
  const turn = (msg.additional_kwargs?.fxdesk_turn ?? null) as Record<string, unknown> | null;
  const meta = msg.response_metadata ?? {};
  const provider = String(turn?.model_provider ?? meta.model_provider ?? "");
  if (!provider) return null;
  const fallbacks = ((turn?.fallbacks ?? meta.fxdesk_fallbacks ?? []) as unknown[]).map(String);
  const name = (turn?.model_name ?? meta.model_name ?? null) as string | null;
  return { provider, name, fallbacks, offline: provider === "offline" };
}

/** Group messages into turns; the answer is the final message (fxdesk_final) or, while streaming, the latest text. */
export function buildTurns(messages: Msg[]): Turn[] {
  const turns: Turn[] = [];
  let current: Turn | null = null;
  const byCallId = new Map<string, ToolCallView>();
  for (const [i, msg] of messages.entries()) {
    if (msg.type === "human") {
      current = {
        key: msg.id ?? `turn-${i}`,
        question: textOf(msg.content),
        desks: [],
        toolCalls: [],
        answer: "",
        answerId: null,
        final: false,
        model: null,
      };
      turns.push(current);
      continue;
    }
    if (!current) continue;
    if (msg.type === "ai" || msg.type === "AIMessageChunk") {
      for (const call of msg.tool_calls ?? []) {
        if (call.name.startsWith(HANDOFF)) {
          const desk = call.name.slice(HANDOFF.length);
          if (!current.desks.includes(desk)) current.desks.push(desk);
          continue;
        }
        const id = call.id ?? `${msg.id}-${call.name}`;
        if (byCallId.has(id)) continue;
        const view: ToolCallView = { id, name: call.name, agent: msg.name ?? null, args: call.args ?? {}, result: undefined, done: false };
        byCallId.set(id, view);
        current.toolCalls.push(view);
      }
      const text = textOf(msg.content);
      const meta = msg.response_metadata ?? {};
      if (meta.fxdesk_final) {
        current.answer = text;
        current.answerId = msg.id ?? null;
        current.final = true;
        current.model = modelMark(msg);
        const route = (meta.fxdesk_route ?? []) as string[];
        if (route.length) current.desks = [...route];
      } else if (text && !current.final) {
        current.answer = text;
        current.answerId = msg.id ?? null;
        current.model = modelMark(msg);
      }
    } else if (msg.type === "tool" && msg.tool_call_id) {
      const view = byCallId.get(msg.tool_call_id);
      if (view) {
        view.result = parseResult(msg.content);
        view.done = true;
      }
    }
  }
  return turns;
}

export interface Table {
  title: string;
  columns: string[];
  rows: Record<string, unknown>[];
}

export interface ResultView {
  fields: [string, string][];
  tables: Table[];
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const digits = Number.isInteger(value) ? 0 : Math.abs(value) >= 1000 ? 2 : 6;
  return value.toLocaleString("en-US", { maximumFractionDigits: digits });
}

function isRowList(value: unknown): value is Record<string, unknown>[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => v && typeof v === "object" && !Array.isArray(v));
}

/** Lay a tool result out as key/value fields plus one table per list of rows (nested one level deep). */
export function resultView(result: unknown): ResultView {
  const view: ResultView = { fields: [], tables: [] };
  if (!result || typeof result !== "object" || Array.isArray(result)) {
    view.fields.push(["result", scalar(result)]);
    return view;
  }
  const walk = (obj: Record<string, unknown>, prefix: string, depth: number) => {
    for (const [key, value] of Object.entries(obj)) {
      const name = prefix ? `${prefix}.${key}` : key;
      if (isRowList(value)) {
        const columns: string[] = [];
        for (const row of value) for (const col of Object.keys(row)) if (!columns.includes(col)) columns.push(col);
        view.tables.push({ title: name, columns, rows: value });
      } else if (value && typeof value === "object" && !Array.isArray(value) && depth < 1) {
        walk(value as Record<string, unknown>, name, depth + 1);
      } else {
        view.fields.push([name, Array.isArray(value) ? value.map(scalar).join(", ") : scalar(value)]);
      }
    }
  };
  walk(result as Record<string, unknown>, "", 0);
  return view;
}

export function cell(value: unknown): string {
  return scalar(value);
}
