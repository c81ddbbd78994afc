"""The mockhub pytest plugin (registered by the `pytest11` entry point).

Fixtures: `mockhub_server` (one server per session), `mockhub` (a per-test handle with its own API key,
so its own organization), `ango_sdk` (the official SDK pointed at the server), `mockhub_client` (the
bundled client), `ango_plugin` (a plugin script run against the server, see mockhub/plugin_tools). Marker: `@pytest.mark.mockhub_fixture("demo")` seeds a fixture file for one test.
"""
import os
from pathlib import Path

import pytest

from mockhub.testing import MockHubHandle
from mockhub_client import AngoClient, ApiError
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


def _external_url():
    """The URL of the mockhub MOCKHUB_HOST/MOCKHUB_PORT name, checked to answer as one (else pytest stops with one
    line saying so), or None when neither is set."""
    import requests

    from mockhub.cli_common import server_url

    host, port = os.environ.get("MOCKHUB_HOST"), os.environ.get("MOCKHUB_PORT")
    if not (host or port):
        return None
    if not (port or "8080").isdigit() or not 0 < int(port or 8080) < 65536:
        pytest.exit(f"mockhub: MOCKHUB_PORT={port!r} is not a port (1-65535)", returncode=pytest.ExitCode.USAGE_ERROR)
    url = server_url(host or "127.0.0.1", int(port or 8080))
    try:
        health = AngoClient("", url, timeout=10).health()
        reason = None if isinstance(health, dict) and health.get("status") == "ok" else "it is not a mockhub"
    except ApiError as exc:
        reason = f"it answered HTTP {exc.status}: not a mockhub"
    except requests.RequestException:
        reason = "nothing answers there"
    if reason:
        pytest.exit(f"mockhub: no mockhub runs at {url} (MOCKHUB_HOST/MOCKHUB_PORT; {reason}): start one with "
                    f"`mockhub serve --port {port or 8080}`, or unset them for an in-process server",
                    returncode=pytest.ExitCode.USAGE_ERROR)
    return url


@pytest.fixture(scope="session")
def mockhub_server():
    """One mockhub for the session: in-process on a free port, or MOCKHUB_HOST/MOCKHUB_PORT if set."""
    url = _external_url()
    if url:
        server = _External(url)
    else:
        from mockhub.app import create_app
        from mockhub.server import LiveServer

        server = LiveServer(create_app()).start()
    yield server
    server.stop()


def _fixture_document(name_or_path, test_path):
    """The marker's fixture: a path, one beside the test file, or a shipped fixture's name; a file that cannot
    be loaded fails the test with one line naming the file and the place in it."""
    from mockhub.seed import FixtureError, read_named_fixture

    try:
        return read_named_fixture(name_or_path, near=Path(test_path).parent)[1]
    except FixtureError as exc:
        problem = str(exc)
    pytest.fail(f"mockhub_fixture({name_or_path!r}): {problem}", pytrace=False)  # outside `except`: no chain


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
