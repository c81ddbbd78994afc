"""The control plane's read-outs: health (liveness, version, counts) and the webhook delivery log."""
from flask import Blueprint, current_app, request

import mockhub
from mockhub.api.arguments import arguments
from mockhub.control.scope import organization
from mockhub.schemas.control import DeliveriesQuerySchema

bp = Blueprint("control", __name__)


@bp.get("/health")
def health():
    runtime = current_app.extensions["mockhub"]
    return {"status": "ok", "version": mockhub.__version__, "strictAuth": runtime.store.strict_auth,
            "counts": runtime.store.counts()}


@bp.get("/notifications")
def notifications():
    """Notifications the caller's organization sent with `send_notification`, oldest first."""
    store = current_app.extensions["mockhub"].store
    return {"status": "success", "data": {"notifications": store.notifications(organization())}}


@bp.get("/webhooks/deliveries")
@arguments(DeliveriesQuerySchema, location="query")
def webhook_deliveries(query):
    """Webhook deliveries of the caller's organization's projects (optionally one project's), oldest first."""
    org_id = organization()
    deliveries = current_app.extensions["mockhub"].store.webhook_log(query.get("project"))
    return {"status": "success", "data": {"deliveries": [d for d in deliveries if d.get("organization") == org_id]}}


@bp.get("/whoami")
def whoami():
    """The user an `apikey` header resolves to (a new key gets its organization here, as on any v2 call)."""
    store = current_app.extensions["mockhub"].store
    user = store.resolve_key(request.headers.get("apikey", "").strip())
    user.pop("apiKey", None)
    return {"status": "success", "data": {"user": user}}


def openapi_document():
    """`GET /openapi.json`: the v2 surface, generated from the route table and the request schemas."""
    from mockhub.openapi import build

    return build(current_app)
