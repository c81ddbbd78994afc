"""Plugin sessions: one per job sent to a plugin, with its status, console, answer and export download.

Lifecycle: queued (the plugin is not live) -> running (sent to a socket) -> completed | failed | timeout.
A session that has ended never changes again: a late answer is ignored.
"""
import functools
import threading
import time

from mockhub.clock import acting_for

ENDED = ("completed", "failed", "timeout")
STATUSES = ("queued", "running", *ENDED)
MAX_LOGS = 1000      # console lines kept per session
MAX_SESSIONS = 5000  # ended sessions are dropped oldest first beyond this


class Sessions:
    """Every session of the server, by id; a condition wakes whoever waits for one to change."""

    def __init__(self, clock):
        self.clock = clock
        self._cond = threading.Condition()
        self._items = {}  # session id -> record; keys starting with "_" are internal

    def create(self, record):
        with self._cond:
            record = dict(record, status="queued", logs=[], response=None, download=None, error=None,
                          createdAt=self.clock.now_iso(), startedAt=None, endedAt=None, duration=None,
                          _deadline=None, _sid=None, _started=None)
            self._items[record["_id"]] = record
            self._trim()
            return self._present(record)

    def _trim(self):
        if len(self._items) > MAX_SESSIONS:
            for key in [k for k, r in self._items.items() if r["status"] in ENDED][:len(self._items) - MAX_SESSIONS]:
                del self._items[key]

    def reporting(self, session_id, sid, organization):
        """The session if this socket (or, for REST, this organization) may report on it, else None."""
        session = self.internal(session_id)
        if session is None or (sid is not None and session["_sid"] != sid):
            return None
        if organization is not None and session["organization"] != organization:
            return None
        return session

    def internal(self, session_id):
        """The record with its internal fields (a copy), or None."""
        with self._cond:
            record = self._items.get(session_id)
            return dict(record) if record else None

    def queued(self, organization, plugin_id):
        with self._cond:
            return [r["_id"] for r in self._items.values() if r["status"] == "queued"
                    and r["organization"] == organization and r["plugin"] == plugin_id]

    def start(self, session_id, sid, limit=None):
        """Mark a queued session as sent to socket `sid`; False if it is no longer queued, or if `limit`
        sessions of the same plugin and mode are running already."""
        with self._cond:
            record = self._items.get(session_id)
            if record is None or record["status"] != "queued":
                return False
            if limit is not None and sum(1 for r in self._items.values() if r["status"] == "running"
                                         and r["mode"] == record["mode"] and r["plugin"] == record["plugin"]
                                         and r["organization"] == record["organization"]) >= limit:
                return False
            record.update(status="running", startedAt=self.clock.now_iso(), _sid=sid, _started=time.monotonic(),
                          _deadline=time.monotonic() + record["timeout"])
            self._cond.notify_all()
            return True

    def unstart(self, session_id):
        """Put a session back in the queue (its emit failed)."""
        with self._cond:
            record = self._items.get(session_id)
            if record and record["status"] == "running":
                record.update(status="queued", startedAt=None, _sid=None, _deadline=None, _started=None)

    def log(self, session_id, entry):
        with self._cond:
            record = self._items.get(session_id)
            if record is not None and len(record["logs"]) < MAX_LOGS:
                record["logs"].append(entry)
                self._cond.notify_all()
            return record is not None

    def update(self, session_id, **changes):
        """Change fields of a session that has not ended (e.g. its response before it completes)."""
        with self._cond:
            record = self._items.get(session_id)
            if record is None or record["status"] in ENDED:
                return False
            record.update(changes)
            self._cond.notify_all()
            return True

    def end(self, session_id, status, **changes):
        """End a session once; return its record (a copy) if this call ended it, else None."""
        with self._cond:
            record = self._items.get(session_id)
            if record is None or record["status"] in ENDED:
                return None
            record.update(changes, status=status, endedAt=self.clock.now_iso(), _deadline=None)
            if record["_started"] is not None:
                record["duration"] = int((time.monotonic() - record["_started"]) * 1000)
            self._cond.notify_all()
            return dict(record)

    def running_on(self, sid):
        with self._cond:
            return [k for k, r in self._items.items() if r["status"] == "running" and r["_sid"] == sid]

    def overdue(self):
        """Running sessions whose timeout has passed, and the seconds until the next one is due (or None)."""
        now = time.monotonic()
        with self._cond:
            running = [r for r in self._items.values() if r["_deadline"] is not None]
            due = [r["_id"] for r in running if r["_deadline"] <= now]
            later = [r["_deadline"] - now for r in running if r["_deadline"] > now]
            return due, (min(later) if later else None)

    def get(self, organization, session_id, wait=0):
        """The presented session of the organization (None if unknown), after up to `wait` s for it to end."""
        deadline = time.monotonic() + (wait or 0)
        with self._cond:
            while True:
                record = self._items.get(session_id)
                if record is None or record["organization"] != organization:
                    return None
                left = deadline - time.monotonic()
                if record["status"] in ENDED or left <= 0:
                    return self._present(record)
                self._cond.wait(min(left, 1.0))

    def list(self, organization, plugin=None, project=None, status=None):
        with self._cond:
            return [self._present(r) for r in self._items.values() if r["organization"] == organization
                    and plugin in (None, r["plugin"]) and project in (None, r["projectId"])
                    and status in (None, r["status"])]

    def drop(self, organization=None):
        """Forget the sessions (of one organization): a reset."""
        with self._cond:
            for key in [k for k, r in self._items.items() if organization in (None, r["organization"])]:
                del self._items[key]
            self._cond.notify_all()

    def wake(self):
        with self._cond:
            self._cond.notify_all()

    @staticmethod
    def _present(record):
        out = {k: v for k, v in record.items() if not k.startswith("_") or k == "_id"}
        out["logs"] = [dict(line) for line in record["logs"]]
        return out


def error_logged(session):
    """What the plugin logged at ERROR level (1.x logs the callback's exception there), else a default."""
    errors = [line["msg"] for line in (session or {"logs": []})["logs"] if line["level"] in ("ERROR", "CRITICAL")]
    return " | ".join(dict.fromkeys(errors)) if errors else "the plugin reported an error (its callback raised)"


def awaited(session):
    """What mockhub waits for from the plugin in a running session (for timeout and disconnect errors)."""
    if session["mode"] == "workflow":
        return f"annotation of task {session['taskId']} (session {session['_id']})"
    return f"response to session {session['_id']}"


def in_its_time(method):
    """Run a plugin-host method about one session (its first argument) in the session's organization's time:
    Socket.IO and watcher threads serve no request, so without this what they stamp (session times, console
    lines, a workflow answer applied to a task) would be in the server's time, not the organization's frozen
    or shifted one."""
    @functools.wraps(method)
    def wrapper(host, session_id, *args, **kwargs):
        session = host.sessions.internal(session_id)
        with acting_for(session["organization"] if session else None):
            return method(host, session_id, *args, **kwargs)

    return wrapper
