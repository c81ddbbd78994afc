"""The base of every response schema: a record whose declared fields are its documented shape.

Dumping through a `Record` fills documented defaults and keeps every value as it is (the scalar fields are
`Raw` with a type check that runs when a document is validated); undeclared keys pass through, since the
service adds fields over time. Each field names its source in `metadata["source"]` (legend in docs/records.md).
"""
import functools

from marshmallow import INCLUDE, Schema, ValidationError, fields, missing, post_dump


class Record(Schema):
    class Meta:
        unknown = INCLUDE

    @post_dump(pass_original=True)
    def _keep_undeclared(self, data, original, **kwargs):
        if not isinstance(original, dict):
            return original
        return {**data, **{key: value for key, value in original.items() if key not in self.dump_fields}}


def nested_record(field):
    """The record class a Nested field (or a list of them) holds, or None."""
    field = field.inner if isinstance(field, fields.List) else field
    if not isinstance(field, fields.Nested):
        return None
    nested = field.nested
    nested = nested() if callable(nested) and not isinstance(nested, type) else nested
    return nested if isinstance(nested, type) else type(nested)


@functools.cache
def fills_defaults(schema_class, _seen=()):
    """Whether dumping through the record (or a record nested in it) adds anything: a `dump_default`."""
    for field in schema_class._declared_fields.values():
        if field.dump_default is not missing:
            return True
        nested = nested_record(field)
        if nested and nested not in _seen and fills_defaults(nested, (*_seen, schema_class)):
            return True
    return False


def dump(schema, value):
    """Dump `value` through a record schema instance; a record that fills no default dumps as it is, so the
    walk is skipped (a page of 1000 tasks with large answers would otherwise cost most of a second)."""
    return schema.dump(value) if fills_defaults(type(schema)) else value


def _typed(kinds, label):
    def check(value):
        if isinstance(value, bool) and bool not in kinds:
            raise ValidationError(f"must be {label}")
        if not isinstance(value, kinds):
            raise ValidationError(f"must be {label}")
    return check


def _field(kinds, label, source, validate=None, **options):
    checks = [_typed(kinds, label), *([validate] if validate else [])]
    return fields.Raw(validate=checks, metadata={"source": source, "type": label.split(" ", 1)[1]}, **options)


def Str(source, **options):
    """A string field (its value is dumped as it is)."""
    return _field((str,), "a string", source, **options)


def Num(source, **options):
    """A number field: int or float, never a bool."""
    return _field((int, float), "a number", source, **options)


def Bool(source, **options):
    """A boolean field."""
    return _field((bool,), "a boolean", source, **options)


def Obj(source, **options):
    """A free-form JSON object."""
    return _field((dict,), "an object", source, **options)


def Any(source, **options):
    """Any JSON value (answers, geometry, ids that may be objects)."""
    return fields.Raw(metadata={"source": source}, **options)


def Strs(source, **options):
    """A list of strings."""
    return fields.List(_field((str,), "a string", ""), metadata={"source": source}, **options)


def Many(schema, source, **options):
    """A list of nested records."""
    return fields.List(fields.Nested(schema), metadata={"source": source}, **options)


def One(schema, source, **options):
    """One nested record."""
    return fields.Nested(schema, metadata={"source": source}, **options)


def Items(source, **options):
    """A list of any JSON values."""
    return fields.List(fields.Raw(), metadata={"source": source}, **options)
