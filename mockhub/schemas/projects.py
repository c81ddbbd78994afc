"""Request schemas of the project and batch endpoints."""
from marshmallow import INCLUDE, Schema, ValidationError, fields, post_load, validate, validates_schema

TOOLS = ("bounding-box", "segmentation", "polyline", "polygon", "rotated-bounding-box", "ner", "point", "pdf",
         "brush", "pct")
CLASSIFICATIONS = ("multi-dropdown", "single-dropdown", "tree-dropdown", "radio", "checkbox", "text", "instance",
                   "boolean", "rank")
RELATIONS = ("one-to-one", "group", "one-to-many")
PROJECT_ROLES = ("Manager", "Labeler", "Reviewer", "Lead")


class CreateProjectSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=500))
    description = fields.String(allow_none=True, load_default="")
    type = fields.String(load_default="ango", validate=validate.OneOf(("ango", "pct", "iframe")))


class _Category(Schema):
    class Meta:
        unknown = INCLUDE

    title = fields.String(allow_none=True)
    schemaId = fields.String(allow_none=True)
    classifications = fields.List(fields.Dict(), load_default=list)
    options = fields.List(fields.Dict(), load_default=list)


class ToolSchema(_Category):
    tool = fields.String(required=True, validate=validate.OneOf(TOOLS))


class ClassificationSchema(_Category):
    tool = fields.String(required=True, validate=validate.OneOf(CLASSIFICATIONS))


class RelationSchema(_Category):
    tool = fields.String(required=True, validate=validate.OneOf(RELATIONS))


class CategorySchemaSchema(Schema):
    tools = fields.List(fields.Nested(ToolSchema), load_default=list)
    classifications = fields.List(fields.Nested(ClassificationSchema), load_default=list)
    relations = fields.List(fields.Nested(RelationSchema), load_default=list)


class UpdateProjectSchema(Schema):
    """`POST /v2/project/{id}` is overloaded: whichever of these keys the body has is applied."""

    name = fields.String(validate=validate.Length(min=1, max=500))
    description = fields.String(allow_none=True)
    categorySchema = fields.Nested(CategorySchemaSchema)
    stages = fields.List(fields.Dict(), validate=validate.Length(min=1))
    benchmarkEnabled = fields.Boolean()
    benchmarkRatio = fields.Integer(strict=True, validate=validate.Range(0, 100))
    benchmarkCutoff = fields.Raw()

    @validates_schema
    def not_empty(self, data, **kwargs):
        if not data:
            raise ValidationError("give at least one of: " + ", ".join(self.fields), "body")


class CloneProjectSchema(Schema):
    categorySchema = fields.Boolean(load_default=True)
    assignedTo = fields.Boolean(load_default=True)
    batches = fields.Boolean(load_default=True)
    workflow = fields.Boolean(load_default=True)
    pluginPresets = fields.Boolean(load_default=True)
    projectGeneralSettings = fields.Boolean(load_default=True)


class PurgeProjectSchema(Schema):
    confirmName = fields.String(required=True)


class AddMembersSchema(Schema):
    assignees = fields.List(fields.Email(), required=True, validate=validate.Length(min=1))
    role = fields.String(required=True, validate=validate.OneOf(PROJECT_ROLES))


class BatchItemSchema(Schema):
    class Meta:
        unknown = INCLUDE

    _id = fields.String(data_key="_id")
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(allow_none=True)
    color = fields.String(allow_none=True)


class CreateBatchSchema(Schema):
    """Three bodies: `{name}` appends, `{batches: "<name>"}` appends, `{batches|tags: [...]}` replaces all."""

    name = fields.String(validate=validate.Length(min=1, max=200))
    batches = fields.Raw()
    tags = fields.List(fields.Nested(BatchItemSchema))

    @validates_schema
    def one_form(self, data, **kwargs):
        given = [key for key in ("name", "batches", "tags") if key in data]
        if len(given) != 1:
            raise ValidationError("give exactly one of name, batches (a name or a list) or tags", "body")
        batches = data.get("batches")
        if batches is not None and not isinstance(batches, (str, list)):
            raise ValidationError("must be a batch name or a list of batches", "batches")

    @post_load
    def normalize(self, data, **kwargs):
        """Load as {name, batches (a replacement list or None), field (the body key the list came in)}."""
        if "tags" in data:
            return {"name": None, "batches": data["tags"], "field": "tags"}
        batches = data.get("batches")
        if isinstance(batches, str):
            return {"name": batches, "batches": None, "field": "batches"}
        if isinstance(batches, list):
            try:
                return {"name": None, "batches": BatchItemSchema(many=True).load(batches), "field": "batches"}
            except ValidationError as exc:
                raise ValidationError({"batches": exc.messages}) from None
        return {"name": data["name"], "batches": None, "field": "name"}


class AssignBatchesSchema(Schema):
    assets = fields.List(fields.String(), required=True, validate=validate.Length(min=1))
    batches = fields.List(fields.String(), validate=validate.Length(min=1))
    tags = fields.List(fields.String(), validate=validate.Length(min=1))
    projectId = fields.String()

    @validates_schema
    def needs_batches(self, data, **kwargs):
        if "batches" not in data and "tags" not in data:
            raise ValidationError("give the batches to assign (batches or tags)", "batches")
