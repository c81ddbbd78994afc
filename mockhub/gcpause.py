"""Process-wide settings big operations change while they run (exports, bulk uploads), counted so that they
come back when the last one running ends: the cyclic garbage collector paused, and (for exports built in the
server's process) a shorter GIL switch interval. Top level because both the store and the export use it.

An export of 1M tasks allocates tens of millions of short-lived, acyclic objects (reference counting frees
them). With the collector on, they set off generation-1 collections that each walk up to a million objects
while holding the GIL: every other organization's request waited up to ~200 ms behind them.

An export built in a server thread is pure Python and holds the GIL; each time another request's thread
wants it back (after every socket read and write) it waits up to one switch interval, 5 ms by default. At
0.5 ms another organization's get_task p99 during a 100k-task in-process export went from ~10× to ~3× idle.
"""
import contextlib
import functools
import gc
import sys
import threading

SWITCH_INTERVAL = 0.0005  # seconds

_guard = threading.Lock()


def _counted(change):
    """A context manager over `change()`, which applies a setting and returns what puts it back: applied when the
    first user enters, put back when the last one leaves, however many overlap (exports, a bulk upload)."""
    state = {"users": 0, "undo": None}

    @functools.wraps(change)
    @contextlib.contextmanager
    def setting():
        with _guard:
            if state["users"] == 0:
                state["undo"] = change()
            state["users"] += 1
        try:
            yield
        finally:
            with _guard:
                state["users"] -= 1
                if state["users"] == 0:
                    state["undo"]()
    return setting


@_counted
def collector_paused():
    """Pause the cyclic collector (it comes back if it was on)."""
    was_enabled = gc.isenabled()
    gc.disable()
    return gc.enable if was_enabled else lambda: None


@_counted
def switching_often():
    """Hand the GIL to waiting threads every `SWITCH_INTERVAL` while an export is built in-process."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(SWITCH_INTERVAL, interval))
    return functools.partial(sys.setswitchinterval, interval)
