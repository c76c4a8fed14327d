// Banners for a rate limit (with a countdown) and a lost server (polls /healthz until it answers).
import { useEffect, useState } from "react";
import { setStatus, type Status } from "./api/status";

export function StatusBanner({ status }: { status: Status }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (status.kind === "ok") return;
    const timer = setInterval(async () => {
      setNow(Date.now());
      if (status.kind === "rate_limited" && Date.now() >= status.retryAt) setStatus({ kind: "ok" });
      if (status.kind === "offline") {
        try {
          if ((await fetch("/healthz")).ok) setStatus({ kind: "ok" });
        } catch {
          /* still away */
        }
      }
    }, 1000);
    return () => clearInterval(timer);
  }, [status]);
  if (status.kind === "rate_limited") {
    const secs = Math.max(0, Math.ceil((status.retryAt - now) / 1000));
    return (
      <div className="banner warn" role="alert" data-status="rate_limited" data-retry-after={secs}>
        Too many requests — retry in {secs} s. <span className="muted">{status.detail}</span>
      </div>
    );
  }
  if (status.kind === "offline") {
    return (
      <div className="banner error" role="alert" data-status="offline">
        Connection to the desk server lost — reconnecting… Your draft is kept.
      </div>
    );
  }
  return null;
}
