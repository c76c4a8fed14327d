// The chat: LangGraph's useStream against fxdesk serve's LangGraph API (threads, runs/stream, command resume).
import { useStream } from "@langchain/langgraph-sdk/react";
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { InterruptCard, type ConfirmationValue } from "./InterruptCard";
import { clearInFlight, loadInFlight, withResume, type InFlight } from "./resume";
import { TurnView } from "./TurnView";
import { buildTurns, type Msg, type Turn } from "./turns";

export const ASSISTANT_ID = "fxdesk";
// Resumable: the run goes on if the page goes away, and a reload joins it again (see ./resume.ts).
const STREAM = {
  streamMode: ["values", "messages-tuple"] as ("values" | "messages-tuple")[],
  streamSubgraphs: true,
  streamResumable: true,
};

interface Props {
  fetcher: typeof fetch;
  threadId: string | null;
  onThreadId: (id: string, firstMessage: string) => void;
  onTurns: (turns: Turn[]) => void;
  onFinished: () => void;
  blocked: boolean;
}

export function ChatView({ fetcher, threadId, onThreadId, onTurns, onFinished, blocked }: Props) {
  const [draft, setDraft] = useState("");
  const [announce, setAnnounce] = useState("");
  const lastSent = useRef("");
  const endRef = useRef<HTMLDivElement>(null);
  // The run that was streaming when the page was reloaded, if it was on this thread.
  const pending = useRef<InFlight | null>(loadInFlight(window.sessionStorage));
  const [resumed, setResumed] = useState<InFlight | null>(null);
  const stream = useStream<{ messages: Msg[] }>({
    apiUrl: window.location.origin,
    assistantId: ASSISTANT_ID,
    threadId,
    fetchStateHistory: false,
    callerOptions: { fetch: fetcher, maxRetries: 0 },
    onThreadId: (id) => onThreadId(id, lastSent.current),
    onError: () => {
      // Keep what the user wrote: put the unsent message back if the box is empty.
      setDraft((d) => d || lastSent.current);
    },
    onFinish: (state) => {
      setResumed(null);
      clearInFlight(window.sessionStorage);
      const turns = buildTurns(((state?.values as { messages?: Msg[] })?.messages ?? []) as Msg[]);
      const last = turns[turns.length - 1];
      if (last?.answer) setAnnounce(`${last.desks.join(", ")} answered: ${last.answer.slice(0, 400)}`);
      onFinished();
    },
  });

  useEffect(() => {
    const run = pending.current;
    if (!run || run.threadId !== threadId) return;
    pending.current = null;
    setResumed(run);
    // Continue after the last event this page saw: the server sends only what came after it.
    void stream.joinStream(run.runId, run.lastEventId ?? undefined, { streamMode: STREAM.streamMode });
  }, [threadId]); // once, for the thread the reload reopened

  const streamed = (stream.messages ?? []) as unknown as Msg[];
  const messages = useMemo(
    () => (resumed ? withResume(streamed, resumed.partial, loadInFlight(window.sessionStorage)?.partial) : streamed),
    [streamed, resumed],
  );
  const turns = useMemo(() => buildTurns(messages), [messages]);
  // Report turns (the panel follows their pair) once a run has finished, so the candle chart never
  // loads while tokens are streaming.
  useEffect(() => {
    if (!stream.isLoading) onTurns(turns);
  }, [turns, onTurns, stream.isLoading]);
  // Keep the latest text in view, at most once per frame: scrolling forces a layout, and a burst of
  // streamed tokens would otherwise pay for one layout per token.
  const scrollFrame = useRef(0);
  useEffect(() => {
    if (scrollFrame.current) return;
    scrollFrame.current = requestAnimationFrame(() => {
      scrollFrame.current = 0;
      endRef.current?.scrollIntoView?.({ block: "end" });
    });
  }, [turns]);

  const interrupt = stream.interrupt?.value as ConfirmationValue | undefined;
  const busy = stream.isLoading;

  const send = () => {
    const text = draft.trim();
    if (!text || busy || blocked) return;
    lastSent.current = text;
    setDraft("");
    void stream.submit(
      { messages: [{ type: "human", content: text }] },
      { ...STREAM, optimisticValues: (prev) => ({ messages: [...((prev.messages ?? []) as Msg[]), { type: "human", content: text, id: `local-${Date.now()}` }] }) },
    );
  };

  const resume = (confirm: boolean) => {
    void stream.submit(undefined, { ...STREAM, command: { resume: { confirm } } });
  };

  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      send();
    }
  };

  return (
    <section className="chat" aria-label="Chat">
      <div className="messages" aria-busy={busy}>
        {turns.length === 0 && !busy ? (
          <div className="empty">
            <p>Ask the desk, for example:</p>
            <ul>
              <li>What's my EUR/USD exposure today?</li>
              <li>How close am I to my limits?</li>
              <li>Am I overtrading this month?</li>
            </ul>
          </div>
        ) : null}
        {turns.map((t, i) => (
          <TurnView key={t.key} turn={t} streaming={busy && i === turns.length - 1} />
        ))}
        {interrupt && interrupt.type === "pre_trade_confirmation" && !busy ? (
          <InterruptCard value={interrupt} busy={busy} onAnswer={resume} />
        ) : null}
        {stream.error && !busy ? (
          <p className="error" role="alert">
            The last message did not go through. Your text is back in the box.
          </p>
        ) : null}
        <div ref={endRef} />
      </div>
      <div className="sr-only" aria-live="polite" role="status" data-testid="live-region">
        {announce}
      </div>
      <form
        className="composer"
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        <label htmlFor="composer-input" className="sr-only">
          Message to the desk (Enter sends, Shift+Enter for a new line)
        </label>
        <textarea
          id="composer-input"
          rows={2}
          value={draft}
          placeholder="Ask the desk… (Enter sends, Shift+Enter for a new line)"
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKey}
        />
        <button type="submit" className="primary" disabled={busy || blocked || !draft.trim()}>
          {busy ? "Answering…" : "Send"}
        </button>
      </form>
    </section>
  );
}
