"""Request schemas of the object store's v2 helpers (upload and signed URLs) and of multipart file fields."""
from marshmallow import Schema, ValidationError, fields, post_load
from werkzeug.datastructures import FileStorage


class Upload(fields.Field):
    """A multipart file part; loads as (file name, bytes)."""

    OPENAPI = {"type": "string", "format": "binary"}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, FileStorage):
            raise ValidationError("send the file as a multipart file part")
        return value.filename or "", value.read()


class UploadUrlQuery(Schema):
    name = fields.String(load_default="")
    project = fields.String()
    type = fields.String(load_default="assets")
    storageId = fields.String()


class SignedUrlQuery(Schema):
    """ExportPlugin passes a whole presigned URL, query and all, as `name`: only the part before `?` counts."""

    name = fields.String()
    url = fields.String()

    @post_load
    def target(self, data, **kwargs):
        return {"target": (data.get("name") or data.get("url") or "").split("?", 1)[0]}
