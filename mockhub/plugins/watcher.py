"""The plugin host's one background thread: every half second it sends jobs queued outside any request and
ends overdue sessions. Started by the first session, stopped (and joined) by the host's shutdown; it can be
started again after a stop, as an app may be served again."""
import threading

WATCH_SECONDS = 0.5


class Watcher:
    def __init__(self, tick, seconds=WATCH_SECONDS):
        self._tick = tick
        self._seconds = seconds
        self.stopping = threading.Event()  # also what waits in the host give up on
        self._thread = None
        self._lock = threading.Lock()

    def ensure(self):
        """Start the thread unless it runs (or the host is stopping)."""
        with self._lock:
            if self._thread is None and not self.stopping.is_set():
                self._thread = threading.Thread(target=self._run, name="mockhub-plugins", daemon=True)
                self._thread.start()

    def _run(self):
        while not self.stopping.wait(self._seconds):
            try:
                self._tick()
            except Exception:  # a reset in between: the next round sees the new store
                continue

    def stop(self, timeout=5):
        """Stop and join the thread; `ensure` may start it again afterwards."""
        self.stopping.set()
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout=timeout)
        self.stopping.clear()
