"""Process-wide settings an export changes while it runs, counted so that they come back when the last export
running ends: the cyclic garbage collector paused, and (for exports built in the server's process) a shorter
GIL switch interval.

An export of 1M tasks allocates tens of millions of short-lived, acyclic objects (reference counting frees
them). With the collector on, they set off generation-1 collections that each walk up to a million objects
while holding the GIL: every other organization's request waited up to ~200 ms behind them.

An export built in a server thread is pure Python and holds the GIL; each time another request's thread
wants it back (after every socket read and write) it waits up to one switch interval, 5 ms by default. At
0.5 ms another organization's get_task p99 during a 100k-task in-process export went from ~10× to ~3× idle.
"""
import contextlib
import gc
import sys
import threading

SWITCH_INTERVAL = 0.0005  # seconds

_guard = threading.Lock()
_state = {"running": 0, "was_enabled": False, "switching": 0, "interval": None}


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


@contextlib.contextmanager
def switching_often():
    """Hand the GIL to waiting threads every `SWITCH_INTERVAL` while an export is built in-process."""
    with _guard:
        if _state["switching"] == 0:
            _state["interval"] = sys.getswitchinterval()
            sys.setswitchinterval(min(SWITCH_INTERVAL, _state["interval"]))
        _state["switching"] += 1
    try:
        yield
    finally:
        with _guard:
            _state["switching"] -= 1
            if _state["switching"] == 0:
                sys.setswitchinterval(_state["interval"])
