// Sign-in: paste a JWT (from `fxdesk token --user U`), or under `fxdesk serve --dev` pick a demo user.
import { useEffect, useState } from "react";
import { decodeToken, fetchDemoUsers, fetchDevToken, isExpired, type DemoUser, type Session } from "./api/auth";

export function SignIn({ onSession, notice }: { onSession: (s: Session) => void; notice: string }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState("");
  const [users, setUsers] = useState<DemoUser[] | null>(null);
  useEffect(() => {
    void fetchDemoUsers().then(setUsers);
  }, []);

  const submitToken = () => {
    const session = decodeToken(token);
    if (!session) return setError("That is not a JWT (three dot-separated parts with sub and exp).");
    if (isExpired(session)) return setError("That token has expired; mint a new one with `fxdesk token --user …`.");
    onSession(session);
  };

  return (
    <main className="signin" aria-labelledby="signin-title">
      <h1 id="signin-title">fxdesk — web desk</h1>
      {notice ? (
        <p className="notice" role="alert">
          {notice}
        </p>
      ) : null}
      {users && users.length ? (
        <section aria-labelledby="demo-title">
          <h2 id="demo-title">Demo users (development mode)</h2>
          <ul className="demo-users">
            {users.map((u) => (
              <li key={u.user_id}>
                <button
                  type="button"
                  data-user={u.user_id}
                  onClick={() => fetchDevToken(u.user_id).then(onSession, (e: Error) => setError(e.message))}
                >
                  <strong>{u.user_id}</strong> <span className="muted">{u.role}{u.books.length ? ` · ${u.books.join(", ")}` : ""}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submitToken();
        }}
      >
        <label htmlFor="token-input">Bearer token (JWT)</label>
        <textarea id="token-input" rows={3} value={token} onChange={(e) => setToken(e.target.value)} placeholder="eyJhbGciOi…" />
        <button type="submit" className="primary" disabled={!token.trim()}>
          Sign in
        </button>
        <p className="muted">
          Get one with <code>uv run fxdesk token --user trader_aruna</code>.
        </p>
      </form>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </main>
  );
}
