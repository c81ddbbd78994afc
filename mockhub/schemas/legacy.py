"""Request schemas of the routes only older SDK releases call."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema


class LegacyAssignSchema(Schema):
    task = fields.String(required=True)
    user = fields.String()
    username = fields.Email()

    @validates_schema
    def someone(self, data, **kwargs):
        if not data.get("user") and not data.get("username"):
            raise ValidationError("give user (a user id) or username (an email)", "user")


class AssetPrioritySchema(Schema):
    priority = fields.Integer(strict=True, required=True, validate=validate.Range(-10_000, 10_000))
    externalId = fields.String(allow_none=True)
    assetId = fields.String(allow_none=True)


class ProjectWebhookSchema(Schema):
    url = fields.Url(required=True)
    types = fields.List(fields.String(), required=True, validate=validate.Length(min=1))
    secret = fields.String(allow_none=True, load_default=None)
    project = fields.String(required=True)
