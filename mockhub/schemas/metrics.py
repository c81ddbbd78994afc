"""Request schema of the performance endpoint (the SDK's `interval` or the API page's start/end dates)."""
from marshmallow import Schema, ValidationError, fields, post_load, validate

from mockhub.clock import parse_iso


class PerformanceSchema(Schema):
    interval = fields.List(fields.String(), validate=validate.Length(equal=2))
    startDate = fields.String()
    endDate = fields.String()
    batches = fields.List(fields.String())
    users = fields.List(fields.String())

    @post_load
    def window(self, data, **kwargs):
        if "interval" not in data and ("startDate" in data or "endDate" in data):
            data["interval"] = [data.pop("startDate", "1970-01-01T00:00:00Z"),
                                data.pop("endDate", "9999-12-31T23:59:59Z")]
        for position, value in enumerate(data.get("interval") or []):
            try:
                parse_iso(value)
            except ValueError:
                raise ValidationError({"interval": {position: [f"{value!r} is not an ISO 8601 date"]}}) from None
        return data
