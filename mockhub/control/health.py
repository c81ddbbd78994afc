"""The control plane's read-outs: health (liveness, version, counts) and the webhook delivery log."""
from flask import Blueprint, current_app, request

import mockhub

bp = Blueprint("control", __name__)


@bp.get("/health")
def health():
    runtime = current_app.extensions["mockhub"]
    return {"status": "ok", "version": mockhub.__version__, "strictAuth": runtime.store.strict_auth,
            "counts": runtime.store.counts()}


@bp.get("/notifications")
def notifications():
    """Notifications sent with `send_notification`, oldest first (optionally one organization's)."""
    store = current_app.extensions["mockhub"].store
    return {"status": "success", "data": {"notifications": store.notifications(request.args.get("organization"))}}


@bp.get("/webhooks/deliveries")
def webhook_deliveries():
    store = current_app.extensions["mockhub"].store
    return {"status": "success", "data": {"deliveries": store.webhook_log(request.args.get("project"))}}


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
