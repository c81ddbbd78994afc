"""The error types of mockhub and the one handler that turns every failure into the API's JSON envelope."""
import logging

from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

log = logging.getLogger("mockhub")


class ApiError(Exception):
    """An error the API answers with: an HTTP status and a message, shaped `{"status":"fail","message":...}`."""

    status = 400

    def __init__(self, message, status=None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class BadRequest(ApiError):
    status = 400


class Unauthorized(ApiError):
    status = 401

    def __init__(self, message="Invalid API KEY"):
        super().__init__(message)


class Forbidden(ApiError):
    status = 403


class NotFound(ApiError):
    status = 404


class PayloadTooLarge(ApiError):
    status = 413


class NotImplementedApi(ApiError):
    status = 501

    def __init__(self, operation):
        super().__init__(f"Not implemented: {operation} is not emulated by mockhub yet (see docs/coverage.md)")
        self.operation = operation


def invalid_project(project_id):
    """Return the documented error for an unknown or malformed project id."""
    return BadRequest(f"Invalid project: {project_id}.")


def field_message(messages):
    """Flatten marshmallow's nested messages into one line naming each field."""
    parts = []

    def walk(prefix, value):
        if isinstance(value, dict):
            for key, sub in value.items():
                if key == "_schema":  # marshmallow's name for "the value itself": name its field instead
                    walk(prefix, sub)
                elif isinstance(key, int) or str(key).isdigit():
                    walk(f"{prefix}[{key}]", sub)
                else:
                    walk(f"{prefix}.{key}" if prefix else str(key), sub)
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            parts.append(f"{prefix or 'body'}: {' '.join(value)}")
        elif isinstance(value, list):
            for index, sub in enumerate(value):
                walk(f"{prefix}[{index}]", sub)
        else:
            parts.append(f"{prefix or 'body'}: {value}")

    walk("", messages)
    return "Validation failed: " + "; ".join(parts)


def printable(text, limit=1000):
    """Make a message safe to answer with, whatever input it repeats: valid UTF-8, at most `limit` characters."""
    text = str(text)
    if len(text) > limit:
        text = text[:limit] + "..."
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _body(message, status=None):
    from flask import g  # late: the store imports this module and must not pull in Flask

    body = {"status": "fail", "message": printable(message)}
    if status is not None and g and g.get("nest_errors"):  # the multipart routes' own error shape (spec 1.4)
        body["error"] = {"statusCode": status}
    return body


def register_error_handlers(app):
    """Install the single handler that shapes every error, Flask's own 404/405 and unexpected 500s included."""

    @app.errorhandler(ApiError)
    def handle_api_error(error):
        return _body(error.message, error.status), error.status

    from mockhub.query.pagination import QueryError

    @app.errorhandler(QueryError)  # a filter found unusable while it runs (a $regex over its time budget)
    def handle_query_error(error):
        return _body(str(error), 400), 400

    @app.errorhandler(ValidationError)
    def handle_validation_error(error):
        return _body(field_message(error.messages), 400), 400

    @app.errorhandler(HTTPException)
    def handle_http_exception(error):
        messages = {404: "Not found: no such endpoint", 405: "Method not allowed",
                    413: "Payload too large"}
        message = messages.get(error.code, error.description or error.name)
        return _body(message), error.code

    @app.errorhandler(Exception)
    def handle_unexpected(error):
        log.exception("unexpected error")
        return {"status": "error", "message": f"Internal error: {type(error).__name__}"}, 500
