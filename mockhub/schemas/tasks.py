"""Request schemas of the task endpoints."""
from marshmallow import Schema, fields, post_load, validate

from mockhub.errors import BadRequest
from mockhub.query.filters import TASK_FIELDS
from mockhub.query.pagination import QueryError, parse_sort
from mockhub.schemas.wire import CommaList, Flag, JsonText, PageQuery


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


class TasksQuery(PageQuery):
    """`get_tasks`' query: a TaskFilter (`filter`, or `filters`) merged with the deprecated `status[eq]`, `status`,
    `stage`, `batches` and `assignee` parameters; `fields` as a comma list; `sort` as `-createdAt,priority`."""

    includeAnswer = Flag(load_default=False)
    fields_ = CommaList(data_key="fields")
    filter = JsonText(fields.Dict())
    filters = JsonText(fields.Dict())
    sort = fields.String()
    status_eq = fields.String(data_key="status[eq]")
    status = fields.String()
    stage = fields.String()
    assignee = fields.String()
    batches = CommaList()

    @post_load
    def task_filter(self, data, **kwargs):
        spec = dict(data.get("filter", data.get("filters")) or {})
        legacy = {"status": data.get("status_eq") or data.get("status"), "stage": data.get("stage"),
                  "assignee": data.get("assignee")}
        for field, value in legacy.items():
            if value:
                spec.setdefault(field, value)
        if data.get("batches"):
            spec.setdefault("batches", {"$in": data["batches"]})
        try:
            sort = parse_sort(data.get("sort"), set(TASK_FIELDS))
        except QueryError as exc:
            raise BadRequest(str(exc)) from None
        fields_ = data.get("fields_") or None
        return {"page": data["page"], "spec": spec, "fields": fields_, "sort": sort,
                "include_answer": data["includeAnswer"] or bool(fields_)}


class TaskQuery(Schema):
    # The SDK's own merge path asks with includeAnswer=False (capitalised) and then reads the answer;
    # only an explicit lowercase `false` leaves it out (spec 3.2.3).
    includeAnswer = fields.String()

    @post_load
    def include(self, data, **kwargs):
        return {"include_answer": data.get("includeAnswer") != "false"}
