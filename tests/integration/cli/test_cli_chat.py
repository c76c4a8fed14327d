"""`fxdesk chat` driven through stdin in a subprocess: streamed answers, desk and tools shown, commands."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.slow


def test_chat_streams_answers_shows_desk_and_tools_and_handles_commands(tmp_path, desk_db):
    env = {k: v for k, v in os.environ.items() if k not in ("FXDESK_REDIS_URL", "REDIS_URL", "FXDESK_MODELS")}
    env.update(FXDESK_HOME=str(tmp_path), COLUMNS="200",
               FXDESK_DATABASE_URL=desk_db.engine.url.render_as_string(hide_password=False))
    script = "\n".join([
        "What's my EUR/USD exposure today?",
        "and GBP?",
        "/thread",
        "/new",
        "/user onboarding_sam",
        "show my positions",
        "/user nobody",
        "/quit",
    ]) + "\n"
    proc = subprocess.run([sys.executable, "-m", "server.cli", "chat", "--thread", "chat-t1"], input=script,
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "checkpointer: sqlite" in out
    assert "fxdesk chat as trader_aruna (trader)" in out
    assert "── position risk ──" in out
    assert "desk: position_risk · tools: get_net_open_position" in out
    assert out.count("tools: get_net_open_position") == 2  # the follow-up went to the same desk and tool
    assert "thread chat-t1" in out
    assert re.search(r"new thread [0-9a-f]{32}", out)
    assert "now onboarding_sam (onboarding)" in out
    assert "not permitted" in out or "may not" in out or "cannot" in out
    assert "Unknown user 'nobody'" in out
