"""Request hooks of the v2 API: API-key authentication before, webhook deliveries after."""
from flask import current_app, g, request

from mockhub import webhooks
from mockhub.api.common import store
from mockhub.control.scope import act_for


def authenticate():
    """Resolve the `apikey` header to a user (a new key gets its own organization unless auth is strict)."""
    g.user = store().resolve_key(request.headers.get("apikey", "").strip())
    act_for(g.user["organization"])  # the organization's own clock stamps what this request writes


def send_webhooks(response):
    """Deliver what the request queued (Webhook stages) before answering, outside the store's lock."""
    webhooks.flush(store(), current_app.config["WEBHOOK_TIMEOUT"])
    return response
