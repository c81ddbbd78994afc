"""The request journal: recent API requests with their outcome and the SDK operation they served."""
import threading
import time
from collections import deque

from flask import Blueprint, current_app, g, request

bp = Blueprint("journal", __name__)


class Journal:
    """A bounded, thread-safe list of request records, newest last."""

    def __init__(self, size=1000):
        self._entries = deque(maxlen=size)
        self._lock = threading.Lock()

    def record(self, entry):
        with self._lock:
            self._entries.append(entry)

    def entries(self, method=None, path=None, status=None, organization=None, operation=None, limit=None):
        """Return matching records (oldest first); `path` matches as a substring."""
        with self._lock:
            found = [dict(e) for e in self._entries
                     if (method is None or e["method"] == method.upper()) and (path is None or path in e["path"])
                     and (status is None or e["status"] == status)
                     and (organization is None or e["organization"] == organization)
                     and (operation is None or e["operation"] == operation)]
        return found[-limit:] if limit else found

    def clear(self):
        with self._lock:
            self._entries.clear()


def operation_name(endpoint):
    """The SDK operation a route serves: views are named after SDK methods (`v2.tasks.get_tasks` -> get_tasks)."""
    if not endpoint:
        return None
    name = endpoint.rsplit(".", 1)[-1]
    return name[len("pending_"):] if name.startswith("pending_") else name


def start_timer():
    g.journal_started = time.perf_counter()


UNJOURNALED_BLUEPRINTS = ("dashboard", "demo_images")  # pages and images for people, not API traffic


def record_request(response):
    """After every API request: append it to the journal (control-plane calls and dashboard pages are not)."""
    if request.path.startswith("/_mockhub") or request.blueprint in UNJOURNALED_BLUEPRINTS:
        return response
    user = getattr(g, "user", None)
    runtime = current_app.extensions["mockhub"]
    key = request.headers.get("apikey", "").strip()
    organization = user["organization"] if user else (runtime.store.organization_of_key(key) if key else None)
    started = getattr(g, "journal_started", time.perf_counter())
    runtime.journal.record({
        "method": request.method, "path": request.path, "query": request.query_string.decode(errors="replace"),
        "status": response.status_code, "durationMs": round((time.perf_counter() - started) * 1000, 2),
        "organization": organization, "operation": operation_name(request.endpoint),
        "at": runtime.clock.now_iso()})
    return response


@bp.get("/journal")
def get_journal():
    args = request.args
    status = int(args["status"]) if args.get("status", "").isdigit() else None
    limit = int(args["limit"]) if args.get("limit", "").isdigit() else None
    entries = current_app.extensions["mockhub"].journal.entries(
        args.get("method"), args.get("path"), status, args.get("organization"), args.get("operation"), limit)
    return {"status": "success", "data": {"requests": entries, "total": len(entries)}}


@bp.delete("/journal")
def clear_journal():
    current_app.extensions["mockhub"].journal.clear()
    return {"status": "success", "data": {"cleared": True}}
