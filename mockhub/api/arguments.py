"""Requests declared on their views: `@arguments(Schema, location=...)` loads and validates the body, query
string, form or files before the view runs, passes the result as a keyword, and records the schema on the view
so /openapi.json describes exactly what each view reads (as flask-smorest's `arguments` does)."""
import functools

from flask import request
from marshmallow import EXCLUDE, RAISE, fields

from mockhub.errors import BadRequest
from mockhub.jsonio import JSONLimitError, parse_json

KEYWORDS = {"json": "body", "query": "query", "form": "form", "files": "files"}


def _json_body():
    raw = request.get_data(cache=True)
    if not raw or not raw.strip():
        return {}
    try:
        data = parse_json(raw)
    except JSONLimitError as exc:
        raise BadRequest(f"body: {exc}") from None
    if not isinstance(data, dict):
        raise BadRequest("body: must be a JSON object")
    return data


def _multi(values, schema):
    """A MultiDict as a dict: list fields get every value, the others the first one."""
    lists = {f.data_key or name for name, f in schema.fields.items() if isinstance(f, fields.List)}
    return {key: values.getlist(key) if key in lists else values.get(key) for key in values}


def read(location, schema):
    """The raw input at `location` as a dict, ready for `schema.load`."""
    if location == "json":
        return _json_body()
    if location == "query":
        return _multi(request.args, schema)
    if location == "form":
        return _multi(request.form, schema)
    if location == "files":
        return request.files.to_dict()
    raise ValueError(f"unknown location {location!r}")


def declared(view):
    """The (schema, location) pairs declared on a view, outermost decorator last."""
    return getattr(view, "_mockhub_arguments", [])


def arguments(schema, location="json", keyword=None):
    """Declare that a view reads `location` ("json", "query", "form", "files") through `schema` (a class or an
    instance); the loaded dict reaches the view as `body`, `query`, `form` or `files` (or `keyword`).

    Query and form schemas ignore parameters they do not declare (the SDKs send more than any view reads);
    body schemas keep their own `unknown` rule. A field error answers 400 naming the field.
    """
    instance = schema() if isinstance(schema, type) else schema
    if location != "json" and instance.unknown == RAISE:
        instance.unknown = EXCLUDE
    name = keyword or KEYWORDS[location]

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            kwargs[name] = instance.load(read(location, instance))
            return view(*args, **kwargs)

        wrapper._mockhub_arguments = [*declared(view), (instance, location)]
        return wrapper

    return decorate
