"""The query of `/v2/export` and `/v2/exportV3`: SDK 1.4.x's JSON values, 1.3.x's urlencoded form, and ango
0.1.18's legacy flags (`batches=true`, `labeledAt`, `completedAt[gt]=..`, `assignee=[..]`)."""
from marshmallow import Schema, fields, post_load

from mockhub.clock import parse_iso
from mockhub.errors import BadRequest, invalid_project
from mockhub.jsonio import JSONLimitError, parse_json
from mockhub.schemas.wire import Flag

RANGE_OPERATORS = ("$gt", "$gte", "$lt", "$lte")


class JsonOrText(fields.Field):
    """A value that may be JSON (a list, a JSON string such as `"Complete"`) or plain text; `None` is no value."""

    OPENAPI = {"type": "string", "description": "JSON, or plain text"}

    def _deserialize(self, value, attr, data, **kwargs):
        if value in ("", "None"):
            return None
        try:
            return parse_json(value)
        except JSONLimitError:
            return value


def _as_list(name, value):
    if value is None:
        return None
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list) or any(isinstance(v, (dict, list)) for v in value):
        raise BadRequest(f"{name}: must be a JSON list of names")
    return [str(v) for v in value]


def _date_range(name, value):
    """`{"$gt": "2024-01-01T00:00:00Z", ...}`: only range operators, each an ISO 8601 date in years 1-9999."""
    if not isinstance(value, dict) or not value:
        raise BadRequest(f'{name}: must be a JSON object such as {{"$gt": "2024-01-01T00:00:00Z"}}')
    for op, moment in value.items():
        if op not in RANGE_OPERATORS:
            raise BadRequest(f"{name}: operator must be one of {', '.join(RANGE_OPERATORS)}")
        try:
            parse_iso(moment)
        except (TypeError, ValueError):
            raise BadRequest(f"{name}: {op} needs an ISO 8601 date in years 1-9999") from None
    return value


class ExportQuery(Schema):
    project = fields.String()
    format = fields.String(load_default="json")
    type = fields.String(load_default="task")
    stage = JsonOrText()
    batches = JsonOrText()
    tag = JsonOrText()
    taskTypes = JsonOrText()
    updatedAt = JsonOrText()
    createdAt = JsonOrText()
    assignee = JsonOrText()
    completed_gt = fields.String(data_key="completedAt[gt]")
    completed_lt = fields.String(data_key="completedAt[lt]")
    updated_gt = fields.String(data_key="updatedAt[gt]")
    updated_lt = fields.String(data_key="updatedAt[lt]")
    labeledAt = fields.String()
    includeMetadata = Flag(load_default=True)
    includeHistory = Flag(load_default=True)
    sendEmail = Flag()              # sent by the SDK; mockhub mails nothing
    doNotNotify = Flag()
    includeOnlyKeyFrames = Flag()
    includeIdleBlurDurations = Flag()

    @post_load
    def options(self, data, **kwargs):
        """Load as {project, options} in the shape mockhub.export.records reads."""
        if not data.get("project"):
            raise invalid_project(data.get("project"))
        kind = data["type"].lower()
        kind = "task" if kind == "none" else kind
        fmt = data["format"].lower()
        for name, value, allowed in (("type", kind, ("task", "issue")), ("format", fmt, ("json", "ndjson"))):
            if value not in allowed:
                raise BadRequest(f"{name}: must be {' or '.join(allowed)}")
        legacy = data.get("batches") is True or "labeledAt" in data
        batches = _as_list("tag", data.get("tag")) if legacy else _as_list("batches", data.get("batches"))
        return {"project": data["project"], "options": {
            "type": kind, "format": fmt, "legacy": legacy,
            "stages": None if kind == "issue" else _as_list("stage", data.get("stage")), "batches": batches,
            "taskTypes": _as_list("taskTypes", data.get("taskTypes")) or ["default"], "where": self.where(data),
            "includeMetadata": data["includeMetadata"], "includeHistory": data["includeHistory"]}}

    @staticmethod
    def where(data):
        where = {}
        for field in ("updatedAt", "createdAt"):
            value = data.get(field)
            if value is not None and value is not True:
                where[field] = dict(_date_range(field, value))
        for field, op, key in (("completedAt", "$gt", "completed_gt"), ("completedAt", "$lt", "completed_lt"),
                               ("updatedAt", "$gt", "updated_gt"), ("updatedAt", "$lt", "updated_lt")):
            if data.get(key):
                where.setdefault(field, {})[op] = data[key]
        for field, value in where.items():
            _date_range(field, value)
        assignees = _as_list("assignee", data.get("assignee"))
        if assignees:
            where["assignee"] = {"$in": assignees}
        return where
