"""Request schemas of the project extras: templates, label validation, benchmark tasks, chat assets."""
import json

from marshmallow import INCLUDE, Schema, ValidationError, fields, pre_load, validate

DATA_TYPES = ("text", "link", "image", "audio", "video", "iframe", "pdf")
MEDIA = ("image", "audio", "video", "pdf")


class DataConfigItemSchema(Schema):
    type = fields.String(required=True, validate=validate.OneOf(DATA_TYPES))
    includeInExport = fields.Boolean(load_default=False)
    storage = fields.String(allow_none=True)


class AssetBuilderTemplateSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1))
    template = fields.String(required=True, validate=validate.Length(min=1))
    selectedExternalId = fields.String(required=True, validate=validate.Length(min=1))
    dataConfig = fields.Dict(keys=fields.String(), values=fields.Nested(DataConfigItemSchema), required=True,
                             validate=validate.Length(min=1))
    description = fields.String(load_default="")
    batchColumn = fields.String(load_default="")
    preLabelConfig = fields.Dict(load_default=dict)

    @pre_load
    def media_needs_storage(self, data, **kwargs):
        config = data.get("dataConfig") if isinstance(data, dict) else None
        for column, item in config.items() if isinstance(config, dict) else ():
            if isinstance(item, dict) and item.get("type") in MEDIA and not item.get("storage"):
                raise ValidationError({"dataConfig": {column: {"storage": [f"required for type {item['type']}"]}}})
        return data


class LabelValidationSchema(Schema):
    customValidationEnabled = fields.Boolean()
    validationFunction = fields.String(allow_none=True)
    externalValidation = fields.Dict(allow_none=True)


class BenchmarkTasksSchema(Schema):
    tasks = fields.List(fields.String(), required=True, validate=validate.Length(min=1))
    isBenchmark = fields.Boolean(load_default=True)


class _JsonText(fields.Field):
    """A form field that carries JSON text (`namingStrategy={"type": "random"}`)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, (dict, list)):
            return value
        try:
            return json.loads(value)
        except (TypeError, ValueError):
            raise ValidationError("not valid JSON") from None


class ChatAssetsSchema(Schema):
    """The form of `upload_chat_assets` (every value arrives as text)."""

    class Meta:
        unknown = INCLUDE

    projectId = fields.String()
    priority = fields.Integer(load_default=0, validate=validate.Range(-1000, 1000))
    storageId = fields.String(allow_none=True)
    bucket = fields.String(allow_none=True)
    numberOfConversations = fields.Integer(load_default=0, validate=validate.Range(0, 10_000))
    namingStrategy = _JsonText(load_default=lambda: {"type": "random"})
    llmConfig = _JsonText(allow_none=True)
