"""Request schemas of the control plane (/_mockhub/*): every body and query it reads, declared on its view."""
import math
from datetime import timedelta

from marshmallow import Schema, ValidationError, fields, validate

from mockhub.clock import parse_iso

SCOPES = ("organization", "server")
MAX_ADVANCE = 100 * 366 * 24 * 3600  # a century of seconds: far enough for any test, far from overflow


class StrictNumber(fields.Number):
    """A JSON number only (no numeric strings, no booleans, no NaN or infinities)."""

    num_type = float

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValidationError("a JSON number")
        return value


class Moment(fields.Field):
    """An ISO 8601 time (`Z`, an offset, or naive = UTC) within years 2-9998, loaded as a UTC datetime."""

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {"openapi": {"type": "string", "format": "date-time"}})
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            moment = parse_iso(value) if isinstance(value, str) else None
        except (ValueError, OverflowError):
            moment = None
        if moment is None or moment.year < 2 or moment.year > 9998:
            raise ValidationError(f"{value!r} is not an ISO 8601 time between the years 2 and 9998")
        return moment


class ScopeSchema(Schema):
    scope = fields.String(load_default="organization", validate=validate.OneOf(SCOPES))


class ResetSchema(ScopeSchema):
    """`{}` resets the caller's organization; `{"scope": "server"}` the whole server."""


class SeedQuerySchema(ScopeSchema):
    replace = fields.Boolean(load_default=False)


class JournalQuerySchema(ScopeSchema):
    """Filters, applied on the server: `path` is a shell-style pattern (`*`, `?`, `[...]`)."""

    method = fields.String(validate=validate.Length(min=1, max=16))
    path = fields.String(validate=validate.Length(min=1, max=2000))
    status = fields.Integer(validate=validate.Range(100, 599))
    operation = fields.String(validate=validate.Length(min=1, max=200))
    limit = fields.Integer(validate=validate.Range(1, 100_000))
    body_contains = fields.String(data_key="bodyContains", validate=validate.Length(min=1, max=10_000))


class FaultRuleSchema(Schema):
    method = fields.String(load_default="*", validate=validate.Length(min=1, max=16))
    path = fields.String(load_default="*", validate=validate.Length(min=1, max=2000))
    organization = fields.String(allow_none=True, load_default=None)
    apiKey = fields.String(allow_none=True, load_default=None, validate=validate.Length(min=1))
    status = fields.Integer(strict=True, allow_none=True, load_default=None,
                            validate=validate.Range(100, 599, error="an HTTP status code from 100 to 599"))
    body = fields.Raw(allow_none=True, load_default=None)
    latencyMs = StrictNumber(load_default=0, validate=validate.Range(0, 60_000, error="milliseconds from 0 to 60000"))
    probability = StrictNumber(load_default=1, validate=validate.Range(0, 1, error="a fraction from 0 to 1"))
    times = fields.Integer(strict=True, allow_none=True, load_default=None, validate=validate.Range(
        min=1, error="a positive whole number (the rule applies to the first N matching requests)"))
    drop = fields.Boolean(load_default=False)


class RateLimitSchema(Schema):
    enabled = fields.Boolean(load_default=True)
    perMinute = fields.Integer(strict=True, load_default=100, validate=validate.Range(
        min=1, error="a positive whole number (Hub's standard plan allows 100)"))


class FreezeSchema(Schema):
    at = Moment(load_default=None)


class SetClockSchema(Schema):
    at = Moment(required=True)


class AdvanceSchema(Schema):
    seconds = StrictNumber(required=True, validate=validate.Range(
        0, MAX_ADVANCE, error=f"a number of seconds from 0 to {MAX_ADVANCE}"))


class DeliveriesQuerySchema(Schema):
    project = fields.String(validate=validate.Length(min=1, max=200))


class InviteAcceptSchema(Schema):
    email = fields.Email(required=True)
    apiKey = fields.String(validate=validate.Length(min=1, max=500))
    name = fields.String(validate=validate.Length(min=1, max=500))


def advanced(moment, seconds):
    """`moment` plus `seconds`, refused (ValidationError) past the year 9998."""
    try:
        later = moment + timedelta(seconds=seconds)
    except OverflowError:
        later = None
    if later is None or later.year > 9998:
        raise ValidationError({"seconds": ["moves the clock past the year 9998"]})
    return later
