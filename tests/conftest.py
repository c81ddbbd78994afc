"""Shared fixtures: a Flask test client per test, one live server per session, an SDK per test (own org)."""
import itertools
import os

import pytest

from mockhub.app import create_app
from mockhub.export import forked
from mockhub.server import LiveServer

_keys = itertools.count(1)
collect_ignore = ["legacy_suites"]  # run by tests/sdk/test_older_releases.py, each in its own environment


@pytest.fixture
def app():
    return create_app({"TESTING": True, "VALIDATE_RESPONSES": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def api(client):
    """Call the v2 API through the test client with a fresh key (its own organization)."""
    key = f"api-test-key-{next(_keys)}"

    def call(method, path, json=None, key=key, **kwargs):
        headers = kwargs.pop("headers", {})
        if key is not None:
            headers.setdefault("apikey", key)
        return client.open(path, method=method, json=json, headers=headers, **kwargs)

    call.key = key
    return call


@pytest.fixture(scope="session")
def live_server():
    with LiveServer(create_app({"VALIDATE_RESPONSES": True})) as server:  # every answer checked against its schema
        yield server


@pytest.fixture(params=["in-process", "in a child process"])
def export_both_ways(request, monkeypatch):
    """Run a test with every export built in the server's process, then in a child forked for it (as big
    projects' exports are on Linux)."""
    if request.param != "in-process":
        if not forked.available():
            pytest.skip("exports are built in a child process on Linux only")
        monkeypatch.setattr(forked, "MIN_TASKS", 0)


@pytest.fixture
def api_key():
    return f"sdk-test-key-{next(_keys)}"


@pytest.fixture
def sdk(live_server, api_key):
    """The official SDK pointed at the live server, with a key no other test uses."""
    from imerit_ango.sdk import SDK

    return SDK(api_key, host=live_server.url)


@pytest.fixture
def project_id(sdk):
    return sdk.create_project("Test project", "made by a test")["data"]["project"]["_id"]


def pytest_addoption(parser):
    parser.addoption("--record", action="store_true", default=False,
                     help="contract tests: save the real hub's responses (normalized) under "
                          "fixtures/contract/recorded/<date>/ (needs ANGO_API_KEY and ANGO_HOST)")


def pytest_configure(config):
    if config.getoption("--record") and not (os.environ.get("ANGO_API_KEY") and os.environ.get("ANGO_HOST")):
        raise pytest.UsageError("--record saves a real Ango Hub's answers, and ANGO_API_KEY and ANGO_HOST are not "
                                "both set: nothing would be recorded (set them, or run without --record)")
