"""Request schemas of the project extras: templates, label validation, benchmark tasks, chat assets."""
from marshmallow import INCLUDE, Schema, ValidationError, fields, post_load, pre_load, validate

from mockhub.errors import BadRequest
from mockhub.jsonio import JSONLimitError, parse_json
from mockhub.schemas.files import Upload
from mockhub.schemas.wire import JsonText

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


class NamingStrategySchema(Schema):
    type = fields.String(load_default="random", validate=validate.OneOf(("random", "sequential")))


class LlmReferenceSchema(Schema):
    id = fields.String(required=True, validate=validate.Length(min=1))


class ChatAssetsSchema(Schema):
    """The form of `upload_chat_assets` (every value arrives as text)."""

    projectId = fields.String()
    priority = fields.Integer(load_default=0, validate=validate.Range(-1000, 1000))
    storageId = fields.String(allow_none=True)
    bucket = fields.String(allow_none=True)
    numberOfConversations = fields.Integer(load_default=0, validate=validate.Range(0, 10_000))
    namingStrategy = JsonText(fields.Nested(NamingStrategySchema), load_default=lambda: {"type": "random"})
    llmConfig = JsonText(fields.Nested(LlmReferenceSchema, allow_none=True), allow_none=True)


class ChatFileSchema(Schema):
    """The optional conversation file of `upload_chat_assets`: a JSON list (or `{"conversations": [...]}`)."""

    file = Upload()

    @post_load
    def conversations(self, data, **kwargs):
        if "file" not in data:
            return {"conversations": None}
        try:
            content = parse_json(data["file"][1])
        except JSONLimitError as exc:
            raise BadRequest(f"file: {exc} (a list of conversations)") from None
        conversations = content.get("conversations") if isinstance(content, dict) else content
        if not isinstance(conversations, list) or not conversations:
            raise BadRequest("file: must hold a non-empty list of conversations")
        return {"conversations": conversations}


class InstructionsFileSchema(Schema):
    file = Upload(required=True)


class PluginLogSchema(Schema):
    """What a REST-connector plugin logs (`PluginLogger`): its own keys, and any extra keyword it was given."""

    class Meta:
        unknown = INCLUDE

    level = fields.String()
    msg = fields.String()
    organization = fields.String(allow_none=True)
    pluginId = fields.String(allow_none=True)
    runBy = fields.String(allow_none=True)
    session = fields.String(allow_none=True)


class PluginResponseSchema(Schema):
    """A plugin's answer: `{"export": true, "response": <url>, "session"}` or `{"error": true, "session"}`."""

    class Meta:
        unknown = INCLUDE

    session = fields.String(allow_none=True)
    export = fields.Boolean()
    error = fields.Boolean()
    response = fields.Raw(allow_none=True)
