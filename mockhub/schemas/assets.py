"""Request schemas of the asset endpoints (cloud upload, delete, attachments)."""
from marshmallow import INCLUDE, Schema, ValidationError, fields, post_load, validate, validates_schema

from mockhub.schemas.wire import JsonText, PageQuery

ATTACHMENT_TYPES = ("IMAGE", "VIDEO", "TEXT")


class AttachmentSchema(Schema):
    type = fields.String(required=True, validate=validate.OneOf(ATTACHMENT_TYPES))
    value = fields.String(required=True, validate=validate.Length(min=1))


class AssetInSchema(Schema):
    """One item of a cloud upload; unknown keys are kept (user dicts may carry anything)."""

    class Meta:
        unknown = INCLUDE

    data = fields.String(required=True, validate=validate.Length(min=1))
    externalId = fields.String(allow_none=True)
    metadata = fields.Dict(allow_none=True)
    contextData = fields.Dict(allow_none=True)
    batches = fields.List(fields.String(), allow_none=True)
    tags = fields.List(fields.String(), allow_none=True)
    attachments = fields.List(fields.Nested(AttachmentSchema), allow_none=True)
    priority = fields.Integer(strict=True, validate=validate.Range(-1000, 1000))
    storage = fields.String(allow_none=True)
    classifications = fields.List(fields.Dict(), allow_none=True)


class CloudUploadSchema(Schema):
    """A cloud upload: thousands of items a request when seeding, so a body that plainly meets every rule
    (`plain_upload`) is taken as it is; any other goes through the fields, which word the errors."""

    assets = fields.List(fields.Nested(AssetInSchema), required=True, validate=validate.Length(min=1))
    uploadLocal = fields.Raw(allow_none=True)
    priority = fields.Integer(strict=True, allow_none=True, load_default=0, validate=validate.Range(-1000, 1000))

    def load(self, data, *, many=None, partial=None, unknown=None):
        plain = plain_upload(data) if many is partial is unknown is None else None
        return plain if plain is not None else super().load(data, many=many, partial=partial, unknown=unknown)


def _text(value):
    return type(value) is str


def _texts(value):
    return type(value) is list and all(type(v) is str for v in value)


def _priority(value):
    return type(value) is int and -1000 <= value <= 1000


def _attachment(value):
    return (type(value) is dict and len(value) == 2 and value.get("type") in ATTACHMENT_TYPES
            and type(value.get("value")) is str and value["value"] != "")


# what AssetInSchema's fields accept, checked by type alone (a JSON body holds exact types)
_PLAIN = {"externalId": _text, "storage": _text, "metadata": lambda v: type(v) is dict,
          "contextData": lambda v: type(v) is dict, "batches": _texts, "tags": _texts, "priority": _priority,
          "attachments": lambda v: type(v) is list and all(_attachment(a) for a in v),
          "classifications": lambda v: type(v) is list and all(type(c) is dict for c in v)}
_NULLABLE = frozenset(name for name, field in AssetInSchema._declared_fields.items() if field.allow_none)


def _plain_item(item):
    if type(item) is not dict or type(item.get("data")) is not str or item["data"] == "":
        return False
    for key, value in item.items():
        check = _PLAIN.get(key)
        if check is not None and not check(value) and not (value is None and key in _NULLABLE):
            return False
    return True


def plain_upload(body):
    """What `CloudUploadSchema` loads from `body` when every rule plainly holds (no field needs converting and
    none fails), else None. It holds what the schema keeps: the items as sent, unknown keys included
    (tests/unit/test_cloud_upload_schema.py compares the two on generated bodies)."""
    if type(body) is not dict or not body.keys() <= {"assets", "uploadLocal", "priority"}:
        return None
    assets, priority = body.get("assets"), body.get("priority", 0)
    if type(assets) is not list or not assets or not (priority is None or _priority(priority)):
        return None
    if not all(_plain_item(item) for item in assets):
        return None
    return dict(body, priority=priority)


class DeleteAssetsSchema(Schema):
    project = fields.String()
    assets = fields.List(fields.String(), required=True, validate=validate.Length(min=1))


class AttachmentItemSchema(Schema):
    """`{externalId|data|assetId, attachments:[{type,value}]}`, or the API page's `{.., attachmentUrl, attachmentType}`."""

    externalId = fields.String()
    data = fields.String()
    assetId = fields.String()
    attachments = fields.List(fields.Nested(AttachmentSchema), validate=validate.Length(min=1))
    attachmentUrl = fields.String()
    attachmentType = fields.String(validate=validate.OneOf(ATTACHMENT_TYPES))

    @validates_schema
    def complete(self, data, **kwargs):
        if not any(data.get(key) for key in ("externalId", "data", "assetId")):
            raise ValidationError("name the asset by externalId, data or assetId", "externalId")
        if "attachments" not in data and not ("attachmentUrl" in data and "attachmentType" in data):
            raise ValidationError("give attachments, or attachmentUrl with attachmentType", "attachments")

    @post_load
    def single_form(self, data, **kwargs):
        if "attachments" not in data:
            data["attachments"] = [{"type": data.pop("attachmentType"), "value": data.pop("attachmentUrl")}]
        return data


class CreateAttachmentSchema(Schema):
    project = fields.String(required=True)
    attachments = fields.List(fields.Nested(AttachmentItemSchema), required=True, validate=validate.Length(min=1))


class CloudQuery(Schema):
    """The target batches of a cloud upload: `batches` (1.x) or `tags` (0.1.18), each a JSON list of ids or names."""

    batches = JsonText(fields.List(fields.String()))
    tags = JsonText(fields.List(fields.String()))

    @post_load
    def target(self, data, **kwargs):
        return {"batches": data["batches"] if "batches" in data else data.get("tags")}


class AssetsQuery(PageQuery):
    """`filters` (a JSON object, always sent by 1.x), and the legacy SDK's separate `_id` / `externalId`."""

    filters = JsonText(fields.Dict(), load_default=dict)
    _id = fields.String(data_key="_id")
    externalId = fields.String()

    @post_load
    def merge(self, data, **kwargs):
        filters = dict(data["filters"])
        for legacy in ("_id", "externalId"):
            if data.get(legacy):
                filters.setdefault(legacy, data[legacy])
        return {"page": data["page"], "filters": filters}
