"""The request journal: recent API requests of each organization, with their outcome and the SDK operation
they served; read and cleared by the organization itself (or by the whole server with scope=server)."""
import fnmatch
import itertools
import json
import threading
import time
from collections import deque

from flask import Blueprint, current_app, g, request

from mockhub.api.arguments import arguments
from mockhub.control.scope import organization, require_server, runtime
from mockhub.jsonio import JSONLimitError, parse_json
from mockhub.schemas.control import JournalQuerySchema, ScopeSchema

bp = Blueprint("journal", __name__)
EVERYONE = object()  # `entries(EVERYONE)`: every organization's requests, merged in arrival order
MAX_BODY = 64 * 1024  # characters of a request body the journal keeps (for `body_contains`)
WILDCARDS = set("*?[")


def path_matches(pattern, path):
    """Shell-style match (`*`, `?`, `[...]`); a pattern without wildcards must equal the path."""
    if WILDCARDS & set(pattern):
        return fnmatch.fnmatchcase(path, pattern)
    return path == pattern


class Journal:
    """Bounded, thread-safe lists of request records per organization (None: requests without one)."""

    def __init__(self, size=1000):
        self._size = size
        self._boxes = {}
        self._order = itertools.count()
        self._lock = threading.Lock()

    def record(self, entry):
        with self._lock:
            box = self._boxes.setdefault(entry["organization"], deque(maxlen=self._size))
            box.append((next(self._order), entry))

    def entries(self, organization=EVERYONE, method=None, path=None, status=None, operation=None, limit=None,
                body_contains=None):
        """Return one organization's matching records (or everyone's), oldest first."""
        with self._lock:
            if organization is EVERYONE:
                found = sorted(item for box in self._boxes.values() for item in box)
            else:
                found = list(self._boxes.get(organization, ()))
        method = method.upper() if method else None
        found = [dict(e) for _, e in found
                 if (method is None or e["method"] == method) and (path is None or path_matches(path, e["path"]))
                 and (status is None or e["status"] == status) and (operation is None or e["operation"] == operation)
                 and (body_contains is None or body_contains in e["body"])]
        return found[-limit:] if limit else found

    def clear(self, organization=EVERYONE):
        with self._lock:
            if organization is EVERYONE:
                self._boxes.clear()
            else:
                self._boxes.pop(organization, None)

    def forget(self, org_id):
        self.clear(org_id)


def operation_name(endpoint):
    """The SDK operation a route serves: views are named after SDK methods (`v2.tasks.get_tasks` -> get_tasks)."""
    if not endpoint:
        return None
    name = endpoint.rsplit(".", 1)[-1]
    return name.removeprefix("pending_")


def start_timer():
    g.journal_started = time.perf_counter()


UNJOURNALED_BLUEPRINTS = ("dashboard", "demo_images")  # pages and images for people, not API traffic


SECRET_KEYS = {"privatekey", "publickey", "credentials", "apikey", "secret", "token", "bearertoken", "password",
               "configuration"}  # what a body may carry that no answer, snapshot or journal repeats


def redacted(value):
    """A JSON value with the values of secret-looking keys replaced by "***"."""
    if isinstance(value, dict):
        return {k: "***" if str(k).lower() in SECRET_KEYS else redacted(v) for k, v in value.items()}
    if isinstance(value, list):
        return [redacted(v) for v in value]
    return value


def _body_text():
    """The request's JSON or form body as text (secrets redacted), for `body_contains`; "" for anything else."""
    if not request.content_length or request.content_length > MAX_BODY or request.mimetype not in (
            "application/json", "application/x-www-form-urlencoded"):
        return ""
    try:
        if request.mimetype == "application/json":
            return json.dumps(redacted(parse_json(request.get_data(cache=True))), separators=(",", ":"))
        return json.dumps(redacted(request.form.to_dict()), separators=(",", ":"))
    except (JSONLimitError, RecursionError, ValueError):
        return ""


def record_request(response):
    """After every API request: append it to its organization's journal (control-plane calls and dashboard
    pages are not journaled)."""
    if request.path.startswith("/_mockhub") or request.blueprint in UNJOURNALED_BLUEPRINTS:
        return response
    user = getattr(g, "user", None)
    rt = current_app.extensions["mockhub"]
    key = request.headers.get("apikey", "").strip()
    org_id = user["organization"] if user else (rt.store.organization_of_key(key) if key else None)
    started = getattr(g, "journal_started", time.perf_counter())
    rt.journal.record({
        "method": request.method, "path": request.path, "query": request.query_string.decode(errors="replace"),
        "status": response.status_code, "durationMs": round((time.perf_counter() - started) * 1000, 2),
        "organization": org_id, "operation": operation_name(request.endpoint), "body": _body_text(),
        "at": rt.clock.now_iso()})
    return response


def _whose(scope):
    if scope == "server":
        require_server(scope, "reading every organization's journal")
        return EVERYONE
    return organization()


@bp.get("/journal")
@arguments(JournalQuerySchema, location="query")
def get_journal(query):
    """The caller's requests, oldest first, filtered on the server (path: a shell-style pattern)."""
    whose = _whose(query.pop("scope"))
    entries = runtime().journal.entries(whose, **query)
    return {"status": "success", "data": {"requests": entries, "total": len(entries)}}


@bp.delete("/journal")
@arguments(ScopeSchema, location="query")
def clear_journal(query):
    runtime().journal.clear(_whose(query["scope"]))
    return {"status": "success", "data": {"cleared": True}}
