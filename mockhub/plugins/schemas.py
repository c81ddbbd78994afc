"""Request schemas of the plugin control plane (loaded by `@arguments`, so /openapi.json lists them)."""
import json

from marshmallow import Schema, ValidationError, fields, validate, validates

from mockhub.plugins.registry import TYPES
from mockhub.plugins.sessions import STATUSES

_ID = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$", error="must be 1-128 letters, digits, . _ : -")
_NAMES = fields.List(fields.String(validate=validate.Length(min=1, max=200)), validate=validate.Length(max=1000))


class CreatePluginSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    type = fields.String(required=True, validate=validate.OneOf(TYPES))
    id = fields.String(validate=_ID)
    secret = fields.String(validate=validate.Length(min=1, max=200))


class WaitLiveSchema(Schema):
    waitLive = fields.Float(load_default=0, validate=validate.Range(min=0, max=600))


class RunPluginSchema(Schema):
    projectId = fields.String(required=True, validate=validate.Length(min=1, max=100))
    taskId = fields.String(validate=validate.Length(min=1, max=100))
    stage = _NAMES
    batches = _NAMES
    configJSON = fields.String(validate=validate.Length(max=1_000_000))
    wait = fields.Float(load_default=0, validate=validate.Range(min=0, max=3600))
    timeout = fields.Float(validate=validate.Range(min=0.1, max=86400))

    @validates("configJSON")
    def _config_is_json(self, value, **kwargs):
        try:
            json.loads(value)
        except ValueError:
            raise ValidationError("must be a JSON text (the plugin reads it with json.loads)") from None


class ListSessionsSchema(Schema):
    plugin = fields.String()
    project = fields.String()
    status = fields.String(validate=validate.OneOf(STATUSES))


class WaitSessionSchema(Schema):
    wait = fields.Float(load_default=0, validate=validate.Range(min=0, max=3600))
