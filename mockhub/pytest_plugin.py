"""The mockhub pytest plugin (registered by the `pytest11` entry point).

Fixtures: `mockhub_server` (one server per session), `mockhub` (a per-test handle with its own API key,
so its own organization), `ango_sdk` (the official SDK pointed at the server), `mockhub_client` (the
bundled client), `ango_plugin` (a plugin script run against the server, see mockhub/plugin_tools). Marker: `@pytest.mark.mockhub_fixture("demo")` seeds a fixture file for one test.
"""
import json
import os
import uuid
from pathlib import Path

import pytest

from mockhub_client import AngoClient
from mockhub.plugin_tools.fixture import ango_plugin  # noqa: F401  (a fixture: Ango plugin scripts under test)


def pytest_configure(config):
    config.addinivalue_line("markers", "mockhub_fixture(name_or_path): seed this fixture file (a name of a "
                                       "fixture shipped with mockhub, or a path) for the test; ango_sdk then "
                                       "uses the first API key it names")


class _External:
    """A server someone else runs (MOCKHUB_HOST / MOCKHUB_PORT)."""

    def __init__(self, url):
        self.url = url

    def stop(self):
        pass


@pytest.fixture(scope="session")
def mockhub_server():
    """One mockhub for the session: in-process on a free port, or MOCKHUB_HOST/MOCKHUB_PORT if set."""
    host, port = os.environ.get("MOCKHUB_HOST"), os.environ.get("MOCKHUB_PORT")
    if host or port:
        server = _External(f"http://{host or '127.0.0.1'}:{port or 8080}")
        AngoClient("", server.url).health()
    else:
        from mockhub.app import create_app
        from mockhub.server import LiveServer

        server = LiveServer(create_app()).start()
    yield server
    server.stop()


def _fixture_document(name_or_path, test_path):
    from mockhub.seed import FixtureError, read_fixture

    candidates = [Path(name_or_path), Path(test_path).parent / name_or_path]
    for path in candidates:
        if path.is_file():
            try:
                return read_fixture(str(path))  # asset files beside the fixture are read too
            except FixtureError as exc:
                raise pytest.UsageError(f"mockhub_fixture: {exc}") from None
    from importlib import resources

    packaged = resources.files("mockhub.fixtures").joinpath(f"{name_or_path.removesuffix('.json')}.json")
    if packaged.is_file():
        return json.loads(packaged.read_text(encoding="utf-8"))
    raise pytest.UsageError(f"mockhub_fixture: no fixture file {name_or_path!r} (looked in {candidates[0]}, "
                            f"{candidates[1]} and mockhub's own fixtures)")


class MockhubHandle:
    """One test's view of mockhub: its API key (a fresh organization) and the control plane."""

    def __init__(self, url):
        self.url = url
        self.api_key = f"mockhub-test-{uuid.uuid4().hex[:16]}"
        self.client = AngoClient(self.api_key, url)
        self._seeded_keys, self._faults, self._clock_touched = [], [], False

    def sdk(self, api_key=None):
        """The official SDK for this server (with this test's key unless another is given)."""
        from imerit_ango.sdk import SDK

        return SDK(api_key or self.api_key, host=self.url)

    def seed(self, fixture):
        """Seed a fixture (a dict, or a path to a JSON file); its organizations are dropped after the test."""
        if not isinstance(fixture, dict):
            fixture = json.loads(Path(fixture).read_text(encoding="utf-8"))
        created = self.client.seed(fixture)
        self._seeded_keys += [u["apiKey"] for o in fixture.get("organizations", []) for u in o["users"]
                              if u.get("apiKey")]
        return created

    def fault(self, **rule):
        """Add a fault rule; it applies to this test's key unless `apiKey`/`organization` say otherwise."""
        if "organization" not in rule:
            rule.setdefault("apiKey", self.api_key)
        created = self.client.add_fault(rule)
        self._faults.append(created["id"])
        return created

    def freeze_clock(self, at=None):
        self._clock_touched = True
        return self.client.freeze_clock(at)

    def advance_clock(self, seconds):
        self._clock_touched = True
        return self.client.advance_clock(seconds)

    def journal(self, **filters):
        """This test's requests (its organization), oldest first."""
        return [e for e in self.client.journal(**filters) if e["organization"] == self.organization()]

    def organization(self):
        return self.client.get_organization_id()

    def inbox_url(self, name):
        return f"{self.url}/_mockhub/inbox/{name}"

    def inbox(self, name):
        return self.client.inbox(name)

    def reset(self):
        """Drop this test's organization (the key gets a fresh one on its next call)."""
        self.client.reset(api_key=self.api_key)

    def close(self):
        for rule_id in self._faults:
            self.client.delete_fault(rule_id)
        if self._clock_touched:
            self.client.unfreeze_clock()
        for key in self._seeded_keys:
            self.client.reset(api_key=key, missing_ok=True)


@pytest.fixture
def mockhub(request, mockhub_server):
    """A per-test handle: a fresh organization, plus faults, clock, journal, inbox and seeding."""
    handle = MockhubHandle(mockhub_server.url)
    marker = request.node.get_closest_marker("mockhub_fixture")
    if marker:
        document = _fixture_document(marker.args[0], request.node.fspath)
        handle.seed(document)
        keys = [u["apiKey"] for o in document.get("organizations", []) for u in o["users"] if u.get("apiKey")]
        if keys:
            handle.api_key = keys[0]
            handle.client = AngoClient(keys[0], mockhub_server.url)
    yield handle
    handle.close()


@pytest.fixture
def ango_sdk(mockhub):
    """The official imerit-ango SDK pointed at mockhub, with this test's key."""
    pytest.importorskip("imerit_ango", reason="the official SDK (imerit-ango) is not installed")
    return mockhub.sdk()


@pytest.fixture
def mockhub_client(mockhub):
    """The bundled client (mockhub_client.AngoClient) with this test's key."""
    return mockhub.client
