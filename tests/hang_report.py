"""Pytest plugin: when a test overruns most of its timeout, say where it hangs, at the very end of the run.

pytest-timeout's dump skips the main thread and knows nothing of asyncio, and CI shows only the tail
of the output. So at 90 % of a test's timeout this records the main thread's stack, the stack of
every asyncio task on the loop it is running, and the other threads' stacks, and prints them after
the short test summary.
"""

from __future__ import annotations

import asyncio
import io
import sys
import threading
import traceback
from types import FrameType

import pytest

SHARE = 0.9  # of the test's timeout, when the snapshot is taken
FRAMES = 14  # innermost frames kept per stack
_reports: list[str] = []


def _timeout_s(item: pytest.Item) -> float:
    mark = item.get_closest_marker("timeout")
    if mark is not None and (mark.args or "timeout" in mark.kwargs):
        return float(mark.args[0] if mark.args else mark.kwargs["timeout"])
    try:
        return float(item.config.getini("timeout") or 0)
    except ValueError:  # pytest-timeout not installed: no ini key
        return 0.0


def _stack(frame: FrameType) -> str:
    return "".join(traceback.format_list(traceback.extract_stack(frame)[-FRAMES:]))


def _running_loop(frame: FrameType | None) -> asyncio.AbstractEventLoop | None:
    while frame is not None:
        owner = frame.f_locals.get("self")
        if isinstance(owner, asyncio.AbstractEventLoop):
            return owner
        frame = frame.f_back
    return None


def _snapshot(nodeid: str, after_s: float) -> None:
    out = io.StringIO()
    out.write(f"{nodeid}: still running after {after_s:.0f} s\n")
    frames = sys._current_frames()
    main = frames.get(threading.main_thread().ident or -1)
    if main is not None:
        out.write("--- main thread\n" + _stack(main))
    loop = _running_loop(main)
    if loop is not None:
        try:
            tasks = list(asyncio.all_tasks(loop))
        except RuntimeError:  # the set changed while read from this thread: report what we have
            tasks = []
        for task in tasks:
            out.write(f"--- task {task.get_name()} {task.get_coro()!r}\n")
            task.print_stack(limit=FRAMES, file=out)
    names = {t.ident: t.name for t in threading.enumerate()}
    for ident, frame in frames.items():
        if ident not in (threading.main_thread().ident, threading.get_ident()):
            out.write(f"--- thread {names.get(ident, ident)}\n" + _stack(frame))
    _reports.append(out.getvalue())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    seconds = _timeout_s(item)
    timer = threading.Timer(seconds * SHARE, _snapshot, args=(item.nodeid, seconds * SHARE)) if seconds else None
    if timer is not None:
        timer.daemon = True
        timer.start()
    try:
        yield
    finally:
        if timer is not None:
            timer.cancel()


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter) -> None:
    if _reports:
        terminalreporter.section("hang report (tests that overran 90 % of their timeout)")
        for report in _reports:
            terminalreporter.write(report + "\n")
