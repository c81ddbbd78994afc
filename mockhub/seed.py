"""Load fixture documents into a store: validated whole first, so a bad file changes nothing."""
import json

from marshmallow import ValidationError

from mockhub.errors import field_message
from mockhub.schemas.fixtures import FixtureSchema


class FixtureError(ValueError):
    """A fixture that cannot be loaded; the message says where (file and field path)."""


def read_fixture(path):
    """Parse a fixture file; raise FixtureError naming the file and the problem."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as exc:
        raise FixtureError(f"{path}: cannot read: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise FixtureError(f"{path}: line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    validate_fixture(data, source=path)
    return data


def validate_fixture(data, source="fixture"):
    """Check a fixture's shape; raise FixtureError with every field path that is wrong."""
    try:
        return FixtureSchema().load(data)
    except ValidationError as exc:
        raise FixtureError(f"{source}: {field_message(exc.messages)}") from None


def seed(store, data, source="fixture"):
    """Validate a fixture and load it into `store` (all or nothing); return what was created."""
    fixture = validate_fixture(data, source)
    try:
        return store.seed_fixture(fixture)
    except ValueError as exc:
        raise FixtureError(f"{source}: {exc}") from None
