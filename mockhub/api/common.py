"""Helpers every view uses: the success envelope, the caller and the store."""
from flask import current_app, g


def store():
    """Return this app's store."""
    return current_app.extensions["mockhub"].store


def caller():
    """Return the user the request's API key resolved to."""
    return g.user


def ok(status=200, **data):
    """Shape a success answer: `{"status": "success", "data": {...}}`."""
    return {"status": "success", "data": data}, status
