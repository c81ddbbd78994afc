"""Request schemas of the organization-level endpoints: members, invites, notifications, storages, LLMs."""
from urllib.parse import urlsplit

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates

from mockhub.schemas.projects import PROJECT_ROLES
from mockhub.schemas.wire import Flag, PageQuery


class OrganizationRole(fields.String):
    """An organization role, compared case-insensitively and loaded lowercase."""

    def _deserialize(self, value, attr, data, **kwargs):
        role = super()._deserialize(value, attr, data, **kwargs).lower()
        if role not in ("admin", "member", "guest"):
            raise ValidationError("Must be one of: admin, member, guest (any case).")
        return role


class RoleUpdateSchema(Schema):
    email = fields.Email(required=True)
    organizationRole = OrganizationRole(required=True)


class UpdateMembersSchema(Schema):
    users = fields.List(fields.Nested(RoleUpdateSchema), required=True, validate=validate.Length(min=1))


class DeleteMembersSchema(Schema):
    users = fields.List(fields.Email(), required=True, validate=validate.Length(min=1))


class ProjectAssignmentSchema(Schema):
    projectId = fields.String(required=True)
    projectRole = fields.String(required=True, validate=validate.OneOf(PROJECT_ROLES))


class InviteSchema(Schema):
    """SDK 1.4.x sends `projectAssignments`; 1.3.x a single `projectId` with `projectRole`."""

    to = fields.List(fields.Email(), required=True, validate=validate.Length(min=1, max=100))
    organizationRole = OrganizationRole(required=True)
    projectAssignments = fields.List(fields.Nested(ProjectAssignmentSchema), load_default=list)
    projectId = fields.String(allow_none=True)
    projectRole = fields.String(allow_none=True, validate=validate.OneOf(PROJECT_ROLES))

    @post_load
    def single_project(self, data, **kwargs):
        project_id, role = data.pop("projectId", None), data.pop("projectRole", None)
        if project_id:
            if not role:
                raise ValidationError("give projectRole with projectId", "projectRole")
            data["projectAssignments"].append({"projectId": project_id, "projectRole": role})
        return data


class DeleteInvitesSchema(Schema):
    invites = fields.List(fields.Email(), required=True, validate=validate.Length(min=1))


class NotificationSchema(Schema):
    receivers = fields.List(fields.Email(), required=True, validate=validate.Length(min=1, max=100))
    message = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    title = fields.String(allow_none=True, validate=validate.Length(max=200))
    clickableLink = fields.String(allow_none=True, validate=validate.Length(max=2048))

    @validates("clickableLink")
    def absolute_link(self, value, **kwargs):
        parts = urlsplit(value or "")
        if value is not None and (parts.scheme not in ("http", "https") or not parts.netloc):
            raise ValidationError("must be an absolute http(s) URL")


class StorageSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    provider = fields.String(required=True, validate=validate.OneOf(("AWS", "GCP", "AZURE", "aws", "gcp", "azure")))
    publicKey = fields.String(allow_none=True)
    privateKey = fields.String(allow_none=True)
    region = fields.String(allow_none=True, load_default="eu-central-1")
    credentials = fields.Raw(allow_none=True)
    bucket = fields.String(allow_none=True)


class LlmConfigurationSchema(Schema):
    apiKey = fields.String(required=True, validate=validate.Length(min=1))
    baseUrl = fields.Url(allow_none=True)


class LlmSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    provider = fields.String(required=True, validate=validate.OneOf(("openai", "openrouter")))
    model = fields.String(required=True, validate=validate.Length(min=1))
    isStreamable = fields.Boolean(load_default=False)
    configuration = fields.Nested(LlmConfigurationSchema, required=True)


class FileExplorerSchema(Schema):
    bucket = fields.String(required=True)
    storageId = fields.String(required=True)
    folder = fields.String(allow_none=True)
    files = fields.List(fields.String(), allow_none=True)
    upload = fields.Boolean(load_default=False)
    projectId = fields.String(allow_none=True)
    scrollToken = fields.Raw(allow_none=True)
    batches = fields.List(fields.String(), allow_none=True)
    extensions = fields.List(fields.String(), allow_none=True)


class MembersQuery(PageQuery):
    search = fields.String()


class InvitesQuery(Schema):
    status = fields.String()


class ByIdQuery(Schema):
    """`get_storages` / `get_llms`: an optional `_id` picks one."""

    _id = fields.String(data_key="_id")


class StorageFilesQuery(Schema):
    bucketName = fields.String(load_default="")
    path = fields.String(load_default="")
    getSignedUrls = Flag(load_default=False)
    retryOnSlowDown = Flag(load_default=False)
