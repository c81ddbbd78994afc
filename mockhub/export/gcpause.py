"""Pause CPython's cyclic garbage collector while an export copies and serializes a big project.

An export of 1M tasks allocates tens of millions of short-lived, acyclic objects (reference counting frees
them). With the collector on, they set off generation-1 collections that each walk up to a million objects
while holding the GIL: every other organization's request waited up to ~200 ms behind them. The collector is
process-wide, so the pause is counted: it resumes when the last export running ends.
"""
import contextlib
import gc
import threading

_guard = threading.Lock()
_state = {"running": 0, "was_enabled": False}


@contextlib.contextmanager
def collector_paused():
    with _guard:
        if _state["running"] == 0:
            _state["was_enabled"] = gc.isenabled()
            gc.disable()
        _state["running"] += 1
    try:
        yield
    finally:
        with _guard:
            _state["running"] -= 1
            if _state["running"] == 0 and _state["was_enabled"]:
                gc.enable()
