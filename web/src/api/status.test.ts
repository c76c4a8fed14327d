import { afterEach, describe, expect, it, vi } from "vitest";
import { getStatus, makeTrackedFetch, retryAfterSeconds, setStatus, setUnauthorizedHandler } from "./status";

afterEach(() => {
  vi.unstubAllGlobals();
  setStatus({ kind: "ok" });
});

describe("retryAfterSeconds", () => {
  it("reads delta seconds, an HTTP date, and defaults to 1", () => {
    expect(retryAfterSeconds("7")).toBe(7);
    expect(retryAfterSeconds("0.2")).toBe(1);
    const now = Date.parse("2026-11-20T10:00:00Z");
    expect(retryAfterSeconds("Fri, 20 Nov 2026 10:00:30 GMT", now)).toBe(30);
    expect(retryAfterSeconds(null)).toBe(1);
    expect(retryAfterSeconds("soon")).toBe(1);
  });
});

describe("makeTrackedFetch", () => {
  it("adds the bearer token and reports a 429 with its retry time and detail", async () => {
    const seen: Headers[] = [];
    vi.stubGlobal("fetch", async (_url: string, init: RequestInit) => {
      seen.push(new Headers(init.headers));
      return new Response(JSON.stringify({ status: 429, detail: "Rate limit: 1/minute" }), {
        status: 429,
        headers: { "retry-after": "42" },
      });
    });
    const before = Date.now();
    await makeTrackedFetch(() => "tok")("/threads");
    expect(seen[0].get("authorization")).toBe("Bearer tok");
    // A later successful request (e.g. a panel read) does not hide the rate limit before its time.
    vi.stubGlobal("fetch", async () => new Response("{}", { status: 200 }));
    await makeTrackedFetch(() => "tok")("/desk/panel/positions");
    const status = getStatus();
    expect(status.kind).toBe("rate_limited");
    if (status.kind === "rate_limited") {
      expect(status.detail).toBe("Rate limit: 1/minute");
      expect(status.retryAt - before).toBeGreaterThanOrEqual(42_000);
    }
  });

  it("signs out on 401 and reports a lost server as offline, then ok again", async () => {
    let signedOut = 0;
    setUnauthorizedHandler(() => signedOut++);
    vi.stubGlobal("fetch", async () => new Response("{}", { status: 401 }));
    await makeTrackedFetch(() => "tok")("/desk/panel/positions");
    expect(signedOut).toBe(1);
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("Failed to fetch");
    });
    await expect(makeTrackedFetch(() => null)("/threads")).rejects.toThrow();
    expect(getStatus().kind).toBe("offline");
    vi.stubGlobal("fetch", async () => new Response("{}", { status: 200 }));
    await makeTrackedFetch(() => null)("/threads");
    expect(getStatus().kind).toBe("ok");
  });

  it("stays offline when only a request sent before the loss comes back", async () => {
    let answer: (r: Response) => void = () => {};
    vi.stubGlobal("fetch", () => new Promise<Response>((resolve) => (answer = resolve)));
    const inFlight = makeTrackedFetch(() => null)("/desk/panel/positions");
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("Failed to fetch");
    });
    await expect(makeTrackedFetch(() => null)("/threads")).rejects.toThrow();
    expect(getStatus().kind).toBe("offline");
    answer(new Response("{}", { status: 200 }));
    await inFlight;
    expect(getStatus().kind).toBe("offline");
    vi.stubGlobal("fetch", async () => new Response("{}", { status: 200 }));
    await makeTrackedFetch(() => null)("/threads");
    expect(getStatus().kind).toBe("ok");
  });
});
