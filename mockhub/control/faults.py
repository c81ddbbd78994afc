"""Fault injection, per organization: rules that answer an error, add latency or drop the connection, and an
opt-in rate limit. A rule or limit set with a key applies to that key's organization only."""
import socket
import threading
import time
from collections import deque

from flask import Blueprint, current_app, request

from mockhub.api.arguments import arguments
from mockhub.control.journal import path_matches
from mockhub.control.scope import organization, runtime
from mockhub.errors import BadRequest, NotFound, Unauthorized
from mockhub.schemas.control import FaultRuleSchema, RateLimitSchema

bp = Blueprint("faults", __name__)


class _Controls:
    """One organization's rules, rate limit and its window of recent requests."""

    def __init__(self):
        self.rules, self.rate_limit, self.window = [], None, deque()


class Faults:
    """Every organization's rules and rate limit; `match` decides what happens to one request."""

    def __init__(self, ids):
        self._ids = ids
        self._orgs = {}
        self._lock = threading.Lock()

    def _of(self, org_id):
        return self._orgs.setdefault(org_id, _Controls())

    def add(self, org_id, rule):
        """Add a validated rule for `org_id`; return it with its id."""
        with self._lock:
            rule = dict(rule, id=self._ids.token(6), organization=org_id, matched=0)
            rule["method"] = rule["method"].upper()
            self._of(org_id).rules.append(rule)
            return dict(rule)

    def rules(self, org_id):
        with self._lock:
            return [dict(r) for r in self._of(org_id).rules]

    def rate_limit(self, org_id):
        with self._lock:
            return self._of(org_id).rate_limit

    def remove(self, org_id, rule_id=None):
        """Remove one rule (or all) of `org_id`; return how many went."""
        with self._lock:
            controls = self._of(org_id)
            before = len(controls.rules)
            controls.rules = [r for r in controls.rules if rule_id is not None and r["id"] != rule_id]
            return before - len(controls.rules)

    def match(self, method, path, org_id, api_key):
        """Return the first rule of `org_id` this request triggers (counting it), or None."""
        with self._lock:
            controls = self._orgs.get(org_id)
            for rule in controls.rules if controls else ():
                if rule["method"] not in ("*", method) or not path_matches(rule["path"], path):
                    continue
                if rule["apiKey"] not in (None, api_key):
                    continue
                if rule["times"] is not None and rule["matched"] >= rule["times"]:
                    continue
                if rule["probability"] < 1 and self._ids.fraction() >= rule["probability"]:
                    continue
                rule["matched"] += 1
                return dict(rule)
        return None

    def set_rate_limit(self, org_id, per_minute):
        """Turn `org_id`'s limit on (requests per minute) or off (None)."""
        with self._lock:
            controls = self._of(org_id)
            controls.rate_limit = per_minute
            controls.window.clear()

    def over_limit(self, org_id):
        """Count a request against its organization's per-minute limit; tell whether it is over."""
        now = time.monotonic()
        with self._lock:
            controls = self._orgs.get(org_id)
            if controls is None or not controls.rate_limit:
                return False
            window = controls.window
            while window and now - window[0] >= 60:
                window.popleft()
            if len(window) >= controls.rate_limit:
                return True
            window.append(now)
            return False

    def forget(self, org_id):
        with self._lock:
            self._orgs.pop(org_id, None)


def _drop_connection():
    sock = request.environ.get("werkzeug.socket")
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    return current_app.response_class(b"", status=599)


def _organization(store, key):
    """The key's organization; a new key gets it now, as the v2 call itself would (so limits count it)."""
    try:
        return store.resolve_key(key)["organization"]
    except Unauthorized:
        return None


def apply_faults():
    """Before every v2 request: the caller's organization's latency, errors, drops and rate limit."""
    if not request.path.startswith("/v2/"):  # the API; not files (no key), the dashboard or the controls
        return None
    rt = current_app.extensions["mockhub"]
    key = request.headers.get("apikey", "").strip()
    org_id = _organization(rt.store, key) if key else None
    if org_id is None:
        return None
    rule = rt.faults.match(request.method, request.path, org_id, key)
    if rule:
        if rule["latencyMs"]:
            time.sleep(rule["latencyMs"] / 1000)
        if rule["drop"]:
            return _drop_connection()
        if rule["status"] is not None:
            body = rule["body"] if rule["body"] is not None else {"status": "fail",
                                                                  "message": f"Injected fault {rule['id']}"}
            return body, rule["status"]
    if rt.faults.over_limit(org_id):
        return {"status": "fail", "message": "Too many requests: the limit is "
                f"{rt.faults.rate_limit(org_id)} requests per minute"}, 429
    return None


@bp.get("/faults")
def list_faults():
    org_id = organization()
    faults = runtime().faults
    return {"status": "success", "data": {"faults": faults.rules(org_id), "rateLimit": faults.rate_limit(org_id)}}


@bp.post("/faults")
@arguments(FaultRuleSchema)
def add_fault(body):
    org_id = organization()
    if body["organization"] not in (None, org_id):
        raise BadRequest("organization: a rule applies to the caller's own organization only")
    if body["status"] is None and not body["drop"] and not body["latencyMs"]:
        raise BadRequest("fault: give status (with an optional body), latencyMs, or drop")
    return {"status": "success", "data": {"fault": runtime().faults.add(org_id, body)}}, 201


@bp.delete("/faults")
def clear_faults():
    return {"status": "success", "data": {"removed": runtime().faults.remove(organization())}}


@bp.delete("/faults/<rule_id>")
def delete_fault(rule_id):
    removed = runtime().faults.remove(organization(), rule_id)
    if not removed:
        raise NotFound(f"Fault rule not found: {rule_id}")
    return {"status": "success", "data": {"removed": removed}}


@bp.post("/faults/rate-limit")
@arguments(RateLimitSchema)
def set_rate_limit(body):
    per_minute = body["perMinute"] if body["enabled"] else None
    runtime().faults.set_rate_limit(organization(), per_minute)
    return {"status": "success", "data": {"rateLimit": per_minute}}
