"""Response shapes: what the SDK and the docs read back. Contract tests validate mockhub's answers, the
documented samples and (when configured) a real Ango Hub's answers against these same schemas.

Every schema keeps unknown keys (the service adds fields over time); the keys listed are required
where the SDK or a documented sample relies on them."""
from marshmallow import INCLUDE, Schema, ValidationError, fields, validate


class Open(Schema):
    class Meta:
        unknown = INCLUDE


def _string_or_ref(value):
    if not isinstance(value, str) and not (isinstance(value, dict) and isinstance(value.get("_id"), str)):
        raise ValidationError("must be an id string or an object with _id")


class ErrorSchema(Open):
    status = fields.String(required=True, validate=validate.OneOf(("fail", "error")))
    message = fields.String(required=True)


class EnvelopeSchema(Open):
    status = fields.String(required=True, validate=validate.Equal("success"))
    data = fields.Dict(required=True)


class BatchSchema(Open):
    _id = fields.String(required=True, data_key="_id")
    name = fields.String(required=True)


class StageSchema(Open):
    id = fields.String(required=True)
    type = fields.String(required=True)
    name = fields.String(required=True)
    next = fields.List(fields.String(), required=True)


class CategorySchemaShape(Open):
    tools = fields.List(fields.Dict(), required=True)
    classifications = fields.List(fields.Dict(), required=True)
    relations = fields.List(fields.Dict(), required=True)


class ProjectListItemSchema(Open):
    _id = fields.String(required=True, data_key="_id")
    name = fields.String(required=True)
    description = fields.String(allow_none=True)
    organization = fields.String(required=True)
    createdAt = fields.String(required=True)


class ProjectSchema(ProjectListItemSchema):
    categorySchema = fields.Nested(CategorySchemaShape, required=True)
    batches = fields.List(fields.Nested(BatchSchema), required=True)
    stages = fields.List(fields.Nested(StageSchema))
    assignedTo = fields.List(fields.Raw(), required=True)
    type = fields.String(validate=validate.OneOf(("ango", "pct", "iframe")))


class AnswerSchema(Open):
    tools = fields.List(fields.Dict(), required=True)
    classifications = fields.List(fields.Dict(), required=True)
    relations = fields.List(fields.Dict(), required=True)


class AssetRefSchema(Open):
    _id = fields.String(required=True, data_key="_id")
    externalId = fields.String(required=True)
    data = fields.String(required=True)


class TaskSchema(Open):
    _id = fields.String(required=True, data_key="_id")
    project = fields.Raw(required=True, validate=_string_or_ref)
    asset = fields.Nested(AssetRefSchema, required=True)
    status = fields.String(required=True)
    answer = fields.Nested(AnswerSchema)


class AssetSchema(Open):
    _id = fields.String(required=True, data_key="_id")
    externalId = fields.String(required=True)
    data = fields.String(required=True)


class TaskHistorySchema(Open):
    _id = fields.String(required=True, data_key="_id")
    labelTaskId = fields.String(required=True)
    stage = fields.String(required=True)
    answer = fields.Nested(AnswerSchema, required=True)
    createdAt = fields.String(required=True)


class IssueSchema(Open):
    _id = fields.String(required=True, data_key="_id")
    content = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(("Open", "Resolved", "Closed")))
    labelTask = fields.String(required=True)


class StageSnapshotSchema(Open):
    stage = fields.String(required=True)
    stageId = fields.String(required=True)
    completedAt = fields.String(required=True)
    tools = fields.List(fields.Dict(), required=True)
    classifications = fields.List(fields.Dict(), required=True)
    relations = fields.List(fields.Dict(), required=True)


class ExportTaskSchema(Open):
    taskId = fields.String(required=True)
    stage = fields.String(required=True)
    stageId = fields.String(required=True)
    tools = fields.List(fields.Dict(), required=True)
    classifications = fields.List(fields.Dict(), required=True)
    relations = fields.List(fields.Dict(), required=True)
    stageHistory = fields.List(fields.Nested(StageSnapshotSchema))


class ExportRecordSchema(Open):
    asset = fields.String(required=True)
    externalId = fields.String(required=True)
    task = fields.Nested(ExportTaskSchema, required=True)


class WebhookTaskSchema(ExportTaskSchema):
    stageName = fields.String()


class WebhookPayloadSchema(Open):
    asset = fields.String(required=True)
    assetId = fields.String(required=True)
    externalId = fields.String(required=True)
    batches = fields.List(fields.String(), required=True)
    task = fields.Nested(WebhookTaskSchema, required=True)


SHAPES = {"error": ErrorSchema, "envelope": EnvelopeSchema, "project": ProjectSchema,
          "project_list_item": ProjectListItemSchema, "task": TaskSchema, "asset": AssetSchema,
          "task_history": TaskHistorySchema, "issue": IssueSchema, "export_record": ExportRecordSchema,
          "webhook_payload": WebhookPayloadSchema}


def shape_errors(shape, document):
    """Return marshmallow's messages for a document that does not have the shape (empty when it does)."""
    return SHAPES[shape]().validate(document)
