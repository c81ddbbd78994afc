"""Dashboard pages about the organization: the key form and projects, the journal, webhook deliveries."""
from urllib.parse import unquote_plus

from flask import g, jsonify, make_response, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from mockhub.dashboard import bp, reads
from mockhub.dashboard.auth import current_user, forget_key, optional_user, remember_key, runtime, store
from mockhub.errors import ApiError

bp.after_request(remember_key)


@bp.app_template_filter("ms")
def milliseconds(value):
    """Show a duration in ms as a short human string."""
    seconds = (value or 0) / 1000
    return f"{seconds:.1f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


@bp.app_template_filter("unquote")
def unquote(value):
    """Show a query string as people read it (`filter={"stage": ...}` rather than percent-escapes)."""
    return unquote_plus(value or "")


@bp.app_template_filter("when")
def when(value):
    """Show an ISO timestamp as `YYYY-MM-DD HH:MM:SS` (UTC)."""
    return (value or "").replace("T", " ")[:19]


@bp.errorhandler(ApiError)
def api_error(error):
    """Errors from the store, as pages: an unusable key shows the key form, anything unknown is a 404."""
    status = {401: 401, 403: 403}.get(error.status, 404)
    return _error(status, error.message)


@bp.errorhandler(HTTPException)
def http_error(error):
    return _error(error.code, error.description)


def _error(status, message):
    if request.path.endswith(".json"):
        response = jsonify(status="fail", message=message)
    else:
        user = g.get("dashboard_user") if status != 401 else None  # keep the header when the key itself was fine
        response = page("dashboard/error.html", user, status=status, message=message)
    response.status_code = status
    return forget_key(response) if status == 401 else response  # a refused key must not stick


def page(template, user, **context):
    """Render a dashboard page; the header names the user's organization."""
    organization = reads.organization(store(), user) if user else None
    return make_response(render_template(template, user=user, organization=organization, **context))


@bp.get("/")
def index():
    user = optional_user()
    if user is None:
        return page("dashboard/index.html", None, rows=[], people=[])
    return page("dashboard/index.html", user, rows=reads.projects_overview(store(), user),
                people=reads.members(store(), user))


@bp.get("/logout")
def logout():
    return forget_key(redirect(url_for("dashboard.index")))


@bp.get("/journal")
def journal():
    user = current_user()
    return page("dashboard/journal.html", user, entries=reads.journal_entries(runtime().journal, user))


@bp.get("/webhooks")
def webhooks():
    user = current_user()
    return page("dashboard/webhooks.html", user, deliveries=reads.webhook_deliveries(store(), user))
