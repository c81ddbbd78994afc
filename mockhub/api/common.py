"""Helpers every view uses: the success envelope, body and query parsing, the caller and the store."""
import json

from flask import current_app, g, request

from mockhub.errors import BadRequest
from mockhub.query.pagination import QueryError, parse_page


def store():
    """Return this app's store."""
    return current_app.extensions["mockhub"].store


def caller():
    """Return the user the request's API key resolved to."""
    return g.user


def ok(status=200, **data):
    """Shape a success answer: `{"status": "success", "data": {...}}`."""
    return {"status": "success", "data": data}, status


def body():
    """Return the JSON body (a GET or DELETE may carry one too); `{}` when there is none."""
    raw = request.get_data(cache=True)
    if not raw or not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except ValueError:
        raise BadRequest("body: not valid JSON") from None


def page_args():
    """Read page/limit from the query string."""
    try:
        return parse_page(request.args, current_app.config["MAX_PAGE_LIMIT"])
    except QueryError as exc:
        raise BadRequest(str(exc)) from None


def json_arg(name, default=None):
    """Read a query parameter that carries JSON (the SDK puts raw json.dumps output in URLs)."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        return json.loads(raw)
    except ValueError:
        raise BadRequest(f"{name}: not valid JSON: {raw[:100]}") from None


def flag(name, default=False):
    """Read a boolean query parameter: true/True/1 and false/False/0."""
    raw = request.args.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in ("true", "1", "yes"):
        return True
    if value in ("false", "0", "no", ""):
        return False
    raise BadRequest(f"{name}: must be true or false, got {raw!r}")
