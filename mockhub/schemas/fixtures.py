"""The fixture-file format: organizations with users, projects, batches, members and assets."""
from marshmallow import INCLUDE, Schema, ValidationError, fields, validate, validates_schema

from mockhub.schemas.assets import AssetInSchema
from mockhub.schemas.issues import STATUSES, ErrorCodeSchema
from mockhub.schemas.organization import OrganizationRole
from mockhub.schemas.projects import PROJECT_ROLES, CategorySchemaSchema
from mockhub.schemas.snapshot import SNAPSHOT_TABLES, check_snapshot


class FixtureUserSchema(Schema):
    email = fields.Email(required=True)
    name = fields.String()
    apiKey = fields.String(validate=validate.Length(min=1))
    role = OrganizationRole(load_default="member")  # admin, member or guest, any case: as the API takes them


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
    assignee = fields.Email(allow_none=True)  # who held the task in the stage; completedBy when left out
    isSkipped = fields.Boolean(load_default=False)
    requeued = fields.Boolean(load_default=False)


class FixtureCommentSchema(Schema):
    content = fields.String(required=True, validate=validate.Length(min=1))
    createdBy = fields.Email(required=True)
    createdAt = fields.String()


class FixtureIssueSchema(Schema):
    """A QA issue on the task, as `get_issues` lists it (people by email, times optional)."""

    content = fields.String(required=True)
    createdBy = fields.Email(required=True)
    createdAt = fields.String()
    stage = fields.String()  # a stage id or name; the task's own stage when left out
    status = fields.String(load_default="Open", validate=validate.OneOf(STATUSES))
    position = fields.String(allow_none=True)
    objectId = fields.String(allow_none=True)
    page = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=0))
    pageEnd = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=0))
    errorCodes = fields.List(fields.Nested(ErrorCodeSchema), load_default=list)
    contentMentions = fields.List(fields.Email(), load_default=list)
    resolvedBy = fields.Email(allow_none=True)
    resolvedAt = fields.String(allow_none=True)
    comments = fields.List(fields.Nested(FixtureCommentSchema), load_default=list)


class FixtureTaskSchema(Schema):
    """Where an asset's task stands: its stage (id or name), answer, assignee and past stages."""

    stage = fields.String(required=True)
    answer = fields.Dict()
    assignee = fields.Email(allow_none=True)
    reviewStatus = fields.String(validate=validate.OneOf(("Todo", "Accepted", "Rejected", "Fixed")))
    priority = fields.Integer(strict=True, validate=validate.Range(-1000, 1000))
    completedBy = fields.Email(allow_none=True)
    duration = fields.Integer(strict=True, validate=validate.Range(min=0))
    totalDuration = fields.Integer(strict=True, validate=validate.Range(min=0))
    consensusAverage = fields.Float(allow_none=True, validate=validate.Range(0, 100))
    consensusDetailed = fields.List(fields.Dict())
    history = fields.List(fields.Nested(FixtureHistorySchema), load_default=list)
    issues = fields.List(fields.Nested(FixtureIssueSchema), load_default=list)


class FixtureAssetSchema(AssetInSchema):
    """An asset; `file` names a file beside the fixture, whose bytes (`fileData`, base64, filled in when the
    fixture file is read) mockhub's object store serves, and `data` becomes that file's URL."""

    class Meta:
        unknown = INCLUDE

    data = fields.String(validate=validate.Length(min=1))
    file = fields.String(validate=validate.Length(min=1))
    fileData = fields.String()
    task = fields.Nested(FixtureTaskSchema)

    @validates_schema
    def has_data(self, data, **kwargs):
        if not data.get("data") and "file" not in data:
            raise ValidationError("an asset needs data (its URL) or file", "data")
        if "file" in data and "fileData" not in data:
            raise ValidationError("the file's bytes were not read: load the fixture file with `mockhub serve "
                                  "--fixtures`, `mockhub seed` or the mockhub_fixture marker", "file")


class FixtureProjectSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1))
    description = fields.String(load_default="")
    type = fields.String(load_default="ango", validate=validate.OneOf(("ango", "pct", "iframe")))
    owner = fields.Email()
    categorySchema = fields.Nested(CategorySchemaSchema)
    stages = fields.List(fields.Dict())
    batches = fields.List(fields.String(validate=validate.Length(min=1)), load_default=list)
    members = fields.List(fields.Nested(FixtureMemberSchema), load_default=list)
    labelValidation = fields.Dict()
    assets = fields.List(fields.Nested(FixtureAssetSchema), load_default=list)


class FixtureOrganizationSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1))
    users = fields.List(fields.Nested(FixtureUserSchema), required=True, validate=validate.Length(min=1))
    projects = fields.List(fields.Nested(FixtureProjectSchema), load_default=list)


class SnapshotSchema(Schema):
    """A snapshot (GET /_mockhub/snapshot): the tables as stored, checked for everything the store's indexes
    are built from, so a malformed one is refused before anything is written."""

    version = fields.Integer(required=True, validate=validate.Equal(1))
    tables = fields.Dict(keys=fields.String(validate=validate.OneOf(SNAPSHOT_TABLES)),
                         values=fields.List(fields.Dict()), required=True)
    blobs = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)

    @validates_schema
    def consistent(self, data, **kwargs):
        check_snapshot(data)


class FixtureSchema(Schema):
    """Either friendly `organizations`, or a `snapshot` taken with GET /_mockhub/snapshot (or both)."""

    description = fields.String()
    organizations = fields.List(fields.Nested(FixtureOrganizationSchema), load_default=list)
    snapshot = fields.Nested(SnapshotSchema)

    @validates_schema
    def has_content(self, data, **kwargs):
        if not data.get("organizations") and "snapshot" not in data:
            raise ValidationError("a fixture needs organizations (or a snapshot)", "organizations")
