"""API-key authentication: every /v2 request names its caller with the `apikey` header."""
from flask import g, request

from mockhub.api.common import store


def authenticate():
    """Resolve the `apikey` header to a user (a new key gets its own organization unless auth is strict)."""
    g.user = store().resolve_key(request.headers.get("apikey", "").strip())
