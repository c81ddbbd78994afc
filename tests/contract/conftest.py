"""Contract targets: `mock` (mockhub, always) and `real` (an Ango Hub named by ANGO_HOST, with ANGO_API_KEY)."""
import datetime
import json
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from mockhub.schemas.responses import shape_errors
from mockhub_client import AngoClient

RECORDED = Path(__file__).resolve().parents[2] / "fixtures" / "contract" / "recorded"
_ID = re.compile(r"^[0-9a-f]{23,24}$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")


def normalize(value):
    """Replace volatile values (ids, times, emails, URLs) by placeholders, keeping the JSON types."""
    if isinstance(value, dict):
        return {key: normalize(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalize(item) for item in value]
    if isinstance(value, str):
        for pattern, placeholder in ((_ID, "<id>"), (_UUID, "<uuid>"), (_TIME, "<time>")):
            if pattern.match(value):
                return placeholder
        if "@" in value and " " not in value:
            return "<email>"
        if value.startswith(("http://", "https://")):
            return "<url>"
    return value


def missing_from(recorded, actual, path="$"):
    """List where `actual` lacks a key of `recorded` or has another JSON type there."""
    problems = []
    if isinstance(recorded, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object"]
        for key, item in recorded.items():
            if key not in actual:
                problems.append(f"{path}.{key}: missing")
            else:
                problems += missing_from(item, actual[key], f"{path}.{key}")
    elif isinstance(recorded, list) and recorded:
        if not isinstance(actual, list):
            return [f"{path}: expected a list"]
        if actual:
            problems += missing_from(recorded[0], actual[0], f"{path}[0]")
    elif recorded is not None and actual is not None and type(recorded) is not type(actual):
        if not (isinstance(recorded, (int, float)) and isinstance(actual, (int, float))):
            problems.append(f"{path}: {type(actual).__name__} where the hub has {type(recorded).__name__}")
    return problems


def newest_recording(name):
    dated = sorted(p for p in RECORDED.glob("*/") if p.is_dir())
    for folder in reversed(dated):
        path = folder / f"{name}.json"
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
    return None


@dataclass
class Target:
    name: str
    client: AngoClient
    record_mode: bool

    def check(self, shape, document, recording=None):
        """Assert the document has the shape; save it (real + --record) or compare it with a recording (mock)."""
        assert shape_errors(shape, document) == {}, f"{self.name} answer does not have the {shape} shape"
        if recording and self.name == "real" and self.record_mode:
            folder = RECORDED / datetime.date.today().isoformat()
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{recording}.json").write_text(json.dumps(normalize(document), indent=1) + "\n")
        elif recording and self.name == "mock":
            recorded = newest_recording(recording)
            if recorded is not None:
                assert missing_from(recorded, document) == [], f"mockhub's {recording} differs from the recording"
        return document


@pytest.fixture(params=["mock", "real"])
def target(request, live_server):
    record_mode = request.config.getoption("--record")
    if request.param == "real":
        key, host = os.environ.get("ANGO_API_KEY"), os.environ.get("ANGO_HOST")
        if not (key and host):
            pytest.skip("real target: set ANGO_API_KEY and ANGO_HOST to run the contract suite against an Ango Hub")
        return Target("real", AngoClient(key, host.rstrip("/")), record_mode)
    return Target("mock", AngoClient(f"contract-{uuid.uuid4().hex[:12]}", live_server.url), record_mode)


@pytest.fixture
def scratch_project(target):
    """A project made for one test, deleted afterwards (on a real hub too)."""
    project = target.client.create_project(f"mockhub contract {uuid.uuid4().hex[:8]}", "scratch project")["project"]
    yield project
    target.client.delete_project(project["_id"])
