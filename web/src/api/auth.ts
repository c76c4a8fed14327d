// Sign-in state: a JWT kept in localStorage, its claims, and the dev-only demo token endpoint.
export interface Session {
  token: string;
  userId: string;
  role: string;
  exp: number; // seconds since epoch
}

const KEY = "fxdesk.token";

/** Decode a JWT's payload without verifying it (the server verifies every request). */
export function decodeToken(token: string): Session | null {
  const parts = token.trim().split(".");
  if (parts.length !== 3) return null;
  try {
    const json = atob(parts[1].replace(/-/g, "+").replace(/_/g, "/"));
    const claims = JSON.parse(json) as { sub?: unknown; role?: unknown; exp?: unknown };
    if (typeof claims.sub !== "string" || typeof claims.exp !== "number") return null;
    return { token: token.trim(), userId: claims.sub, role: String(claims.role ?? ""), exp: claims.exp };
  } catch {
    return null;
  }
}

export function isExpired(session: Session, nowMs: number = Date.now()): boolean {
  return session.exp * 1000 <= nowMs;
}

export function loadSession(): Session | null {
  const stored = localStorage.getItem(KEY);
  const session = stored ? decodeToken(stored) : null;
  return session && !isExpired(session) ? session : null;
}

export function saveSession(session: Session | null): void {
  if (session) localStorage.setItem(KEY, session.token);
  else localStorage.removeItem(KEY);
}

export interface DemoUser {
  user_id: string;
  name: string;
  role: string;
  books: string[];
}

/** The demo users, or null when the server is not in --dev mode (the endpoint is absent). */
export async function fetchDemoUsers(): Promise<DemoUser[] | null> {
  try {
    const res = await fetch("/dev/users");
    return res.ok ? ((await res.json()) as DemoUser[]) : null;
  } catch {
    return null;
  }
}

export async function fetchDevToken(userId: string): Promise<Session> {
  const res = await fetch("/dev/token", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user_id: userId }),
  });
  if (!res.ok) throw new Error(`Could not get a development token (${res.status}).`);
  const body = (await res.json()) as { token: string };
  const session = decodeToken(body.token);
  if (!session) throw new Error("The server returned an unreadable token.");
  return session;
}
