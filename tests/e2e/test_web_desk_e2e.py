"""The web desk in Debian's Chromium against a real `fxdesk serve` (issue 9): chat, panel, confirmation, limits."""

from __future__ import annotations

import os
import re
import shutil
from datetime import timedelta

import httpx
import pytest
from playwright.sync_api import expect

from llm.offline.numbers import format_number
from tests.e2e.conftest import DESKTOP, PHONE, REPO
from tests.e2e.web_desk_page import (
    CONTRAST_AUDIT,
    SLOW_STREAM,
    STREAM_PROBE,
    ask,
    call_tool,
    p50,
    sign_in_demo,
    token_latencies,
)
from tests.integration.server.servers import JWT_SECRET

pytestmark = pytest.mark.slow
SEED_QUESTION = "What's my EUR/USD exposure today?"


def _money(value: float) -> str:
    return f"{value:,.0f}"


def test_page_and_assets_are_served_from_the_python_package(dev_server):
    page = httpx.get(dev_server.url + "/", timeout=10)
    assert page.status_code == 200 and '<div id="root">' in page.text
    scripts = re.findall(r'src="(/assets/[^"]+\.js)"', page.text)
    assert scripts, page.text
    asset = httpx.get(dev_server.url + scripts[0], timeout=10)
    assert asset.status_code == 200 and "javascript" in asset.headers["content-type"]


def test_every_response_carries_csp_frame_denial_and_nosniff(dev_server):
    """Regression for issue 12 (finding 9): the web desk and the API sent no CSP, X-Frame-Options or nosniff."""
    page = httpx.get(dev_server.url + "/", timeout=10)
    script = re.findall(r'src="(/assets/[^"]+\.js)"', page.text)[0]
    for path in ["/", script, "/healthz", "/openapi.json", "/docs", "/threads/not-mine", "/no/such/path"]:
        response = httpx.get(dev_server.url + path, timeout=10)
        policy = response.headers.get("content-security-policy", "")
        assert "default-src 'self'" in policy and "script-src 'self';" in policy, (path, policy)
        assert "frame-ancestors 'none'" in policy, path
        assert response.headers.get("x-frame-options") == "DENY", path
        assert response.headers.get("x-content-type-options") == "nosniff", path


