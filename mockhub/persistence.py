"""`--data-file`: keep the state across restarts. A background thread saves a snapshot whenever the store
changed (at most every `interval` seconds), writing a temp file, fsyncing it and renaming it over the old
one, so a crash at any moment leaves either the previous state or the new one, never a torn file."""
import json
import os
import threading


def write_atomically(path, data):
    """Replace `path` with `data` (bytes) so readers only ever see a whole file."""
    folder = os.path.dirname(os.path.abspath(path))
    temp = os.path.join(folder, f".{os.path.basename(path)}.{os.getpid()}.tmp")
    with open(temp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def load(path):
    """Return the saved snapshot document, or None if there is no file yet."""
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


class Persister:
    """Save the runtime's store to `path` after changes; `flush` saves now (used at shutdown)."""

    def __init__(self, runtime, path, interval=0.2):
        self.runtime = runtime
        self.path = path
        self.interval = interval
        self._saved_version = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mockhub-persister", daemon=True)

    def start(self):
        self._thread.start()
        return self

    def _version(self):
        store = self.runtime.store
        return id(store), store.db.storage.writes, len(store.blobs)

    def flush(self):
        """Save if anything changed since the last save; return whether a file was written."""
        version = self._version()
        if version == self._saved_version:
            return False
        document = self.runtime.store.snapshot()  # a consistent copy, taken under the store's lock
        write_atomically(self.path, json.dumps(document, separators=(",", ":")).encode())
        self._saved_version = version
        return True

    def _run(self):
        while not self._stop.wait(self.interval):
            self.flush()

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=10)
        self.flush()
