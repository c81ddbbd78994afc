"""`--data-file`: an append-only log of changed documents, durable before a request is answered.

The file is JSON lines. The first is a header (`{"mockhub": "data-file", "version": 2}`); every other line
is one unit: `{"t": {table: {_id: document or null}}, "b": {file id: base64 or null}}` (what one store
operation changed, the whole new document each time), `{"ids": IdGenerator.state()}`, or `{"reset": true}`
(a whole-server reset). At start the log is replayed, then compacted: the state is written, document by
document, to a new file that replaces the old one atomically.

Every change reaches the log as a line in memory while the store's lock is held (so lines keep the order of
the changes); `commit` writes what is pending and fdatasyncs it, and the app calls it after every request,
before the answer is sent. Concurrent requests share one write and one sync (group commit). The file is
grown in zeroed chunks ahead of the writes, so a sync flushes data only (no size change to journal): the
zeros past the last line are not part of the log, and a torn last line (a crash in mid-write) is ignored.
"""
import base64
import json
import os
import threading

from mockhub.store.packed import Packed

HEADER = {"mockhub": "data-file", "version": 2}
CHUNK = 8 << 20  # bytes the file grows by (at least) when the zeroed room runs out


def _plain(value):
    """JSON for what the json module does not know: a packed stored document (store/packed.py)."""
    if isinstance(value, Packed):
        return value.to_dict()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


_dumps = json.JSONEncoder(separators=(",", ":"), default=_plain).encode


class DataFileError(Exception):
    """A data file that cannot be used; the message is one line naming the file."""


class Replay:
    """The state a data file holds: documents by table, base64 blobs, the id generator's state."""

    def __init__(self):
        self.tables, self.blobs, self.ids = {}, {}, None
        self.started = False  # a header (or a version-1 snapshot) was read

    def apply(self, unit):
        self.started = True
        if unit.get("reset"):
            self.tables, self.blobs, self.ids = {}, {}, None
        for table, docs in (unit.get("t") or {}).items():
            stored = self.tables.setdefault(table, {})
            for _id, doc in docs.items():
                if doc is None:
                    stored.pop(_id, None)
                else:
                    stored[_id] = doc
        for file_id, data in (unit.get("b") or {}).items():
            if data is None:
                self.blobs.pop(file_id, None)
            else:
                self.blobs[file_id] = data
        if "ids" in unit:
            self.ids = unit["ids"]
        if "snapshot" in unit:  # a version-1 data file: one snapshot document
            snapshot = unit["snapshot"]
            for table, docs in snapshot.get("tables", {}).items():
                self.tables[table] = {doc["_id"]: doc for doc in docs}
            self.blobs.update(snapshot.get("blobs", {}))

    def units(self, per_line=1000):
        """The state as units of at most `per_line` documents (for a compacted file)."""
        for table, docs in self.tables.items():
            items = list(docs.items())
            for start in range(0, len(items), per_line):
                yield {"t": {table: dict(items[start:start + per_line])}}
        for file_id, data in self.blobs.items():
            yield {"b": {file_id: data}}
        if self.ids is not None:
            yield {"ids": self.ids}

    def snapshot(self):
        """The state as a snapshot document (what `Store.load_snapshot` takes)."""
        return {"tables": {table: list(docs.values()) for table, docs in self.tables.items()}, "blobs": self.blobs}


def read(path):
    """Replay the data file at `path`; return a `Replay`, or None when there is no file yet.

    :raises DataFileError: the file is unreadable, or a complete line is not a data-file record.
    """
    replay = Replay()
    try:
        with open(path, "rb") as handle:
            for number, line in enumerate(handle, 1):
                end = line.find(b"\0")
                whole = end < 0 and line.endswith(b"\n")
                line = line if end < 0 else line[:end]
                if whole:
                    _apply(replay, path, number, line)
                    continue
                if number == 1 and line.strip():  # the header (or a version-1 file, one line) must be whole
                    _apply(replay, path, number, line)
                elif line.strip():  # a torn last line: the unanswered request it held is lost
                    try:
                        _apply(replay, path, number, line)
                    except DataFileError:
                        pass
                break
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise DataFileError(f"{path}: is a directory, not a data file") from None
    except OSError as exc:
        raise DataFileError(f"{path}: cannot read: {exc.strerror}") from None
    return replay if replay.started else None  # an empty file is a new one


def _apply(replay, path, number, line):
    try:
        replay.apply(_record(path, number, line))
    except (AttributeError, TypeError, KeyError):
        raise DataFileError(f"{path}: line {number} is not a mockhub data-file record (wrong shape)") from None


def _record(path, number, line):
    try:
        record = json.loads(line)
    except UnicodeDecodeError:
        if number == 1:
            raise DataFileError(f"{path}: not a mockhub data file (not UTF-8 text)") from None
        raise DataFileError(f"{path}: line {number} is not a mockhub data-file record (not UTF-8 text)") from None
    except ValueError as exc:
        if number == 1:
            raise DataFileError(f"{path}: not a mockhub data file (line 1 column {exc.colno}: {exc.msg})") from None
        raise DataFileError(f"{path}: line {number} is not a mockhub data-file record ({exc.msg})") from None
    legacy = number == 1 and isinstance(record, dict) and isinstance(record.get("snapshot"), dict)
    if number == 1 and record != HEADER and not legacy:
        if isinstance(record, dict) and record.get("mockhub") == "data-file":
            raise DataFileError(f"{path}: a data file of version {record.get('version')!r}, this mockhub reads "
                                f"version {HEADER['version']}")
        raise DataFileError(f"{path}: not a mockhub data file (no data-file header on line 1)")
    if not isinstance(record, dict) or not set(record) <= {"t", "b", "ids", "reset", "snapshot", "mockhub",
                                                            "version"}:
        raise DataFileError(f"{path}: line {number} is not a mockhub data-file record")
    return record


