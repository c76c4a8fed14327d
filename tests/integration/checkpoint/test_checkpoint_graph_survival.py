"""A compiled graph on the Redis saver survives process death: turns continue, interrupts resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

CHILD = Path(__file__).with_name("checkpoint_child.py")
ROOT = Path(__file__).resolve().parents[3]


def _run(url: str, prefix: str, thread: str, *args: str, sigkill: bool = False) -> dict:
    cmd = [sys.executable, str(CHILD), url, prefix, thread, *args] + (["--sigkill"] if sigkill else [])
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd=ROOT, env=env)
    if sigkill:
        assert proc.returncode == -signal.SIGKILL, proc.stderr
    else:
        assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_conversation_continues_after_the_process_is_killed_between_turns(redis_url, redis_prefix):
    first = _run(redis_url, redis_prefix, "chat-1", "say", "hello", sigkill=True)
    assert first["messages"] == ["hello", "echo hello; history has 1 messages", "audited 2"]

    second = _run(redis_url, redis_prefix, "chat-1", "say", "again", sigkill=True)
    assert second["messages"] == [
        "hello", "echo hello; history has 1 messages", "audited 2",
        "again", "echo again; history has 4 messages", "audited 5",
    ]
    # History newest first: per turn an input checkpoint (step -1 then 3), reply, audit.
    assert second["history_steps"] == [6, 5, 4, 3, 2, 1, 0, -1]
    assert second["history_sizes"] == [6, 5, 4, 3, 3, 2, 1, 0]

    other = _run(redis_url, redis_prefix, "chat-2", "history")
    assert other["messages"] == [] and other["history_steps"] == []


@pytest.mark.slow
def test_interrupt_survives_process_death_and_resumes_in_a_new_process(redis_url, redis_prefix):
    paused = _run(redis_url, redis_prefix, "approve-1", "say", "approve EURUSD 1m", sigkill=True)
    assert paused["next"] == ["reply"]
    assert paused["interrupts"] == [{"question": "approve EURUSD 1m?"}]
    assert paused["messages"] == ["approve EURUSD 1m"]

    resumed = _run(redis_url, redis_prefix, "approve-1", "resume", "granted")
    assert resumed["next"] == [] and resumed["interrupts"] == []
    assert resumed["messages"] == [
        "approve EURUSD 1m", "approval was granted; history has 1 messages", "audited 2",
    ]
