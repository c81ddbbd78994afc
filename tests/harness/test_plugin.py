"""The pytest plugin (loaded by its `pytest11` entry point, no conftest) run in fresh pytest processes:
per-test organizations, the bundled client, the fixture marker, clean-up of faults and clock, and
MOCKHUB_HOST / MOCKHUB_PORT pointing the plugin at a server that is already running."""
import uuid

import pytest
from mockhub_client import AngoClient

from mockhub.app import create_app
from mockhub.server import LiveServer

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.slow  # each test runs pytest in a new process

# Other installed plugins the inner runs do not need (hypothesis alone costs a second of imports per run).
QUIET = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-p", "no:anyio")


def run(pytester, **files):
    """Write the test files and run them in a subprocess (no cache dir left behind)."""
    pytester.makepyfile(**files)
    return pytester.runpytest_subprocess("-q", *QUIET)


ISOLATION = '''
import pytest

seen = {}


def project_names(sdk):
    return [p["name"] for p in sdk.list_projects()["data"]["projects"]]


def test_first_sees_only_its_project(ango_sdk, mockhub):
    project_id = ango_sdk.create_project("first", "")["data"]["project"]["_id"]
    assert project_names(ango_sdk) == ["first"]
    seen["first"] = (ango_sdk.api_key, mockhub.organization(), project_id)


def test_second_has_another_organization(ango_sdk, mockhub):
    assert project_names(ango_sdk) == []
    ango_sdk.create_project("second", "")
    assert project_names(ango_sdk) == ["second"]
    key, organization, first_project = seen["first"]
    assert ango_sdk.api_key != key and mockhub.organization() != organization
    with pytest.raises(Exception):
        ango_sdk.get_project(first_project)


def test_the_bundled_client_uses_the_tests_key(mockhub_client, mockhub):
    assert mockhub_client.api_key == mockhub.api_key
    created = mockhub_client.create_project("via client")["project"]
    assert [p["_id"] for p in mockhub_client.list_projects()["projects"]] == [created["_id"]]
    assert [e["operation"] for e in mockhub.journal()] == ["create_project", "list_projects"]


def test_a_fault_and_a_frozen_clock(ango_sdk, mockhub):
    mockhub.fault(path="/v2/listProjects", status=503, organization=None)  # every organization
    mockhub.freeze_clock("2030-01-01T00:00:00Z")
    with pytest.raises(Exception, match="Injected fault"):
        ango_sdk.list_projects()


def test_after_them_nothing_is_left(ango_sdk, mockhub):
    assert mockhub.client.faults() == {"faults": [], "rateLimit": None}
    assert mockhub.client.clock()["frozen"] is False
    assert ango_sdk.list_projects()["data"]["total"] == 0
'''

MARKER = '''
import pytest


def names(sdk):
    return [p["name"] for p in sdk.list_projects()["data"]["projects"]]


@pytest.mark.mockhub_fixture("demo")
def test_demo_once(ango_sdk):
    assert ango_sdk.api_key == "mockhub-demo-key"
    assert names(ango_sdk) == ["Vehicle detection (demo)"]


@pytest.mark.mockhub_fixture("demo.json")
def test_demo_again(ango_sdk, mockhub):
    assert mockhub.api_key == "mockhub-demo-key"
    assert names(ango_sdk) == ["Vehicle detection (demo)"]
    assert names(mockhub.sdk("mockhub-labeler-key")) == ["Vehicle detection (demo)"]


@pytest.mark.mockhub_fixture("no-such-fixture")
def test_missing_fixture(ango_sdk):
    pass


def test_demo_keys_are_gone_after_the_marked_tests(mockhub):
    health = mockhub.client.health()
    assert health["counts"]["projects"] == 0
'''


def test_fixtures_give_each_test_its_own_organization_and_clean_up_after_it(pytester):
    result = run(pytester, test_isolation=ISOLATION)

    result.assert_outcomes(passed=5)


def test_the_fixture_marker_seeds_for_each_test_and_a_missing_file_is_a_clear_error(pytester):
    result = run(pytester, test_marker=MARKER)

    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(["*mockhub_fixture('no-such-fixture'): no-such-fixture: no such fixture file (looked in*"])
    result.stdout.fnmatch_lines(["ERROR*test_marker.py::test_missing_fixture*"])


def test_mockhub_host_and_port_point_the_plugin_at_a_running_server(pytester, monkeypatch):
    name = f"external-{uuid.uuid4().hex[:8]}"
    with LiveServer(create_app()) as server:
        monkeypatch.setenv("MOCKHUB_HOST", server.host)
        monkeypatch.setenv("MOCKHUB_PORT", str(server.port))
        result = run(pytester, test_external=f'''
def test_uses_the_running_server(ango_sdk, mockhub):
    assert mockhub.url == "{server.url}"
    ango_sdk.create_project("{name}", "")
''')
        outer = AngoClient("", server.url)
        journal = outer.journal(operation="create_project", scope="server")
        projects = outer.snapshot(scope="server")["snapshot"]["tables"]["projects"]

    result.assert_outcomes(passed=1)
    assert [(e["method"], e["status"]) for e in journal] == [("POST", 201)]
    assert [(p["name"], p["organization"]) for p in projects] == [(name, journal[0]["organization"])]


MARKED = '''
import pytest


@pytest.mark.mockhub_fixture("demo")
def test_demo_once(ango_sdk):
    ango_sdk.create_project("left behind", "")
    assert "Vehicle detection (demo)" in [p["name"] for p in ango_sdk.list_projects()["data"]["projects"]]


@pytest.mark.mockhub_fixture("demo")
def test_demo_again_from_scratch(ango_sdk):
    assert [p["name"] for p in ango_sdk.list_projects()["data"]["projects"]] == ["Vehicle detection (demo)"]
'''


def test_the_fixture_marker_works_against_a_running_server_that_has_the_fixture_loaded(pytester, monkeypatch):
    from mockhub.cli import demo_fixture
    from mockhub.seed import seed

    with LiveServer(create_app()) as server:
        seed(server.app.extensions["mockhub"].store, demo_fixture())  # what `mockhub serve` starts with
        monkeypatch.setenv("MOCKHUB_PORT", str(server.port))
        loaded = run(pytester, test_marked=MARKED)
        demo = AngoClient("mockhub-demo-key", server.url).list_projects()["total"]
    with LiveServer(create_app()) as empty:
        monkeypatch.setenv("MOCKHUB_PORT", str(empty.port))
        not_loaded = run(pytester, test_marked=MARKED)

    loaded.assert_outcomes(passed=2)
    not_loaded.assert_outcomes(passed=2)
    assert demo == 0  # the marker's organization is dropped after its test
