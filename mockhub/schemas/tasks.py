"""Request schemas of the task endpoints."""
from marshmallow import Schema, fields, validate


class AssignTaskSchema(Schema):
    project = fields.String(required=True)
    tasks = fields.List(fields.String(), required=True, validate=validate.Length(min=1))
    user = fields.Email(required=True)
    stage = fields.String(required=True, validate=validate.Length(min=1))


class TaskSelectionSchema(Schema):
    taskIds = fields.List(fields.String())
    externalIds = fields.List(fields.String())
    assetIds = fields.List(fields.String())
    fromStageIds = fields.List(fields.String())
    batches = fields.List(fields.String())


class UpdatePrioritySchema(Schema):
    priority = fields.Integer(strict=True, required=True, validate=validate.Range(-1000, 1000))
    filters = fields.Nested(TaskSelectionSchema, load_default=dict)
