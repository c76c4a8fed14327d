"""Page helpers of the web desk's browser tests: sign-in, asking, stream timing probes, tool figures."""

from __future__ import annotations

import json
import statistics
from typing import Any

from tests.tool_calls import invoke_tool
from tools.desks import build_desk_tools
from tools.users import context_for

# Runs before the app: tees every runs/stream response to timestamp each SSE chunk as it arrives, and
# timestamps every change of the streaming answer's text (MutationObserver), both on performance.now().
STREAM_PROBE = """
(() => {
  window.__sse = []; window.__mut = [];
  const orig = window.fetch.bind(window);
  window.fetch = async (...args) => {
    const res = await orig(...args);
    const url = String((args[0] && args[0].url) || args[0]);
    if (url.includes('/runs/stream') && res.body) {
      const [mine, theirs] = res.body.tee();
      (async () => {
        const reader = theirs.getReader(); const dec = new TextDecoder();
        for (;;) { const {done, value} = await reader.read(); if (done) break;
                   window.__sse.push({t: performance.now(), text: dec.decode(value, {stream: true})}); }
      })();
      return new Response(mine, {status: res.status, statusText: res.statusText, headers: res.headers});
    }
    return res;
  };
  const watch = () => new MutationObserver(() => {
    const el = document.querySelector('article.turn:last-of-type .markdown');
    if (el) window.__mut.push({t: performance.now(), len: el.textContent.length, chars: Number(el.dataset.chars)});
  }).observe(document.documentElement, {subtree: true, childList: true, characterData: true, attributes: true,
                                         attributeFilter: ['data-chars']});
  if (document.documentElement) watch(); else document.addEventListener('DOMContentLoaded', watch);
})();
"""


# Runs before the app: hands the page each runs/stream response slowly (64 bytes every 60 ms) while the
# server runs at full speed, so a test can reload the page in the middle of a streamed answer.
SLOW_STREAM = """
(() => {
  const orig = window.fetch.bind(window);
  window.fetch = async (...args) => {
    const res = await orig(...args);
    const url = String((args[0] && args[0].url) || args[0]);
    if (!/\\/threads\\/[^/]+\\/runs\\/stream$/.test(new URL(url, location.href).pathname) || !res.body) return res;
    const reader = res.body.getReader(); let pending = new Uint8Array(0);
    const slow = new ReadableStream({
      async pull(controller) {
        if (!pending.length) { const {done, value} = await reader.read(); if (done) { controller.close(); return; }
                               pending = value; }
        await new Promise((r) => setTimeout(r, 60));
        controller.enqueue(pending.slice(0, 64)); pending = pending.slice(64);
      },
      cancel(reason) { return reader.cancel(reason); },
    });
    return new Response(slow, {status: res.status, statusText: res.statusText, headers: res.headers});
  };
})();
"""

def sign_in_demo(page, base_url: str, user: str) -> None:
    """Open the page and sign in through the --dev demo-user picker."""
    page.goto(base_url + "/")
    page.click(f"button[data-user={user}]")
    page.wait_for_selector(f".who[data-user={user}]")


def ask(page, text: str, turn_index: int, timeout_ms: int = 30_000):
    """Type a message, send it with Enter and wait for turn ``turn_index`` (0-based) to be final."""
    page.fill("#composer-input", text)
    page.keyboard.press("Enter")
    turn = page.locator("article.turn").nth(turn_index)
    turn.locator("xpath=self::*[@data-final='true']").wait_for(timeout=timeout_ms)
    # The final message can land before the run is over (the SDK still reads the thread's state).
    page.locator(".messages[aria-busy=false]").wait_for(timeout=timeout_ms)
    return turn


def call_tool(db, user: str, name: str, **args: Any) -> dict[str, Any]:
    """Run a desk tool as ``user`` in-process, the same way the agents and the panel do."""
    tools = {t.name: t for desk in build_desk_tools(db).values() for t in desk}
    return invoke_tool(tools[name], context_for(db, user), "e2e", **args)


def sse_events(chunks: list[dict[str, Any]]) -> list[tuple[float, str, Any]]:
    """Split timestamped network chunks into (arrival ms, event name, data) SSE events."""
    events, buffer = [], ""
    for chunk in chunks:
        buffer += chunk["text"].replace("\r\n", "\n")
        while "\n\n" in buffer:
            block, buffer = buffer.split("\n\n", 1)
            name = next((line[7:] for line in block.split("\n") if line.startswith("event: ")), "")
            data = "\n".join(line[6:] for line in block.split("\n") if line.startswith("data: "))
            events.append((chunk["t"], name, json.loads(data) if data else None))
    return events


def token_latencies(page) -> tuple[list[float], int]:
    """Milliseconds from each answer token's SSE event arriving to that token being on screen.

    A token is on screen when the latest turn's answer element has rendered at least the cumulative
    number of characters up to and including it (``data-chars``, set on each render); a token never
    shown counts as infinitely late. Returns the latencies and how many distinct text states the
    answer went through.
    """
    mutations = page.evaluate("window.__mut")
    cumulative: dict[str, int] = {}
    latencies = []
    for t, name, data in sse_events(page.evaluate("window.__sse")):
        if not name.startswith("messages") or not isinstance(data, list):
            continue
        message = data[0]
        content = message.get("content")
        if message.get("type") != "AIMessageChunk" or not isinstance(content, str) or not content:
            continue
        cumulative[message["id"]] = cumulative.get(message["id"], 0) + len(content)
        need = cumulative[message["id"]]
        shown = [m["t"] for m in mutations if m["t"] >= t and m["chars"] >= need]
        latencies.append(shown[0] - t if shown else float("inf"))  # never shown counts against the budget
    return latencies, len({m["len"] for m in mutations})


def p50(values: list[float]) -> float:
    """Median of ``values``."""
    return statistics.median(values)


# WCAG 2 contrast of every visible text run against its nearest opaque background (disabled controls,
# which WCAG exempts, are skipped). Returns the failures as "text: ratio (color on background)".
CONTRAST_AUDIT = r"""
() => {
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const lum = ({r, g, b}) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0.9) return c;
    }
    return parse(getComputedStyle(document.body).backgroundColor);
  };
  const failures = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement; const text = node.textContent.trim();
    if (!text || !el || el.closest('.sr-only, :disabled, canvas, [aria-hidden=true]')) continue;
    const rect = el.getBoundingClientRect(); const style = getComputedStyle(el);
    if (!rect.width || !rect.height || style.visibility === 'hidden' || style.display === 'none') continue;
    const fg = parse(style.color); const bg = background(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a); const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize); const bold = Number(style.fontWeight) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < need) {
      failures.push(`${text.slice(0, 30)}: ${ratio.toFixed(2)} (${style.color} on rgb(${bg.r},${bg.g},${bg.b}))`);
    }
  }
  return failures;
}
"""
