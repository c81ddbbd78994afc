"""`mockhub serve --log-requests`: one line per request (method, path, status, milliseconds, organization), for
people debugging a pipeline against mockhub. The journal keeps the same facts for tests; this only prints."""
import sys
import threading
import time

from flask import current_app, g, request


def log_line(method, path, status, ms, organization):
    """`GET /v2/listProjects?page=1 200 3.1 ms org 6650...` (`-` when no organization was resolved)."""
    return f"{method} {path} {status} {ms:.1f} ms org {organization or '-'}"


def install(app, stream=None):
    """Print a line for every request `app` answers, on `stream` (stdout by default), one write per line."""
    lock = threading.Lock()

    def start():
        g.request_log_started = time.perf_counter()

    def finish(response):
        started = g.get("request_log_started", time.perf_counter())
        user = g.get("user")
        key = request.headers.get("apikey", "").strip()
        store = current_app.extensions["mockhub"].store
        organization = user["organization"] if user else (store.organization_of_key(key) if key else None)
        query = request.query_string.decode(errors="replace")
        line = log_line(request.method, request.path + (f"?{query}" if query else ""), response.status_code,
                        (time.perf_counter() - started) * 1000, organization)
        out = stream or sys.stdout
        with lock:
            out.write(line + "\n")
            out.flush()
        return response

    app.before_request_funcs.setdefault(None, []).insert(0, start)  # first: faults may answer before the rest
    app.after_request(finish)
    return app
