import { beforeEach, describe, expect, it } from "vitest";
import { applyEvent, INFLIGHT_KEY, loadInFlight, SseParser, tapRunStreams, withResume, type InFlight } from "./resume";

const CHUNKS = ["Your ", "EURUSD ", "exposure ", "is long ", "1,000,000 EUR."];

/** The SSE frames of a run, as fxdesk serve writes them for a resumable run (CRLF, an id per frame). */
function frames(from = 0): string[] {
  const out = [`event: metadata\r\ndata: {"run_id":"r1"}\r\nid: 1000-0\r\n\r\n`];
  CHUNKS.forEach((text, i) => {
    const data = JSON.stringify([{ type: "AIMessageChunk", id: "m-answer", content: text }, { langgraph_node: "supervisor" }]);
    out.push(`event: messages\r\ndata: ${data}\r\nid: 1000-${i + 1}\r\n\r\n`);
  });
  return out.slice(from);
}

function sseResponse(parts: string[], runId = "r1"): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream", "content-location": `/threads/t1/runs/${runId}` } });
}

class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(i: number) {
    return [...this.items.keys()][i] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

describe("SseParser", () => {
  it("reads CRLF frames split anywhere, with their ids, and skips comments", () => {
    const parser = new SseParser();
    const text = ": heartbeat\r\n\r\n" + frames().join("");
    const events = [...text].flatMap((ch) => parser.push(ch));
    expect(events.map((e) => [e.event, e.id])).toEqual([
      ["metadata", "1000-0"],
      ...CHUNKS.map((_, i) => ["messages", `1000-${i + 1}`]),
    ]);
  });
});

describe("resume on reload", () => {
  let storage: MemoryStorage;
  beforeEach(() => {
    storage = new MemoryStorage();
  });

  it("keeps the run id, the last event id and the text so far while streaming, and forgets them at the end", async () => {
    const fetcher = tapRunStreams(async () => sseResponse(frames()), storage);
    const response = await fetcher("http://desk/threads/t1/runs/stream", { method: "POST" });
    const reader = response.body!.getReader();
    for (let i = 0; i < 3; i++) await reader.read(); // metadata + two chunks reached the page, then it reloads
    expect(loadInFlight(storage)).toEqual({
      threadId: "t1",
      runId: "r1",
      lastEventId: "1000-2",
      partial: { "m-answer": { type: "ai", text: "Your EURUSD " } },
    });
    while (!(await reader.read()).done);
    expect(storage.getItem(INFLIGHT_KEY)).toBeNull();
  });

  it("joins after the last event seen and shows the whole answer once: the saved text, then only what followed", async () => {
    // First page: the stream is cut after two chunks by a reload.
    const first = tapRunStreams(async () => sseResponse(frames()), storage);
    const reader = (await first("/threads/t1/runs/stream", { method: "POST" })).body!.getReader();
    for (let i = 0; i < 3; i++) await reader.read();
    const saved = loadInFlight(storage)!;

    // After the reload: the join asks for events after saved.lastEventId and the server sends only those.
    const asked: (string | null)[] = [];
    const joined = tapRunStreams(async (_input, init) => {
      asked.push(new Headers(init?.headers).get("Last-Event-ID"));
      return sseResponse(frames(1 + Number(saved.lastEventId!.split("-")[1])));
    }, storage);
    const text = await (await joined("/threads/t1/runs/r1/stream", { headers: { "Last-Event-ID": saved.lastEventId! } })).text();
    expect(asked).toEqual(["1000-2"]);
    expect(text).not.toContain('"Your "'); // nothing already seen is sent again

    // What the SDK holds after the join: the message streamed since (it concatenates the chunks it got).
    // The live record then holds the saved text plus everything that followed.
    const tail = CHUNKS.slice(2).join("");
    const live = { "m-answer": { type: "ai", text: CHUNKS.join("") } };
    const shown = withResume([{ id: "h1", type: "human", content: "exposure?" }, { id: "m-answer", type: "ai", content: tail }], saved.partial, live);
    expect(shown.map((m) => m.content)).toEqual(["exposure?", CHUNKS.join("")]);
    expect(storage.getItem(INFLIGHT_KEY)).toBeNull(); // the joined stream ended: nothing left to resume
  });

  it("leaves a message that already holds the whole text alone, shows it once, and shows a not-yet-saved one", () => {
    const partial = { "m-answer": { type: "ai", text: "Your EURUSD " } };
    const whole = CHUNKS.join("");
    const fromState = { id: "m-answer", type: "ai", content: whole };
    const fromStream = { id: "m-answer", type: "ai", content: "exposure " };
    const live = { "m-answer": { type: "ai", text: whole } };
    expect(withResume([fromState, fromStream], partial, live)).toEqual([fromState]);
    // The final state rewrote the answer (nicknames): it is shown as the state has it, not glued to the saved text.
    const rewritten = { id: "m-answer", type: "ai", content: "Your fibre (EURUSD) exposure is long 1,000,000 EUR." };
    expect(withResume([rewritten], partial, live)).toEqual([rewritten]);
    // The stream ended (the record is gone): nothing is patched.
    expect(withResume([fromStream], partial, undefined)).toEqual([fromStream]);
    expect(withResume([{ id: "h1", type: "human", content: "q" }], partial, live)).toEqual([
      { id: "h1", type: "human", content: "q" },
      { id: "m-answer", type: "ai", content: "Your EURUSD " },
    ]);
  });

  it("ignores events that are not message text and a join of another run", async () => {
    const state: InFlight = { threadId: "t", runId: "r", lastEventId: null, partial: {} };
    applyEvent(state, { event: "values", data: '{"messages":[]}', id: "5-0" });
    applyEvent(state, { event: "messages", data: "not json", id: null });
    applyEvent(state, { event: "messages|position_risk:1", data: JSON.stringify([{ type: "tool", id: "x", content: "{}" }, {}]), id: "5-1" });
    expect(state).toEqual({ threadId: "t", runId: "r", lastEventId: "5-1", partial: { x: { type: "tool", text: "{}" } } });
    const fetcher = tapRunStreams(async () => sseResponse(frames(3), "other"), storage);
    const reader = (await fetcher("/threads/t1/runs/other/stream")).body!.getReader();
    await reader.read();
    expect(loadInFlight(storage)?.partial["m-answer"].text).toBe("exposure ");
  });

  it("does not touch other requests", async () => {
    const plain = new Response("{}", { status: 200 });
    const fetcher = tapRunStreams(async () => plain, storage);
    expect(await fetcher("/threads/t1/state")).toBe(plain);
    expect(storage.length).toBe(0);
  });
});
