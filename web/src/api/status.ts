// Connection status shared by the chat and the panel: signed out on 401, rate limited on 429, offline on network loss.
export type Status =
  | { kind: "ok" }
  | { kind: "rate_limited"; retryAt: number; detail: string }
  | { kind: "offline" };

type Listener = (status: Status) => void;

let current: Status = { kind: "ok" };
// Bumped each time the server is found lost: a response proves it is back only if its request was sent
// after the loss was noticed (a reply to a request already in flight before the loss proves nothing).
let losses = 0;
const listeners = new Set<Listener>();
let onUnauthorized: () => void = () => {};

export function getStatus(): Status {
  return current;
}

export function setStatus(status: Status): void {
  if (status.kind === "offline") losses++;
  current = status;
  listeners.forEach((l) => l(status));
}

export function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

/** Seconds to wait from a Retry-After header (delta seconds or HTTP date); 1 when absent or unreadable. */
export function retryAfterSeconds(header: string | null, nowMs: number = Date.now()): number {
  if (!header) return 1;
  const secs = Number(header);
  if (Number.isFinite(secs) && secs >= 0) return Math.ceil(secs);
  const at = Date.parse(header);
  return Number.isNaN(at) ? 1 : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/**
 * fetch with the caller's token that reports 401 / 429 / network loss to the shared status.
 * Used both by the panel and, as `callerOptions.fetch`, by the LangGraph SDK client.
 */
export function makeTrackedFetch(getToken: () => string | null): typeof fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    const token = getToken();
    if (token && !headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
    const lossesAtSend = losses;
    let res: Response;
    try {
      res = await fetch(input, { ...init, headers });
    } catch (err) {
      if (!(err instanceof DOMException && err.name === "AbortError")) setStatus({ kind: "offline" });
      throw err;
    }
    if (res.status === 401) onUnauthorized();
    else if (res.status === 429) {
      const wait = retryAfterSeconds(res.headers.get("retry-after"));
      let detail = "Too many requests.";
      try {
        const body = (await res.clone().json()) as { detail?: string };
        if (body.detail) detail = body.detail;
      } catch {
        /* not a problem body */
      }
      setStatus({ kind: "rate_limited", retryAt: Date.now() + wait * 1000, detail });
    } else if (current.kind === "offline" && lossesAtSend === losses) {
      // The server answers a request sent after the loss; a rate limit, though, lasts until its retry
      // time (StatusBanner).
      setStatus({ kind: "ok" });
    }
    return res;
  };
}
