"""Load fixture documents into a store: validated whole first, so a bad file changes nothing."""
import base64
import json
from pathlib import Path

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
    except UnicodeDecodeError:
        raise FixtureError(f"{path}: not a UTF-8 text file") from None
    read_asset_files(data, Path(path).resolve().parent, source=path)
    validate_fixture(data, source=path)
    return data


def read_named_fixture(name_or_path, near=None):
    """Return (source, document) for a fixture file path, a path relative to the folder `near`, or the name of
    a fixture shipped with mockhub (`demo`, the `.json` optional); raise FixtureError naming the file."""
    from importlib import resources

    candidates = [Path(name_or_path)] + ([Path(near) / name_or_path] if near else [])
    shipped = resources.files("mockhub.fixtures").joinpath(f"{str(name_or_path).removesuffix('.json')}.json")
    for path in candidates:
        if path.is_file():
            return str(path), read_fixture(str(path))
    if "/" not in str(name_or_path) and shipped.is_file():
        return f"fixtures/{shipped.name}", read_fixture(str(shipped))
    if len(candidates) == 1 and "/" in str(name_or_path):
        return str(name_or_path), read_fixture(str(name_or_path))  # its own "cannot read" error
    looked = ", ".join(str(path) for path in candidates)
    raise FixtureError(f"{name_or_path}: no such fixture file (looked in {looked} and mockhub's own fixtures: "
                       f"{', '.join(shipped_fixture_names())})")


def shipped_fixture_names():
    """The fixtures mockhub ships (their names, without `.json`)."""
    from importlib import resources

    return sorted(item.name.removesuffix(".json") for item in resources.files("mockhub.fixtures").iterdir()
                  if item.name.endswith(".json"))


def read_asset_files(data, folder, source="fixture"):
    """Inline the bytes of every asset `file` (a path relative to the fixture's folder) as `fileData`."""
    organizations = data.get("organizations") if isinstance(data, dict) else None
    for o, org in enumerate(organizations if isinstance(organizations, list) else []):
        for p, project in enumerate(org.get("projects") or [] if isinstance(org, dict) else []):
            for a, asset in enumerate(project.get("assets") or [] if isinstance(project, dict) else []):
                if not isinstance(asset, dict) or not isinstance(asset.get("file"), str) or "fileData" in asset:
                    continue
                where = f"organizations[{o}].projects[{p}].assets[{a}].file"
                target = (folder / asset["file"]).resolve()
                if folder not in target.parents:
                    raise FixtureError(f"{source}: {where}: {asset['file']} is not inside the fixture's folder")
                try:
                    asset["fileData"] = base64.b64encode(target.read_bytes()).decode("ascii")
                except OSError as exc:
                    raise FixtureError(f"{source}: {where}: cannot read {asset['file']}: {exc.strerror}") from None


def validate_fixture(data, source="fixture"):
    """Check a fixture's shape; raise FixtureError with every field path that is wrong."""
    try:
        return FixtureSchema().load(data)
    except ValidationError as exc:
        raise FixtureError(f"{source}: {field_message(exc.messages)}") from None


def seed(store, data, source="fixture", base_url="", replace=()):
    """Validate a fixture and load it into `store` (all or nothing); return what was created.

    :param base_url: the server's URL, for the URLs of asset files the fixture carries.
    :param replace: organization ids dropped in the same write (their keys and ids count as free).
    """
    return load_fixture(store, validate_fixture(data, source), source, base_url, replace)


def load_fixture(store, fixture, source="fixture", base_url="", replace=()):
    """Load an already validated fixture (see `seed`); raise FixtureError if its references do not hold."""
    try:
        return store.seed_fixture(fixture, base_url, replace=tuple(replace))
    except ValueError as exc:
        raise FixtureError(f"{source}: {exc}") from None


def fixture_keys(fixture):
    """Every API key a (validated) fixture names, its snapshot's included."""
    keys = [u["apiKey"] for org in fixture.get("organizations", ()) for u in org["users"] if u.get("apiKey")]
    tables = (fixture.get("snapshot") or {}).get("tables", {})
    return keys + [u["apiKey"] for u in tables.get("users", ()) if u.get("apiKey")]
