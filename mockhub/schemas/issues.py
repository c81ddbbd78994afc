"""Request schemas of the issue endpoints."""
from marshmallow import Schema, fields, post_load, validate

STATUSES = ("Open", "Resolved", "Closed")


class ErrorCodeSchema(Schema):
    category = fields.String(required=True)
    name = fields.String(required=True)
    key = fields.String(allow_none=True)


class CreateIssueSchema(Schema):
    content = fields.String(required=True)
    labelTask = fields.String(required=True, validate=validate.Length(min=1))
    position = fields.String(allow_none=True)  # the SDK sends str(list), e.g. "[25, 15]": kept as given
    contentMentions = fields.List(fields.Email())
    objectId = fields.String()
    errorCodes = fields.List(fields.Nested(ErrorCodeSchema))
    pctDetails = fields.Dict()
    page = fields.Integer(strict=True, validate=validate.Range(min=0))
    pageEnd = fields.Integer(strict=True, validate=validate.Range(min=0))
    dataIndex = fields.Integer(strict=True, validate=validate.Range(min=0))
    plane = fields.String(validate=validate.OneOf(("A", "S", "C")))


class UpdateIssueSchema(Schema):
    content = fields.String()
    contentMentions = fields.List(fields.Email())
    status = fields.String(validate=validate.OneOf(STATUSES))
    errorCodes = fields.List(fields.Nested(ErrorCodeSchema))
    pctDetails = fields.Dict()


class CommentSchema(Schema):
    content = fields.String(required=True, validate=validate.Length(min=1))
    contentMentions = fields.List(fields.Email())


class IssuesQuery(Schema):
    """`get_issues`: the project (required) and the optional filters the SDK sends."""

    project = fields.String(required=True, validate=validate.Length(min=1))
    asset = fields.String()
    labelTask = fields.String()
    stage = fields.String()
    createdBy = fields.String()
    status = fields.String()

    @post_load
    def split(self, data, **kwargs):
        project = data.pop("project")
        return {"project": project, "filters": {key: value for key, value in data.items() if value}}


class ProjectQuery(Schema):
    """An optional `project` in the query (the SDK names it on delete_issue)."""

    project = fields.String()
