// Resume on reload (issue 15): remember the in-flight run and its last SSE event id, and continue after a reload.
//
// While a run streams, `tapRunStreams` (a fetch wrapper) reads the SSE frames the server sends for
// `POST /threads/{t}/runs/stream` (and for a join): it keeps the run id (Content-Location), the last
// event id and, per message id, the text streamed so far, in sessionStorage. After a reload the desk
// reopens that thread and joins the run with `Last-Event-ID`: the server sends only what came after,
// so nothing arrives twice, and `withResume` puts the text streamed before the reload in front of it.
// The record is removed when a stream ends normally.

export const INFLIGHT_KEY = "fxdesk.inflight";

export interface Partial {
  type: string;
  text: string;
}

export interface InFlight {
  threadId: string;
  runId: string;
  lastEventId: string | null;
  partial: Record<string, Partial>;
}

export interface SseEvent {
  event: string;
  data: string;
  id: string | null;
}

/** Incremental SSE parser: feed it text as it arrives, get whole events back. */
export class SseParser {
  private buffer = "";
  private event = "";
  private data: string[] = [];
  private id: string | null = null;

  push(text: string): SseEvent[] {
    this.buffer += text;
    const out: SseEvent[] = [];
    let newline: number;
    while ((newline = this.buffer.indexOf("\n")) >= 0) {
      const line = this.buffer.slice(0, newline).replace(/\r$/, "");
      this.buffer = this.buffer.slice(newline + 1);
      if (line === "") {
        if (this.data.length || this.id !== null) out.push({ event: this.event || "message", data: this.data.join("\n"), id: this.id });
        this.event = "";
        this.data = [];
        this.id = null;
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") this.event = value;
      else if (field === "data") this.data.push(value);
      else if (field === "id") this.id = value;
    }
    return out;
  }
}

/** Record one event: its id, and the text of a streamed message (chunks concatenate, as the SDK does). */
export function applyEvent(state: InFlight, event: SseEvent): void {
  if (event.id) state.lastEventId = event.id;
  if (event.event !== "messages" && !event.event.startsWith("messages|")) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(event.data);
  } catch {
    return;
  }
  const message = Array.isArray(parsed) ? (parsed[0] as { id?: unknown; type?: unknown; content?: unknown }) : null;
  if (!message || typeof message.id !== "string" || typeof message.content !== "string") return;
  const type = String(message.type ?? "ai").replace(/MessageChunk$/, "").toLowerCase();
  const prev = state.partial[message.id];
  state.partial[message.id] = { type: prev?.type ?? type, text: (prev?.text ?? "") + message.content };
}

export function loadInFlight(storage: Storage): InFlight | null {
  try {
    const raw = storage.getItem(INFLIGHT_KEY);
    const found = raw ? (JSON.parse(raw) as InFlight) : null;
    return found && typeof found.threadId === "string" && typeof found.runId === "string" ? found : null;
  } catch {
    return null;
  }
}

export function saveInFlight(storage: Storage, state: InFlight): void {
  try {
    storage.setItem(INFLIGHT_KEY, JSON.stringify(state));
  } catch {
    /* storage full or disabled: no resume, nothing else breaks */
  }
}

/** Forget the in-flight run (only if it is still ``runId``, when given). */
export function clearInFlight(storage: Storage, runId?: string): void {
  if (runId && loadInFlight(storage)?.runId !== runId) return;
  storage.removeItem(INFLIGHT_KEY);
}

const CREATE = /\/threads\/([^/]+)\/runs\/stream$/;
const JOIN = /\/threads\/([^/]+)\/runs\/([^/]+)\/stream$/;

function pathOf(input: RequestInfo | URL): string {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  return new URL(url, "http://fxdesk.invalid").pathname;
}

/** Wrap ``fetcher`` so run streams (and joins) keep the in-flight record in ``storage`` as events pass. */
export function tapRunStreams(fetcher: typeof fetch, storage: Storage): typeof fetch {
  return async (input, init) => {
    const response = await fetcher(input, init);
    const path = pathOf(input);
    const created = CREATE.exec(path);
    const joined = created ? null : JOIN.exec(path);
    if (!response.ok || !response.body || !(created || joined)) return response;
    let state: InFlight;
    if (created) {
      const runId = (response.headers.get("content-location") ?? "").split("/runs/")[1]?.split("/")[0];
      if (!runId) return response;
      state = { threadId: created[1], runId, lastEventId: null, partial: {} };
    } else {
      const saved = loadInFlight(storage);
      state = saved && saved.runId === joined![2] ? saved : { threadId: joined![1], runId: joined![2], lastEventId: null, partial: {} };
    }
    saveInFlight(storage, state);
    const parser = new SseParser();
    const decoder = new TextDecoder();
    const tapped = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          const events = parser.push(decoder.decode(chunk, { stream: true }));
          for (const event of events) applyEvent(state, event);
          if (events.length) saveInFlight(storage, state);
          controller.enqueue(chunk);
        },
        flush() {
          clearInFlight(storage, state.runId);
        },
      }),
    );
    return new Response(tapped, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

interface MessageLike {
  id?: string;
  type?: string;
  content?: unknown;
}

/**
 * The messages to show while a resumed run streams. The SDK holds, for a message streamed across the
 * reload, only the text that arrived since; `live` (the tap's record now: the saved text plus what
 * followed) says so exactly: when saved text + shown text is how the live text begins, the saved text
 * goes back in front. A message the thread's state already holds whole (or rewrote, e.g. nicknames)
 * is left as it is; one the state does not hold yet is shown from the saved text; one listed twice
 * (state + stream) is shown once.
 */
export function withResume<M extends MessageLike>(
  messages: M[],
  saved: Record<string, Partial>,
  live: Record<string, Partial> | undefined,
): M[] {
  const out: M[] = [];
  const at = new Map<string, number>();
  for (const message of messages) {
    const before = message.id ? saved[message.id] : undefined;
    const now = message.id ? live?.[message.id] : undefined;
    let shown = message;
    if (before && now && typeof message.content === "string" && !message.content.startsWith(before.text)
        && now.text.startsWith(before.text + message.content)) {
      shown = { ...message, content: before.text + message.content };
    }
    const seen = message.id ? at.get(message.id) : undefined;
    if (seen === undefined) {
      if (message.id) at.set(message.id, out.length);
      out.push(shown);
    } else if (String(shown.content ?? "").length > String(out[seen].content ?? "").length) {
      out[seen] = shown;
    }
  }
  for (const [id, before] of Object.entries(saved)) {
    if (!at.has(id) && before.type === "ai" && before.text) out.push({ id, type: "ai", content: before.text } as M);
  }
  return out;
}
