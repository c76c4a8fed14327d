// The web desk: sign-in, then threads | chat | desk panel for the signed-in user.
import { Client } from "@langchain/langgraph-sdk";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { loadSession, saveSession, type Session } from "./api/auth";
import { getJson } from "./api/panel";
import { getStatus, makeTrackedFetch, setStatus, setUnauthorizedHandler, subscribe, type Status } from "./api/status";
import { ChatView } from "./chat/ChatView";
import { loadInFlight, tapRunStreams } from "./chat/resume";
import { ThreadList, type ThreadItem } from "./chat/ThreadList";
import type { Turn } from "./chat/turns";
import { DeskPanel } from "./panel/DeskPanel";
import { Schedules } from "./panel/Schedules";
import { type PairUniverse, pairOfConversation, universeOf } from "./pair";
import { SignIn } from "./SignIn";
import { StatusBanner } from "./StatusBanner";

function initialTheme(): string {
  const saved = localStorage.getItem("fxdesk.theme");
  if (saved === "light" || saved === "dark") return saved;
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

export function App() {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [notice, setNotice] = useState("");
  const [theme, setTheme] = useState(initialTheme);
  const [status, setLocalStatus] = useState<Status>(getStatus());
  useEffect(() => subscribe(setLocalStatus), []);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem("fxdesk.theme", theme);
  }, [theme]);

  const signOut = useCallback((message = "") => {
    saveSession(null);
    setSession(null);
    setNotice(message);
    setStatus({ kind: "ok" });
  }, []);
  useEffect(() => setUnauthorizedHandler(() => signOut("Your session was rejected or has expired — please sign in again.")), [signOut]);

  if (!session) {
    return (
      <SignIn
        notice={notice}
        onSession={(s) => {
          saveSession(s);
          setNotice("");
          setSession(s);
        }}
      />
    );
  }
  return <Desk key={session.token} session={session} status={status} theme={theme} setTheme={setTheme} onSignOut={() => signOut()} />;
}

interface DeskProps {
  session: Session;
  status: Status;
  theme: string;
  setTheme: (t: string) => void;
  onSignOut: () => void;
}

function Desk({ session, status, theme, setTheme, onSignOut }: DeskProps) {
  const tokenRef = useRef(session.token);
  // Run streams keep their run id and last event id in sessionStorage, so a reload resumes the answer.
  const fetcher = useMemo(() => tapRunStreams(makeTrackedFetch(() => tokenRef.current), window.sessionStorage), []);
  const client = useMemo(() => new Client({ apiUrl: window.location.origin, callerOptions: { fetch: fetcher, maxRetries: 0 } }), [fetcher]);
  const [threads, setThreads] = useState<ThreadItem[]>([]);
  const [threadId, setThreadId] = useState<string | null>(() => loadInFlight(window.sessionStorage)?.threadId ?? null);
  const [pair, setPair] = useState<string | null>(null);
  const [universe, setUniverse] = useState<PairUniverse | null>(null);
  useEffect(() => {
    // the desk's pairs, currencies and nicknames come from the server (the `pairs` table)
    getJson<Parameters<typeof universeOf>[0]>(fetcher, "/desk/panel/pairs").then(
      (body) => setUniverse(universeOf(body)),
      () => setUniverse(null), // the status banner says why; the chart just does not follow the chat
    );
  }, [fetcher]);
  const [refreshKey, setRefreshKey] = useState(0);

  const loadThreads = useCallback(async () => {
    try {
      const found = await client.threads.search({ limit: 50 });
      const items = found
        .map((t) => ({
          thread_id: t.thread_id,
          title: String((t.metadata as Record<string, unknown> | null)?.title ?? `Conversation ${t.created_at?.slice(0, 16).replace("T", " ") ?? ""}`),
          updated_at: t.updated_at,
        }))
        .sort((a, b) => String(b.updated_at).localeCompare(String(a.updated_at)));
      setThreads(items);
    } catch {
      /* the status banner says why */
    }
  }, [client]);
  useEffect(() => {
    void loadThreads();
  }, [loadThreads]);

  const onTurns = useCallback(
    (turns: Turn[]) => {
      const p = universe ? pairOfConversation(turns, universe) : null;
      if (p) setPair(p);
    },
    [universe],
  );

  const onThreadId = useCallback(
    (id: string, first: string) => {
      setThreadId(id);
      const title = first.length > 48 ? `${first.slice(0, 47)}…` : first || "New conversation";
      void client.threads.update(id, { metadata: { title } }).then(loadThreads, loadThreads);
    },
    [client, loadThreads],
  );

  const blocked = status.kind === "rate_limited" && Date.now() < status.retryAt;

  return (
    <div className="app">
      <header className="top">
        <h1>fxdesk</h1>
        <span className="who" data-user={session.userId}>
          {session.userId} <span className="muted">({session.role})</span>
        </span>
        <span className="spacer" />
        <button type="button" onClick={() => setTheme(theme === "dark" ? "light" : "dark")} aria-label={`Switch to ${theme === "dark" ? "light" : "dark"} theme`}>
          {theme === "dark" ? "☀ Light" : "☾ Dark"}
        </button>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <StatusBanner status={status} />
      <div className="layout">
        <ThreadList
          threads={threads}
          activeId={threadId}
          onOpen={(id) => {
            setPair(null);
            setThreadId(id);
          }}
          onNew={() => {
            setPair(null);
            setThreadId(null);
          }}
          onRename={(id, title) => void client.threads.update(id, { metadata: { title } }).then(loadThreads)}
          onDelete={(id) => {
            if (!window.confirm("Delete this conversation?")) return;
            void client.threads.delete(id).then(() => {
              if (id === threadId) setThreadId(null);
              return loadThreads();
            });
          }}
        />
        <ChatView
          fetcher={fetcher}
          threadId={threadId}
          onThreadId={onThreadId}
          onTurns={onTurns}
          onFinished={() => {
            setRefreshKey((k) => k + 1);
            void loadThreads();
          }}
          blocked={blocked}
        />
        <DeskPanel fetcher={fetcher} pair={pair} refreshKey={refreshKey} theme={theme}>
          <Schedules
            client={client}
            refreshKey={refreshKey}
            onOpen={(id) => {
              setPair(null);
              setThreadId(id);
            }}
          />
        </DeskPanel>
      </div>
    </div>
  );
}
