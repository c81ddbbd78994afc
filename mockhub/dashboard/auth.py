"""The dashboard's key: from `?apikey=` or a cookie, resolved by the same rules as the API's `apikey` header."""
from flask import current_app, g, request

from mockhub.errors import Unauthorized

COOKIE = "mockhub_apikey"
COOKIE_AGE = 30 * 24 * 3600
UNKNOWN_KEY = ("No organization has this API key. The dashboard only reads, so it makes none: the key's first "
               "API call does (check the key for a typo).")


def runtime():
    return current_app.extensions["mockhub"]


def store():
    return runtime().store


def given_key():
    """The key this request carries: `?apikey=` wins over the cookie."""
    return (request.args.get("apikey") or request.cookies.get(COOKIE) or "").strip()


def current_user():
    """The key's user (cached for the request).

    :raises Unauthorized: no key, or a key no organization has (the dashboard never creates one).
    """
    if "dashboard_user" not in g:
        key = given_key()
        if key and not store().strict_auth and store().organization_of_key(key) is None:
            raise Unauthorized(UNKNOWN_KEY)  # the dashboard only reads: it never makes an organization
        g.dashboard_user = store().resolve_key(key)
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
