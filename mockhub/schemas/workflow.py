"""Request schemas of the workflow endpoints: annotate, review, requeue, rerun-webhook, import labels."""
from marshmallow import INCLUDE, Schema, ValidationError, fields, post_load, validate, validates_schema

from mockhub.jsonio import JSONLimitError, parse_json
from mockhub.schemas.labels import AnswerSchema, LabelRecordSchema
from mockhub.schemas.tasks import TaskSelectionSchema
from mockhub.schemas.wire import Flag

REVIEW_STATUSES = ("Accepted", "Rejected", "Todo", "Fixed")
MAX_DURATION_MS = 30 * 24 * 3600 * 1000  # a month of work on one task


class AnnotateQuery(Schema):
    nextStage = Flag(load_default=False)
    isPlugin = Flag(load_default=False)


class AnnotateSchema(Schema):
    answer = fields.Nested(AnswerSchema, required=True)
    brushDataUrl = fields.String(allow_none=True)
    medicalBrushDataUrl = fields.String(allow_none=True)
    duration = fields.Integer(load_default=0, validate=validate.Range(0, MAX_DURATION_MS))


class ReviewSchema(Schema):
    reviewStatus = fields.String(required=True, validate=validate.OneOf(REVIEW_STATUSES))
    pctDetails = fields.Dict(allow_none=True)


class RequeueSchema(Schema):
    toStageId = fields.String(required=True, validate=validate.Length(min=1))
    filters = fields.Nested(TaskSelectionSchema, load_default=dict)
    options = fields.Dict(keys=fields.String(), values=fields.Boolean(), load_default=dict)


class RerunWebhookSchema(Schema):
    stageId = fields.String(required=True, validate=validate.Length(min=1))


class ImportLabelsSchema(Schema):
    """The SDK sends `jsonContent` as a list; the API page calls it a string; WEB-API sends `labels`."""

    class Meta:
        unknown = INCLUDE

    project = fields.String(required=True)
    jsonContent = fields.Raw()
    labels = fields.List(fields.Nested(LabelRecordSchema))

    @validates_schema
    def has_records(self, data, **kwargs):
        if "jsonContent" not in data and "labels" not in data:
            raise ValidationError("give jsonContent (a list of label records, or that list as a JSON string)",
                                  "jsonContent")

    @post_load
    def records(self, data, **kwargs):
        """Load as {project, records: the label records as a list}."""
        if "labels" in data:
            return {"project": data["project"], "records": data["labels"]}
        content = data["jsonContent"]
        if isinstance(content, str):
            try:
                content = parse_json(content)
            except JSONLimitError as exc:
                raise ValidationError({"jsonContent": [str(exc)]}) from None
        if not isinstance(content, list):
            raise ValidationError({"jsonContent": ["must be a list of label records"]})
        try:
            return {"project": data["project"], "records": LabelRecordSchema(many=True).load(content)}
        except ValidationError as exc:
            raise ValidationError({"jsonContent": exc.messages}) from None
