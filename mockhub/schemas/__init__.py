"""marshmallow 4 schemas: request validation (load) and the response shapes the contract tests check."""
from marshmallow import ValidationError

from mockhub.errors import BadRequest


def load(schema, data):
    """Validate and load a request body; a non-object body or a field error becomes a 400."""
    if not isinstance(data, dict):
        raise BadRequest("body: must be a JSON object")
    return schema.load(data)


__all__ = ["ValidationError", "load"]
