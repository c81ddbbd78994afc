"""Responses declared on their views: `@responds("tasks", TaskSchema, many=True)` dumps `data.tasks` through
the record's response schema (mockhub.schemas.responses, the single source of the shape) and records it on the
view, beside `@arguments`' request schemas. With `VALIDATE_RESPONSES` on (the test suite turns it on), an answer
that lacks a documented field, at any depth, is a 500 naming the field instead of a quiet wrong shape."""
import functools

from flask import current_app

from mockhub.errors import ApiError, field_message
from mockhub.schemas.record import dump


def declared_responses(view):
    """The (data key, schema, projected_by) declarations on a view."""
    return getattr(view, "_mockhub_responses", [])


def _checked(key, schema, value, partial):
    document = dump(schema, value)
    if current_app.config.get("VALIDATE_RESPONSES"):
        errors = schema.validate(document, partial=partial)
        if errors:
            raise ApiError(f"response shape: {key}: {field_message(errors)}", 500)
    return document


def responds(key, schema, many=False, projected_by=None):
    """Declare that a view's `data[key]` is one record (or, with `many`, a list of records) of `schema`;
    `projected_by` names a loaded query argument that picks the fields to return (then none is required);
    such a view puts `@responds` under its `@arguments`, so the loaded `query` reaches it."""
    instance = schema(many=many) if isinstance(schema, type) else schema

    def decorate(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            answer = view(*args, **kwargs)
            body = answer[0] if isinstance(answer, tuple) else answer
            data = body.get("data") if isinstance(body, dict) else None
            if isinstance(data, dict) and key in data:
                projected = bool(projected_by and (kwargs.get("query") or {}).get(projected_by))
                data[key] = _checked(key, instance, data[key], projected)
            return answer

        wrapper._mockhub_responses = [*declared_responses(view), (key, instance, projected_by)]
        return wrapper

    return decorate
