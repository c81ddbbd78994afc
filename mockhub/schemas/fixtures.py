"""The fixture-file format: organizations with users, projects, batches, members and assets."""
from marshmallow import INCLUDE, Schema, ValidationError, fields, validate, validates_schema

from mockhub.schemas.assets import AssetInSchema
from mockhub.schemas.projects import PROJECT_ROLES, CategorySchemaSchema


class FixtureUserSchema(Schema):
    email = fields.Email(required=True)
    name = fields.String()
    apiKey = fields.String(validate=validate.Length(min=1))
    role = fields.String(load_default="member", validate=validate.OneOf(("admin", "member", "Admin", "Member")))


class FixtureMemberSchema(Schema):
    email = fields.Email(required=True)
    role = fields.String(required=True, validate=validate.OneOf(PROJECT_ROLES))


class FixtureHistorySchema(Schema):
    stage = fields.String(required=True)
    completedBy = fields.Email(allow_none=True)
    completedAt = fields.String()
    duration = fields.Integer(strict=True, load_default=0, validate=validate.Range(min=0))
    answer = fields.Dict()
    reviewStatus = fields.String(validate=validate.OneOf(("Todo", "Accepted", "Rejected", "Fixed")))


class FixtureTaskSchema(Schema):
    """Where an asset's task stands: its stage (id or name), answer, assignee and past stages."""

    stage = fields.String(required=True)
    answer = fields.Dict()
    assignee = fields.Email(allow_none=True)
    reviewStatus = fields.String(validate=validate.OneOf(("Todo", "Accepted", "Rejected", "Fixed")))
    priority = fields.Integer(strict=True, validate=validate.Range(-1000, 1000))
    history = fields.List(fields.Nested(FixtureHistorySchema), load_default=list)


class FixtureAssetSchema(AssetInSchema):
    class Meta:
        unknown = INCLUDE

    task = fields.Nested(FixtureTaskSchema)


class FixtureProjectSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1))
    description = fields.String(load_default="")
    type = fields.String(load_default="ango", validate=validate.OneOf(("ango", "pct", "iframe")))
    owner = fields.Email()
    categorySchema = fields.Nested(CategorySchemaSchema)
    stages = fields.List(fields.Dict())
    batches = fields.List(fields.String(validate=validate.Length(min=1)), load_default=list)
    members = fields.List(fields.Nested(FixtureMemberSchema), load_default=list)
    assets = fields.List(fields.Nested(FixtureAssetSchema), load_default=list)


class FixtureOrganizationSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1))
    users = fields.List(fields.Nested(FixtureUserSchema), required=True, validate=validate.Length(min=1))
    projects = fields.List(fields.Nested(FixtureProjectSchema), load_default=list)


class SnapshotSchema(Schema):
    version = fields.Integer(required=True, validate=validate.Equal(1))
    tables = fields.Dict(keys=fields.String(), values=fields.List(fields.Dict()), required=True)
    blobs = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)


class FixtureSchema(Schema):
    """Either friendly `organizations`, or a `snapshot` taken with GET /_mockhub/snapshot (or both)."""

    description = fields.String()
    organizations = fields.List(fields.Nested(FixtureOrganizationSchema), load_default=list)
    snapshot = fields.Nested(SnapshotSchema)

    @validates_schema
    def has_content(self, data, **kwargs):
        if not data.get("organizations") and "snapshot" not in data:
            raise ValidationError("a fixture needs organizations (or a snapshot)", "organizations")
