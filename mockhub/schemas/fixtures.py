"""The fixture-file format: organizations with users, projects, batches, members and assets."""
from marshmallow import Schema, fields, validate

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


class FixtureProjectSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1))
    description = fields.String(load_default="")
    type = fields.String(load_default="ango", validate=validate.OneOf(("ango", "pct", "iframe")))
    owner = fields.Email()
    categorySchema = fields.Nested(CategorySchemaSchema)
    stages = fields.List(fields.Dict())
    batches = fields.List(fields.String(validate=validate.Length(min=1)), load_default=list)
    members = fields.List(fields.Nested(FixtureMemberSchema), load_default=list)
    assets = fields.List(fields.Nested(AssetInSchema), load_default=list)


class FixtureOrganizationSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1))
    users = fields.List(fields.Nested(FixtureUserSchema), required=True, validate=validate.Length(min=1))
    projects = fields.List(fields.Nested(FixtureProjectSchema), load_default=list)


class FixtureSchema(Schema):
    description = fields.String()
    organizations = fields.List(fields.Nested(FixtureOrganizationSchema), required=True)