class DataFile:
    """The open data file of one runtime: replays it, keeps the log, commits before answers."""

    def __init__(self, path):
        self.path = path
        self.runtime = None
        self._storage = None
        self._pending = []
        self._appended = self._durable = 0
        self._ids = None  # the id state last written
        self._pending_lock = threading.Lock()
        self._io_lock = threading.Lock()
        self._fd = None
        self._offset = self._room = 0
        self._stop = threading.Event()
        self._flusher = None

    # --- start ----------------------------------------------------------------------------------------

    def restore(self, runtime):
        """Load the file's state into `runtime` (its store and id generator); return its accounts as a snapshot
        (`{"tables": {"organizations", "users"}}`, whose API keys the server prints), or None when the file does
        not exist yet. Only the accounts: the caller keeps what it gets while the server runs, and the whole
        replayed state (parsed JSON, several times the store's packed documents) would stay in memory with it.

        :raises DataFileError: the file cannot be read or replayed (nothing is loaded then).
        """
        replay = read(self.path)
        self._replay = replay or Replay()
        if replay is None:
            return None
        snapshot = replay.snapshot()
        try:
            runtime.store.load_snapshot(snapshot)
        except (ValueError, KeyError, TypeError) as exc:
            raise DataFileError(f"{self.path}: cannot be loaded: {exc}") from None
        runtime.ids.restore(replay.ids)
        return {"tables": {name: snapshot["tables"].get(name, []) for name in ("organizations", "users")}}

    def start(self, runtime):
        """Compact the file to the state restored, then log every change of `runtime` from now on."""
        replay, self._replay = self._replay, None
        replay.ids = runtime.ids.state()
        self._compact(replay)
        self.follow(runtime, reset=False)
        self._flusher = threading.Thread(target=self._flush_often, name="mockhub-data-file", daemon=True)
        self._flusher.start()
        return self

    def _compact(self, replay):
        folder = os.path.dirname(os.path.abspath(self.path))
        temp = os.path.join(folder, f".{os.path.basename(self.path)}.{os.getpid()}.tmp")
        try:
            with open(temp, "wb") as handle:
                handle.write(_dumps(HEADER).encode() + b"\n")
                for unit in replay.units():
                    handle.write(_dumps(unit).encode() + b"\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
            _sync_folder(folder)
            self._fd = os.open(self.path, os.O_RDWR)
        except OSError as exc:
            raise DataFileError(f"{self.path}: cannot write: {exc.strerror}") from None
        self._offset = self._room = os.fstat(self._fd).st_size
        self._ids = replay.ids

    def follow(self, runtime, reset=True):
        """Log the changes of `runtime.store` (called again after a whole-server reset)."""
        if self._storage is not None:
            self._storage.listener = None  # what the old store still does is not the server's state
        self.runtime = runtime
        runtime.data_file = self
        self._storage = runtime.store.db.storage
        if reset:
            self._append(_dumps({"reset": True}))
            self._ids = None
        self._storage.listener = self

    # --- logging --------------------------------------------------------------------------------------

    def changed(self, tables, blobs):
        """One store operation's changes (called under the store's lock): a line in memory."""
        unit = {"t": tables} if tables else {}
        if blobs:
            unit["b"] = {file_id: None if data is None else base64.b64encode(data).decode("ascii")
                         for file_id, data in blobs.items()}
        self._append(_dumps(unit))

    def _append(self, line):
        with self._pending_lock:
            self._pending.append(line)
            self._appended += 1

    def commit(self):
        """Make every change made so far durable (written and fdatasynced), with the id generator's state."""
        target = self._appended
        if target <= self._durable and self.runtime.ids.state() == self._ids:
            return
        with self._io_lock:
            with self._pending_lock:
                lines, self._pending = self._pending, []
                upto = self._appended
            ids = self.runtime.ids.state()  # read after taking the lines: it covers every id they hold
            if ids != self._ids:
                lines.insert(0, _dumps({"ids": ids}))
            if lines:
                self._write(("\n".join(lines) + "\n").encode())
            self._ids, self._durable = ids, max(self._durable, upto)

    def _write(self, data):
        if self._offset + len(data) > self._room:
            grow = max(CHUNK, len(data), self._room // 8)
            os.pwrite(self._fd, bytes(grow), self._room)  # real zeros: later syncs change no metadata
            os.fsync(self._fd)
            self._room += grow
        os.pwrite(self._fd, data, self._offset)
        os.fdatasync(self._fd)
        self._offset += len(data)

    def commit_response(self, response):
        """Flask `after_request`: the request's changes are on disk before its answer leaves."""
        self.commit()
        return response

    def _flush_often(self):
        """Changes made outside a request (plugin sessions, timers) are committed within 0.1 s."""
        while not self._stop.wait(0.1):
            try:
                self.commit()
            except OSError:
                pass  # the next request's commit reports it

    def close(self):
        """Commit what is pending and close the file (a clean stop)."""
        self._stop.set()
        if self._flusher:
            self._flusher.join(timeout=10)
        self.commit()
        with self._io_lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None


def _sync_folder(folder):
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
