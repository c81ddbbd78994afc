"""`/_mockhub/clock`: read, freeze, set, advance and release the caller's organization's time (only its own:
other organizations, and the server, keep theirs)."""
from flask import Blueprint

from mockhub.api.arguments import arguments
from mockhub.control.scope import organization, runtime
from mockhub.schemas.control import AdvanceSchema, FreezeSchema, SetClockSchema, advanced

bp = Blueprint("clock", __name__)


def _clock():
    return runtime().clock


def _answer():
    return {"status": "success", "data": {"clock": _clock().state()}}


@bp.get("/clock")
def get_clock():
    organization()
    return _answer()


@bp.post("/clock/freeze")
@arguments(FreezeSchema)
def freeze_clock(body):
    organization()
    _clock().freeze(body["at"])
    return _answer()


@bp.post("/clock/set")
@arguments(SetClockSchema)
def set_clock(body):
    organization()
    _clock().set(body["at"])
    return _answer()


@bp.post("/clock/advance")
@arguments(AdvanceSchema)
def advance_clock(body):
    organization()
    advanced(_clock().now(), body["seconds"])  # refuse a jump past the calendar before making it
    _clock().advance(body["seconds"])
    return _answer()


@bp.post("/clock/unfreeze")
def unfreeze_clock():
    organization()
    _clock().unfreeze()
    return _answer()
