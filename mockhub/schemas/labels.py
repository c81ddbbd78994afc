"""The Ango answer format as annotate and import send it (spec ango-api.md 5.5 and 6; the stored and exported
shapes are in `answers`): every geometry, schemaId and classification answer checked to its documented type,
so the store and the dashboard only see what they can read. Unknown keys are kept (Hub keeps `lock`, `page`,
`interpolationStopped`, ...); values are not changed."""
from marshmallow import INCLUDE, Schema, ValidationError, fields, validate

COORDINATE_LIMIT = 1e9  # pixels, character offsets or seconds: anything larger is not a position


class Finite(fields.Field):
    """A JSON number (not a boolean) within +-COORDINATE_LIMIT, loaded as it came (an int stays an int)."""

    OPENAPI = {"type": "number", "minimum": -COORDINATE_LIMIT, "maximum": COORDINATE_LIMIT}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValidationError("must be a number")
        if not -COORDINATE_LIMIT <= value <= COORDINATE_LIMIT:
            raise ValidationError(f"must be between -{COORDINATE_LIMIT:.0e} and {COORDINATE_LIMIT:.0e}")
        return value


class ClassAnswer(fields.Field):
    """A classification's answer: a string, a number or a boolean, or a list of those (checkbox, tree paths)."""

    OPENAPI = {}

    def _deserialize(self, value, attr, data, **kwargs):
        items = value if isinstance(value, list) else [value]
        if not all(item is None or isinstance(item, (str, int, float)) for item in items):
            raise ValidationError("must be a string, a number, true/false, or a list of those")
        return value


def _point(**kwargs):
    return fields.List(Finite(), validate=validate.Length(min=2, max=3), **kwargs)


def _path(**kwargs):
    return fields.List(_point(), **kwargs)


class _Open(Schema):
    class Meta:
        unknown = INCLUDE


class BoxSchema(_Open):
    x, y, width, height = Finite(), Finite(), Finite(), Finite()


class RotatedBoxSchema(BoxSchema):
    rotation = Finite()
    corners = _path()


class ZoneSchema(_Open):
    region = _path()
    holes = fields.List(_path())


class SegmentationSchema(_Open):
    zones = fields.List(fields.Nested(ZoneSchema))


class SpanSchema(_Open):
    start, end = Finite(), Finite()


class ClassificationAnswerSchema(_Open):
    schemaId = fields.String(allow_none=True)
    title = fields.String(allow_none=True)
    answer = ClassAnswer(allow_none=True)
    classifications = fields.List(fields.Nested(lambda: ClassificationAnswerSchema()))


class ObjectSchema(_Open):
    schemaId = fields.String(allow_none=True)
    title = fields.String(allow_none=True)
    objectId = fields.String(allow_none=True)
    classifications = fields.List(fields.Nested(ClassificationAnswerSchema))
    metadata = fields.Dict(allow_none=True)
    bounding_box = fields.Nested(BoxSchema, data_key="bounding-box", attribute="bounding-box")
    rotated_bounding_box = fields.Nested(RotatedBoxSchema, data_key="rotated-bounding-box", attribute="rotated-bounding-box")
    polygon = _path()
    polyline = _path()
    point = _point()
    segmentation = fields.Nested(SegmentationSchema)
    ner = fields.Nested(SpanSchema)
    pdf = fields.Dict()


class RelationSchema(_Open):
    schemaId = fields.String(allow_none=True)
    title = fields.String(allow_none=True)
    objectId = fields.String(allow_none=True)
    group = fields.List(fields.String())


class AnswerSchema(_Open):
    """`{objects (or tools), classifications, relations}`."""

    objects = fields.List(fields.Nested(ObjectSchema), allow_none=True)
    tools = fields.List(fields.Nested(ObjectSchema), allow_none=True)
    classifications = fields.List(fields.Nested(ClassificationAnswerSchema), allow_none=True)
    relations = fields.List(fields.Nested(RelationSchema), allow_none=True)


class LabelRecordSchema(AnswerSchema):
    """One import record: the asset it names, and its answer (inline, or under `answer`)."""

    externalId = fields.String(allow_none=True)
    assetId = fields.String(allow_none=True)
    data = fields.String(allow_none=True)
    answer = fields.Nested(AnswerSchema)