def test_web_desk_and_api_docs_run_under_the_policy_from_this_server_only(browser, dev_server):
    """Regression for issue 12 (finding 9): /docs loaded Swagger UI from a public CDN."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    violations: list[str] = []
    foreign: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.on("pageerror", lambda exc: violations.append(str(exc)))
    page.on("request", lambda req: None if req.url.startswith((dev_server.url, "data:")) else foreign.append(req.url))
    # analyst_maya: a user no other test here signs in as (their thread lists are asserted).
    sign_in_demo(page, dev_server.url, "analyst_maya")
    ask(page, SEED_QUESTION, 0)  # the streamed turn, the panel and the lazily loaded chart library all ran
    page.locator(".candles[data-pair=EURUSD]").wait_for()
    page.goto(dev_server.url + "/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("fxdesk")
    expect(page.locator(".swagger-ui .opblock-summary-path").first).to_be_visible()
    context.close()
    assert not violations and not foreign, (violations, foreign)


def test_dev_token_endpoint_exists_only_in_dev_mode(dev_server, limited_server):
    ok = httpx.post(dev_server.url + "/dev/token", json={"user_id": "trader_aruna"}, timeout=10)
    assert ok.status_code == 200 and ok.json()["role"] == "trader"
    assert httpx.post(dev_server.url + "/dev/token", json={"user_id": "nobody"}, timeout=10).status_code == 404
    denied = httpx.post(limited_server.url + "/dev/token", json={"user_id": "trader_aruna"}, timeout=10)
    assert denied.status_code == 404
    assert httpx.get(limited_server.url + "/dev/users", timeout=10).status_code == 404


def test_aruna_asks_the_seed_question_and_sees_streamed_answer_badge_tools_and_matching_chart(
        browser, dev_server, server_db, shots_dir):
    nop_pair = call_tool(server_db, "trader_aruna", "get_net_open_position", pair="EURUSD")
    nop_all = call_tool(server_db, "trader_aruna", "get_net_open_position")
    eurusd = next(r for r in nop_pair["pairs"] if r["pair"] == "EURUSD")
    context = browser.new_context(viewport=DESKTOP)
    context.add_init_script(STREAM_PROBE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in_demo(page, dev_server.url, "trader_aruna")

    turn = ask(page, SEED_QUESTION, 0)
    answer = turn.locator(".markdown").inner_text()
    # As the answer template writes them (forwards' discounted deltas carry cents since issue 13).
    assert f"long {format_number(eurusd['net_base'])} EUR" in answer
    assert f"short {format_number(-eurusd['net_quote'])} USD" in answer
    assert turn.locator(".badge[data-desk=position_risk]").count() == 1
    tool = turn.locator("details.toolcall[data-tool=get_net_open_position]")
    assert tool.get_attribute("data-status") == "ok"
    tool.locator("summary").click()
    assert '"pair": "EURUSD"' in tool.locator("pre.args").inner_text()
    assert tool.locator("table caption", has_text="currencies").count() == 1
    assert turn.locator(".modelmark[data-offline=true]").count() == 1

    # The streamed answer reached the screen in steps: every token chunk was rendered, and the text went
    # through more than one state. How soon is a performance goal, measured by
    # benchmarks/web_desk_stream.py (p50 <= 50 ms), never asserted here (issue 12, finding 10).
    latencies, states = token_latencies(page)
    assert latencies, "no streamed answer chunk was observed"
    assert all(latency != float("inf") for latency in latencies), "a streamed token never reached the screen"
    assert states > 1, "the answer appeared in one piece, not streamed"
    print(f"\nstream: {len(latencies)} token chunks, {states} screen states, "
          f"p50 {p50(latencies):.1f} ms, max {max(latencies):.1f} ms (not a gate: see benchmarks/web_desk_stream.py)")

    # The exposure bars carry the tool's own figures.
    for ccy in ("EUR", "USD"):
        expected = next(r for r in nop_all["currencies"] if r["currency"] == ccy)
        bar = page.locator(f".bar[data-currency={ccy}][data-book=FX-G10]")
        assert float(bar.get_attribute("data-position")) == pytest.approx(expected["position"])
        assert float(bar.get_attribute("data-usd")) == pytest.approx(expected["usd_equivalent"])
    assert page.locator(".bar[data-currency=EUR]").get_attribute("class").split()[-1] == "long"
    assert page.locator(".bar[data-currency=USD]").get_attribute("class").split()[-1] == "short"
    page.locator(".candles[data-pair=EURUSD]").wait_for()

    # A follow-up in the same thread; the candle chart follows the new pair.
    follow = ask(page, "and what about cable?", 1)
    assert "GBPUSD" in follow.locator(".markdown").inner_text()
    assert page.locator("nav.threads li").count() == 1
    page.locator(".candles[data-pair=GBPUSD]").wait_for()
    live = page.locator("[data-testid=live-region]").inner_text()
    assert "answered" in live

    page.wait_for_timeout(300)
    desktop = shots_dir / "web-desk-1280x800.png"
    page.screenshot(path=str(desktop))
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(300)
    page.screenshot(path=str(shots_dir / "web-desk-390x844.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    readme_shot = REPO / "docs" / "web-desk.png"
    if not readme_shot.exists() or os.environ.get("FXDESK_UPDATE_SCREENSHOT") == "1":
        readme_shot.parent.mkdir(exist_ok=True)
        shutil.copyfile(desktop, readme_shot)

    # The thread list reopens the conversation from the server.
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="+ New conversation").click()
    page.locator("article.turn").first.wait_for(state="detached")
    page.locator("nav.threads .threadlink").first.click()
    page.locator("article.turn[data-final=true]").nth(1).wait_for()
    assert page.locator("article.turn").count() == 2

    # Keyboard only: rename the conversation, then delete it.
    page.get_by_role("button", name=re.compile(r"^Rename ")).focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Control+A")
    page.keyboard.type("EUR exposure review")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="EUR exposure review", exact=True).wait_for()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete EUR exposure review").focus()
    page.keyboard.press("Enter")
    page.locator("nav.threads li").first.wait_for(state="detached")
    assert page.locator("article.turn").count() == 0
    assert not errors, errors
    context.close()


def test_li_confirms_a_breaching_pre_trade_check_and_sees_no_g10_figures(browser, dev_server, server_db, shots_dir):
    aruna = call_tool(server_db, "trader_aruna", "get_net_open_position")
    aruna_eur = next(r for r in aruna["currencies"] if r["currency"] == "EUR")
    context = browser.new_context(viewport=DESKTOP, color_scheme="dark")
    page = context.new_page()
    sign_in_demo(page, dev_server.url, "trader_li")
    page.fill("#composer-input", "pre-trade check: buy 40m USDTRY for Cust310")
    page.keyboard.press("Enter")
    card = page.locator("section.interrupt")
    card.wait_for(timeout=30_000)
    assert "breach" in card.inner_text()
    page.screenshot(path=str(shots_dir / "web-desk-confirmation-dark.png"))
    card.get_by_role("button", name="Confirm").click()
    turn = page.locator("article.turn").nth(0)
    turn.locator("xpath=self::*[@data-final='true']").wait_for(timeout=30_000)
    assert re.search(r"\bconfirmed\b", turn.locator(".markdown").inner_text(), re.IGNORECASE)
    assert page.locator("section.interrupt").count() == 0
    assert turn.locator(".badge[data-desk=compliance]").count() == 1

    page.locator(".bar[data-book=FX-EM]").first.wait_for()
    page.locator(".candles[data-pair=USDTRY]").wait_for()
    text = page.locator("body").inner_text()
    html = page.content()
    assert "FX-G10" not in text and "FX-G10" not in html
    assert page.locator(".bar[data-book=FX-G10]").count() == 0
    for figure in (_money(aruna_eur["position"]), format_number(aruna_eur["position"]), str(aruna_eur["position"]),
                   _money(aruna_eur["usd_equivalent"]), format_number(aruna_eur["usd_equivalent"])):
        assert figure not in html
    context.close()


def _token(user: str, role: str, secret: str = JWT_SECRET) -> str:
    from server.auth import JwtKeys, mint_token

    return mint_token(user, role, JwtKeys("HS256", secret, secret), ttl=timedelta(hours=1))


def test_rate_limit_shows_when_to_retry_and_keeps_the_draft(browser, limited_server):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(limited_server.url + "/")
    assert page.locator("button[data-user]").count() == 0  # no demo picker without --dev
    page.fill("#token-input", _token("trader_aruna", "trader"))
    page.get_by_role("button", name="Sign in").click()
    ask(page, SEED_QUESTION, 0)
    page.fill("#composer-input", "and GBP?")
    page.keyboard.press("Enter")
    banner = page.locator(".banner[data-status=rate_limited]")
    banner.wait_for(timeout=15_000)
    assert int(banner.get_attribute("data-retry-after")) >= 1
    assert "retry in" in banner.inner_text()
    expect(page.locator("#composer-input")).to_have_value("and GBP?", timeout=5_000)
    context.close()


def test_lost_server_shows_reconnect_banner_and_keeps_the_draft(browser, limited_server):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(limited_server.url + "/")
    page.fill("#token-input", _token("trader_li", "trader"))
    page.get_by_role("button", name="Sign in").click()
    page.locator(".who[data-user=trader_li]").wait_for()
    # The panel's first reads are answered before the server goes away (the app ignores a reply to a
    # request sent before the loss, but the test should not depend on how slow the machine is).
    page.wait_for_load_state("networkidle")
    # The whole server goes away: aborting only /threads raced with the panel's own requests, whose
    # answers rightly told the page the server was back before the banner could be seen.
    context.route(f"{limited_server.url}/**", lambda route: route.abort("connectionrefused"))
    page.fill("#composer-input", "what is my VaR?")
    page.keyboard.press("Enter")
    page.locator(".banner[data-status=offline]").wait_for(timeout=10_000)
    expect(page.locator("#composer-input")).to_have_value("what is my VaR?", timeout=5_000)
    context.unroute(f"{limited_server.url}/**")
    page.locator(".banner[data-status=offline]").wait_for(state="detached", timeout=10_000)
    context.close()


def test_a_rejected_token_returns_to_sign_in(browser, limited_server):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(limited_server.url + "/")
    forged = _token("trader_aruna", "trader", "a-wrong-secret-that-is-long-enough-for-hs256")
    page.evaluate("t => localStorage.setItem('fxdesk.token', t)", forged)
    page.reload()
    page.locator(".signin .notice").wait_for(timeout=10_000)
    assert "sign in again" in page.locator(".signin .notice").inner_text()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_meets_wcag_aa_contrast_in_both_themes(browser, dev_server, scheme):
    context = browser.new_context(viewport=DESKTOP, color_scheme=scheme)
    page = context.new_page()
    sign_in_demo(page, dev_server.url, "trader_li")
    assert page.evaluate("document.documentElement.dataset.theme") == scheme
    ask(page, "how close am I to my limits?", 0)
    page.locator(".gauge").first.wait_for()
    page.locator(".flags li").first.wait_for()
    page.locator("details.toolcall summary").first.click()
    assert page.evaluate(CONTRAST_AUDIT) == []
    context.close()


def test_a_schedule_asked_in_chat_shows_in_the_schedules_panel_opens_its_inbox_and_is_deleted(browser, dev_server):
    """Issue 15: the web desk lists the user's schedules (next run, last result), opens the inbox, deletes."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("dialog", lambda dialog: dialog.accept())
    # compliance_omar: a user no other test here signs in as.
    sign_in_demo(page, dev_server.url, "compliance_omar")
    panel = page.locator("[data-testid=schedules]")
    expect(panel).to_contain_text("None yet")
    turn = ask(page, "every weekday at 17:00 New York send me the limit breaches", 0)
    assert "Scheduled: limit breaches" in turn.locator(".markdown").inner_text()
    row = panel.locator("li[data-schedule]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("every weekday at 17:00 (America/New_York)")
    assert row.get_attribute("data-last-status") == "never"
    expect(page.locator(".threads")).to_contain_text("Scheduled: limit breaches")
    row.get_by_role("button", name="Open reports").click()
    expect(page.locator("article.turn")).to_have_count(0)  # the inbox thread: no report delivered yet
    row.get_by_role("button", name=re.compile("Delete schedule")).click()
    expect(panel.locator("li[data-schedule]")).to_have_count(0)
    token = httpx.post(dev_server.url + "/dev/token", json={"user_id": "compliance_omar"}, timeout=10).json()["token"]
    left = httpx.post(dev_server.url + "/runs/crons/search", json={}, timeout=10,
                      headers={"Authorization": f"Bearer {token}"}).json()
    assert left == [] and not errors
    context.close()


def test_a_reload_mid_answer_joins_the_run_after_the_last_event_and_shows_the_answer_once(browser, dev_server):
    """Issue 15: the web desk keeps the run id and last event id while streaming; a reload resumes the answer."""
    context = browser.new_context(viewport=DESKTOP)
    context.add_init_script(SLOW_STREAM)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    joins: list[tuple[str, str | None]] = []
    page.on("request", lambda req: joins.append((req.url, req.headers.get("last-event-id")))
            if re.search(r"/threads/[^/]+/runs/[^/]+/stream", req.url) else None)
    # onboarding_sam: a user no other test here signs in as.
    sign_in_demo(page, dev_server.url, "onboarding_sam")
    page.fill("#composer-input", "which customers have pending kyc")
    page.keyboard.press("Enter")
    page.wait_for_function("""() => {
        const turn = document.querySelector('article.turn');
        const saved = JSON.parse(sessionStorage.getItem('fxdesk.inflight') || 'null');
        return turn && turn.dataset.final !== 'true' && saved && saved.lastEventId
            && Object.values(saved.partial).some((m) => m.type === 'ai' && m.text.length > 20);
    }""", timeout=30_000)
    saved = page.evaluate("JSON.parse(sessionStorage.getItem('fxdesk.inflight'))")
    page.reload()
    page.wait_for_selector(".who[data-user=onboarding_sam]")
    turn = page.locator("article.turn").first
    turn.locator("xpath=self::*[@data-final='true']").wait_for(timeout=30_000)
    page.locator(".messages[aria-busy=false]").wait_for(timeout=30_000)
    resumed = turn.locator(".markdown").inner_text()
    assert any(f"/runs/{saved['runId']}/stream" in url and last == saved["lastEventId"] for url, last in joins), joins
    assert page.evaluate("sessionStorage.getItem('fxdesk.inflight')") is None
    assert page.locator("article.turn").count() == 1

    # The same thread opened afresh (no resume): the very same answer, so nothing was lost or doubled.
    page.reload()
    page.wait_for_selector(".who[data-user=onboarding_sam]")
    expect(page.locator(".threads .threadlink")).to_have_count(1)  # sam's only conversation (title or date)
    page.locator(".threads .threadlink").click()
    fresh = page.locator("article.turn[data-final=true] .markdown").first
    fresh.wait_for(timeout=30_000)
    assert resumed == fresh.inner_text() and "pending" in resumed.lower()
    assert not errors, errors
    context.close()


def test_the_limit_gauges_show_the_whole_books_utilisation(browser, dev_server):
    """Issue 13: trader_aruna's EUR gauge is FX-G10's whole-book figure (111.86 %, breach), not her customers' slice.

    The figure is checked against a hand SQL sum in tests/integration/tools/test_book_level_limits.py."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    sign_in_demo(page, dev_server.url, "trader_aruna")
    ask(page, "how close am I to my limits?", 0)
    eur = page.locator('.gauge[data-book="FX-G10"][data-label="EUR NOP"]').first
    eur.wait_for()
    assert float(eur.get_attribute("data-pct")) == 111.86
    assert "breach" in eur.get_attribute("class")
    context.close()
