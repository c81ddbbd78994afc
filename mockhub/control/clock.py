"""`/_mockhub/clock`: read, freeze, set, advance and release the emulator's time."""
from flask import Blueprint, current_app, request

from mockhub.clock import parse_iso
from mockhub.errors import BadRequest

bp = Blueprint("clock", __name__)


def _clock():
    return current_app.extensions["mockhub"].clock


def _answer():
    return {"status": "success", "data": {"clock": _clock().state()}}


def _moment(body, required):
    raw = (body or {}).get("at")
    if raw is None:
        if required:
            raise BadRequest("at: an ISO 8601 time is required")
        return None
    try:
        return parse_iso(raw)
    except (TypeError, ValueError):
        raise BadRequest(f"at: {raw!r} is not an ISO 8601 time") from None


@bp.get("/clock")
def get_clock():
    return _answer()


@bp.post("/clock/freeze")
def freeze_clock():
    _clock().freeze(_moment(request.get_json(silent=True), required=False))
    return _answer()


@bp.post("/clock/set")
def set_clock():
    _clock().set(_moment(request.get_json(silent=True), required=True))
    return _answer()


@bp.post("/clock/advance")
def advance_clock():
    seconds = (request.get_json(silent=True) or {}).get("seconds")
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
        raise BadRequest("seconds: a number of seconds, zero or more")
    _clock().advance(seconds)
    return _answer()


@bp.post("/clock/unfreeze")
def unfreeze_clock():
    _clock().unfreeze()
    return _answer()
