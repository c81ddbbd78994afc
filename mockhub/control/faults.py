"""Fault injection: rules that answer an error, add latency or drop the connection; an opt-in rate limit."""
import fnmatch
import socket
import threading
import time
from collections import deque

from flask import Blueprint, current_app, request

from mockhub.errors import BadRequest, NotFound, Unauthorized

bp = Blueprint("faults", __name__)
RULE_KEYS = {"method", "path", "organization", "apiKey", "status", "body", "latencyMs", "probability", "times",
             "drop"}


def check_rule(spec):
    """Validate a rule; return it normalized. Raise BadRequest naming the bad field."""
    if not isinstance(spec, dict):
        raise BadRequest("body: a fault rule is a JSON object")
    unknown = set(spec) - RULE_KEYS
    if unknown:
        raise BadRequest(f"fault: unknown key(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(RULE_KEYS))}")
    rule = {"method": str(spec.get("method", "*")).upper(), "path": str(spec.get("path", "*")),
            "organization": spec.get("organization"), "apiKey": spec.get("apiKey"), "status": spec.get("status"),
            "body": spec.get("body"), "latencyMs": spec.get("latencyMs", 0), "probability": spec.get("probability", 1),
            "times": spec.get("times"), "drop": bool(spec.get("drop", False)), "matched": 0}
    if rule["status"] is not None and not (isinstance(rule["status"], int) and 100 <= rule["status"] <= 599):
        raise BadRequest("status: an HTTP status code from 100 to 599")
    if not isinstance(rule["latencyMs"], (int, float)) or not 0 <= rule["latencyMs"] <= 60_000:
        raise BadRequest("latencyMs: milliseconds from 0 to 60000")
    if not isinstance(rule["probability"], (int, float)) or not 0 <= rule["probability"] <= 1:
        raise BadRequest("probability: a fraction from 0 to 1")
    if rule["times"] is not None and (not isinstance(rule["times"], int) or rule["times"] < 1):
        raise BadRequest("times: a positive whole number (the rule applies to the first N matching requests)")
    if rule["status"] is None and not rule["drop"] and not rule["latencyMs"]:
        raise BadRequest("fault: give status (with an optional body), latencyMs, or drop")
    return rule


class Faults:
    """The active rules and the rate limiter; `match` decides what happens to one request."""

    def __init__(self, ids):
        self._ids = ids
        self._rules = []
        self._lock = threading.Lock()
        self.rate_limit = None  # requests per minute per organization, when on
        self._windows = {}

    def add(self, spec):
        rule = check_rule(spec)
        with self._lock:
            rule["id"] = self._ids.token(6)
            self._rules.append(rule)
            return dict(rule)

    def rules(self):
        with self._lock:
            return [dict(r) for r in self._rules]

    def remove(self, rule_id=None):
        with self._lock:
            before = len(self._rules)
            self._rules = [r for r in self._rules if rule_id is not None and r["id"] != rule_id]
            return before - len(self._rules)

    def match(self, method, path, organization, api_key):
        """Return the first rule this request triggers (counting it), or None."""
        with self._lock:
            for rule in self._rules:
                if rule["method"] not in ("*", method) or not fnmatch.fnmatchcase(path, rule["path"]):
                    continue
                if rule["organization"] not in (None, organization) or rule["apiKey"] not in (None, api_key):
                    continue
                if rule["times"] is not None and rule["matched"] >= rule["times"]:
                    continue
                if rule["probability"] < 1 and self._ids.fraction() >= rule["probability"]:
                    continue
                rule["matched"] += 1
                return dict(rule)
        return None

    def set_rate_limit(self, per_minute):
        """Turn the per-organization limit on (requests per minute) or off (None)."""
        with self._lock:
            self.rate_limit = per_minute
            self._windows.clear()

    def over_limit(self, organization):
        """Count a request against the per-minute limit; tell whether it is over."""
        if not self.rate_limit:
            return False
        now = time.monotonic()
        with self._lock:
            window = self._windows.setdefault(organization, deque())
            while window and now - window[0] >= 60:
                window.popleft()
            if len(window) >= self.rate_limit:
                return True
            window.append(now)
            return False


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
    """Before every API request (not the control plane): latency, injected errors, drops, the rate limit."""
    if not request.path.startswith(("/v2/", "/files/")):  # the API and its files; not the dashboard or controls
        return None
    runtime = current_app.extensions["mockhub"]
    key = request.headers.get("apikey", "").strip()
    organization = _organization(runtime.store, key) if key and request.path.startswith("/v2/") else None
    rule = runtime.faults.match(request.method, request.path, organization, key or None)
    if rule:
        if rule["latencyMs"]:
            time.sleep(rule["latencyMs"] / 1000)
        if rule["drop"]:
            return _drop_connection()
        if rule["status"] is not None:
            body = rule["body"] if rule["body"] is not None else {"status": "fail",
                                                                  "message": f"Injected fault {rule['id']}"}
            return body, rule["status"]
    if runtime.faults.over_limit(organization or key):
        return {"status": "fail", "message": "Too many requests: the limit is "
                f"{runtime.faults.rate_limit} requests per minute"}, 429
    return None


@bp.get("/faults")
def list_faults():
    faults = current_app.extensions["mockhub"].faults
    return {"status": "success", "data": {"faults": faults.rules(), "rateLimit": faults.rate_limit}}


@bp.post("/faults")
def add_fault():
    rule = current_app.extensions["mockhub"].faults.add(request.get_json(silent=True))
    return {"status": "success", "data": {"fault": rule}}, 201


@bp.delete("/faults")
def clear_faults():
    return {"status": "success", "data": {"removed": current_app.extensions["mockhub"].faults.remove()}}


@bp.delete("/faults/<rule_id>")
def delete_fault(rule_id):
    removed = current_app.extensions["mockhub"].faults.remove(rule_id)
    if not removed:
        raise NotFound(f"Fault rule not found: {rule_id}")
    return {"status": "success", "data": {"removed": removed}}


@bp.post("/faults/rate-limit")
def set_rate_limit():
    body = request.get_json(silent=True) or {}
    per_minute = body.get("perMinute", 100) if body.get("enabled", True) else None
    if per_minute is not None and (not isinstance(per_minute, int) or per_minute < 1):
        raise BadRequest("perMinute: a positive whole number (Hub's standard plan allows 100)")
    current_app.extensions["mockhub"].faults.set_rate_limit(per_minute)
    return {"status": "success", "data": {"rateLimit": per_minute}}
