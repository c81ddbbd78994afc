"""`/openapi.json`: mockhub's v2 surface and control plane as OpenAPI 3.0, built from the route table and the
schemas each view declares with `@arguments` (no apispec: the converter below is the 60 lines it would replace)."""
import re

from marshmallow import INCLUDE, fields, validate

import mockhub
from mockhub.api.arguments import declared
from mockhub.api.responding import declared_responses
from mockhub.schemas.openapi_records import Components

_TYPES = [(fields.Email, {"type": "string", "format": "email"}), (fields.Url, {"type": "string", "format": "uri"}),
          (fields.String, {"type": "string"}), (fields.Boolean, {"type": "boolean"}),
          (fields.Integer, {"type": "integer"}), (fields.Number, {"type": "number"}),
          (fields.DateTime, {"type": "string", "format": "date-time"})]


def _validators(field, out):
    for rule in field.validators:
        if isinstance(rule, validate.OneOf):
            out["enum"] = list(rule.choices)
        elif isinstance(rule, validate.Range):
            out.update({k: v for k, v in (("minimum", rule.min), ("maximum", rule.max)) if v is not None})
        elif isinstance(rule, validate.Length):
            low, high = ("minItems", "maxItems") if out.get("type") == "array" else ("minLength", "maxLength")
            out.update({k: v for k, v in ((low, rule.min), (high, rule.max), (low, rule.equal), (high, rule.equal))
                        if v is not None})


def field_schema(field, seen=()):
    """The JSON schema of one marshmallow field (`metadata["openapi"]`, or the field class's `OPENAPI`, overrides
    the type)."""
    if "openapi" in field.metadata:
        out = dict(field.metadata["openapi"])
    elif getattr(field, "OPENAPI", None) is not None:  # a wire field's own description of itself
        out = dict(field.OPENAPI)
    elif isinstance(field, fields.Nested) and field.many:
        out = {"type": "array", "items": schema_object(field.schema, seen)}
    elif isinstance(field, fields.Nested):
        out = schema_object(field.schema, seen)
    elif isinstance(field, fields.List):
        out = {"type": "array", "items": field_schema(field.inner, seen)}
    elif isinstance(field, fields.Dict):
        out = {"type": "object"}
        if field.value_field is not None:
            out["additionalProperties"] = field_schema(field.value_field, seen)
    else:
        out = next((dict(s) for kind, s in _TYPES if isinstance(field, kind)), {})
    _validators(field, out)
    if field.allow_none and out:
        out["nullable"] = True
    return out


def schema_object(schema, seen=()):
    """The JSON schema of a marshmallow schema (instance); a schema nested in itself is described once."""
    if type(schema) in seen:
        return {"type": "object", "description": f"{type(schema).__name__}, as above"}
    seen = (*seen, type(schema))
    props = {f.data_key or name: field_schema(f, seen) for name, f in schema.fields.items() if not f.dump_only}
    required = [f.data_key or name for name, f in schema.fields.items() if f.required]
    out = {"type": "object", "properties": props, "additionalProperties": schema.unknown == INCLUDE}
    if required:
        out["required"] = required
    return out


def _query_parameters(schema):
    return [{"name": f.data_key or name, "in": "query", "required": f.required, "schema": field_schema(f)}
            for name, f in schema.fields.items() if not f.dump_only]


def _body(declarations):
    """The requestBody of the body/form/files declarations, or None."""
    by_location = {location: schema for schema, location in declarations}
    if "json" in by_location:
        schema = by_location["json"]
        return {"required": any(f.required for f in schema.fields.values()),
                "content": {"application/json": {"schema": schema_object(schema)}}}
    parts = [schema_object(by_location[loc]) for loc in ("form", "files") if loc in by_location]
    if not parts:
        return None
    merged = {"type": "object", "properties": {k: v for p in parts for k, v in p["properties"].items()},
              "additionalProperties": any(p["additionalProperties"] for p in parts)}
    required = [name for p in parts for name in p.get("required", ())]
    if required:
        merged["required"] = required
    media = "multipart/form-data" if "files" in by_location else "application/x-www-form-urlencoded"
    return {"required": bool(required), "content": {media: {"schema": merged}}}


def _declared_operation(view, params):
    declarations = declared(view)
    for schema, location in declarations:
        if location == "query":
            params += _query_parameters(schema)
    return _body(declarations)


def _operation(endpoint, method, rule, view, components):
    short = endpoint.split(".", 1)[1]
    params = [{"name": name, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}
              for name in re.findall(r"<(?:\w+:)?(\w+)>", rule.rule)]
    control = rule.rule.startswith("/_mockhub/")
    operation = {"operationId": f"{method.lower()}_{short.replace('.', '_')}", "parameters": params,
                 "responses": {"200": _reply("Success", control=control), "201": _reply("Created", control=control),
                               "default": _reply("Error", True)}}
    if declared_responses(view):  # the records the view answers with (@responds)
        answer = {"application/json": {"schema": components.answer(declared_responses(view))}}
        for code in ("200", "201"):
            operation["responses"][code]["content"] = answer
    if control:
        operation["tags"] = ["control"]
    body = _declared_operation(view, params)
    if body:
        operation["requestBody"] = body
    return operation


def _reply(description, error=False, control=False):
    ref = "#/components/schemas/" + ("Error" if error else "Control" if control else "Envelope")
    return {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}


def _described(rule):
    """The v2 API and the control plane; not the dashboard, the files, or routes still pending."""
    return rule.rule.startswith(("/v2/", "/_mockhub/")) and not rule.endpoint.startswith("v2.pending.")


def build(app):
    """The OpenAPI document of every /v2 and /_mockhub route of `app`."""
    paths, components = {}, Components()
    for rule in app.url_map.iter_rules():
        if not _described(rule):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(rule.endpoint, method, rule,
                                                                    app.view_functions[rule.endpoint], components)
    return {
        "openapi": "3.0.3",
        "info": {"title": "mockhub: Ango Hub API v2 emulator", "version": mockhub.__version__},
        "paths": dict(sorted(paths.items())),
        "components": {
            "securitySchemes": {"apikey": {"type": "apiKey", "in": "header", "name": "apikey"}},
            "schemas": {
                "Envelope": {"type": "object", "required": ["status", "data"],
                             "properties": {"status": {"type": "string", "enum": ["success"]},
                                            "data": {"type": "object"}}},
                **components.schemas,
                "Control": {"type": "object", "description": "a control-plane answer (health has no envelope)"},
                "Error": {"type": "object", "required": ["status", "message"],
                          "properties": {"status": {"type": "string", "enum": ["fail", "error"]},
                                         "message": {"type": "string"},
                                         "error": {"type": "object"}}}}},
        "security": [{"apikey": []}],
    }
