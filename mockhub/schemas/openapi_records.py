"""Response schemas as OpenAPI components: each record schema becomes `#/components/schemas/<Name>` (nested
records by reference, so self-nesting classifications stay finite); /openapi.json describes every answer a
view declares with `@responds` this way, and schemathesis checks mockhub's answers against it."""
from marshmallow import fields, validate

from mockhub.schemas.record import Record, nested_record

_SCALARS = {"string": "string", "number": "number", "boolean": "boolean", "object": "object"}


class Components:
    """Collects the component schemas the described answers reference."""

    def __init__(self):
        self.schemas = {}

    def ref(self, schema_class):
        """A `$ref` to the record's component (built on first use); plain `Record` is any object."""
        if schema_class is Record:
            return {"type": "object"}
        name = schema_class.__name__
        if name not in self.schemas:
            self.schemas[name] = {}  # placeholder: a record nested in itself refers back to it
            self.schemas[name] = self._object(schema_class())
        return {"$ref": f"#/components/schemas/{name}"}

    def _field(self, field):
        if isinstance(field, fields.Nested):
            return self.ref(nested_record(field))
        if isinstance(field, fields.List):
            return {"type": "array", "items": self._field(field.inner)}
        kind = _SCALARS.get(field.metadata.get("type"))
        out = {"type": kind} if kind else {}
        for rule in field.validators:
            if isinstance(rule, validate.OneOf):
                out["enum"] = list(rule.choices)
        if field.allow_none and out:
            out["nullable"] = True
        return out

    def _object(self, schema):
        out = {"type": "object", "additionalProperties": True,
               "properties": {f.data_key or name: self._field(f) for name, f in schema.fields.items()}}
        required = [f.data_key or name for name, f in schema.fields.items() if f.required]
        if required:
            out["required"] = required
        return out

    def answer(self, declarations):
        """The success envelope of a view whose `data` keys are declared records."""
        data = {}
        for key, schema, projected_by in declarations:
            item = {"type": "object"} if projected_by else self.ref(type(schema))
            data[key] = {"type": "array", "items": item} if schema.many else item
        return {"type": "object", "required": ["status", "data"],
                "properties": {"status": {"type": "string", "enum": ["success"]},
                               "data": {"type": "object", "properties": data}}}
