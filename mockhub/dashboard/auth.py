"""The dashboard's key: from `?apikey=` or a cookie, resolved by the same rules as the API's `apikey` header."""
from flask import current_app, g, request

COOKIE = "mockhub_apikey"
COOKIE_AGE = 30 * 24 * 3600


def runtime():
    return current_app.extensions["mockhub"]


def store():
    return runtime().store


def given_key():
    """The key this request carries: `?apikey=` wins over the cookie."""
    return (request.args.get("apikey") or request.cookies.get(COOKIE) or "").strip()


def current_user():
    """The key's user (cached for the request).

    :raises Unauthorized: no key, or an unknown key while auth is strict.
    """
    if "dashboard_user" not in g:
        g.dashboard_user = store().resolve_key(given_key())
    return g.dashboard_user


def optional_user():
    """The key's user, or None when the request carries no key at all."""
    return current_user() if given_key() else None


def remember_key(response):
    """After a page that accepted a `?apikey=`, keep the key in a cookie so links need not carry it."""
    key = request.args.get("apikey", "").strip()
    if key and g.get("dashboard_user") and response.status_code < 400:
        response.set_cookie(COOKIE, key, max_age=COOKIE_AGE, httponly=True, samesite="Lax")
    return response


def forget_key(response):
    response.delete_cookie(COOKIE)
    return response
