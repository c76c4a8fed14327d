"""The web desk's initial JavaScript stays within its budget: at most 250 KB gzipped (issue 9)."""

from __future__ import annotations

import gzip
import re

from server.routes.web import WEB_DIST

BUDGET_BYTES = 250_000


def test_initial_javascript_is_at_most_250_kb_gzipped():
    index = (WEB_DIST / "index.html").read_text()
    # What the page loads before it runs: its module script and any modulepreload links.
    initial = re.findall(r'<script[^>]+src="/assets/([^"]+\.js)"', index)
    initial += re.findall(r'<link[^>]+rel="modulepreload"[^>]+href="/assets/([^"]+\.js)"', index)
    assert initial, index
    sizes = {name: len(gzip.compress((WEB_DIST / "assets" / name).read_bytes(), compresslevel=9)) for name in initial}
    print(f"\ninitial JS gzipped: {sum(sizes.values()) / 1000:.1f} KB {sizes}")
    assert sum(sizes.values()) <= BUDGET_BYTES


def test_candle_chart_library_is_not_in_the_initial_bundle():
    index = (WEB_DIST / "index.html").read_text()
    main = re.findall(r'<script[^>]+src="/assets/([^"]+\.js)"', index)[0]
    chunks = [p for p in (WEB_DIST / "assets").iterdir() if p.name.startswith("Candles-")]
    # "Candlestick" is lightweight-charts' series type name, a string literal minification keeps.
    assert len(chunks) == 1 and "Candlestick" in chunks[0].read_text()
    assert "Candlestick" not in (WEB_DIST / "assets" / main).read_text()
