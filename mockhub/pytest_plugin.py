"""The mockhub pytest plugin (registered by the `pytest11` entry point).

Fixtures: `mockhub_server` (one server per session), `mockhub` (a per-test handle with its own API key,
so its own organization), `ango_sdk` (the official SDK pointed at the server), `mockhub_client` (the
bundled client), `ango_plugin` (a plugin script run against the server, see mockhub/plugin_tools). Marker: `@pytest.mark.mockhub_fixture("demo")` seeds a fixture file for one test.
"""
import json
import os
from pathlib import Path

import pytest

from mockhub.testing import MockHubHandle
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


MockhubHandle = MockHubHandle  # the name this plugin's handle had before it moved to mockhub.testing


@pytest.fixture
def mockhub(request, mockhub_server):
    """A per-test handle (mockhub.testing.MockHubHandle): a fresh organization, plus its faults, clock,
    journal, request verification, inboxes and seeding."""
    handle = MockHubHandle(mockhub_server.url)
    marker = request.node.get_closest_marker("mockhub_fixture")
    if marker:
        document = _fixture_document(marker.args[0], request.node.fspath)
        handle.seed(document, replace=True)  # loaded already (mockhub serve's demo) or not: seeded once, fresh
        keys = [u["apiKey"] for o in document.get("organizations", []) for u in o["users"] if u.get("apiKey")]
        if keys:
            handle.use_key(keys[0])
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
