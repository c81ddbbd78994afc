"""mockhub.testing: MockHub outside pytest (context manager, decorator, start/stop), and request verification
(`requests`, `assert_requested` with near-misses) on the handle that the pytest fixture gives too."""
import uuid

import pytest
import requests
from imerit_ango.sdk import SDK

from mockhub.testing import MockHub, MockHubHandle
from mockhub_client import AngoClient


@pytest.fixture
def handle(live_server):
    with_key = MockHubHandle(live_server.url)
    yield with_key
    with_key.close()


def test_requests_filters_on_the_server_with_shell_patterns_newest_last(handle):
    sdk = handle.sdk()
    first = sdk.create_project("One", "")["data"]["project"]["_id"]
    second = sdk.create_project("Two", "")["data"]["project"]["_id"]
    sdk.get_tasks(first), sdk.get_tasks(second)
    with pytest.raises(Exception):
        sdk.get_project("0" * 24)

    tasks = handle.requests(method="GET", path="/v2/project/*/tasks")
    failed = handle.requests(status=400)

    assert [e["path"] for e in tasks] == [f"/v2/project/{first}/tasks", f"/v2/project/{second}/tasks"]
    assert [(e["method"], e["path"]) for e in failed] == [("GET", f"/v2/project/{'0' * 24}")]
    assert [e["operation"] for e in handle.requests()] == ["create_project", "create_project", "get_tasks",
                                                           "get_tasks", "get_project"]


def test_assert_requested_counts_and_matches_the_body(handle):
    sdk = handle.sdk()
    sdk.create_project("Zebra crossing", "")
    sdk.create_project("Other", "")

    matched = handle.assert_requested("POST", "/v2/project", body_contains="Zebra", times=1)
    handle.assert_requested("POST", "/v2/project", times=2)

    assert [e["status"] for e in matched] == [201]


def test_a_failed_assertion_lists_the_closest_requests_that_were_made(handle):
    sdk = handle.sdk()
    project_id = sdk.create_project("Near", "")["data"]["project"]["_id"]
    sdk.get_tasks(project_id)
    sdk.list_projects()

    with pytest.raises(AssertionError) as missing:
        handle.assert_requested("GET", "/v2/project/*/task")
    with pytest.raises(AssertionError) as too_few:
        handle.assert_requested("GET", "/v2/project/*/tasks", times=3)

    lines = str(missing.value).splitlines()
    assert lines[0] == "expected GET /v2/project/*/task at least once, found 0"
    assert lines[1] == "closest requests made:"
    assert lines[2].startswith(f"  GET /v2/project/{project_id}/tasks?") and lines[2].endswith("-> 200")
    assert {"  POST /v2/project -> 201", "  GET /v2/listProjects?page=1&limit=10 -> 200"} <= set(lines[3:])
    assert str(too_few.value).startswith("expected GET /v2/project/*/tasks 3 time(s), found 1\n  matched: GET ")


def test_a_journal_read_is_one_round_trip_however_long_the_journal(handle, monkeypatch):
    sdk = handle.sdk()
    for number in range(30):
        sdk.create_project(f"P{number}", "")
    calls = []
    real = handle.client.session.request
    monkeypatch.setattr(handle.client.session, "request", lambda *a, **k: calls.append(a[:2]) or real(*a, **k))

    entries = handle.journal()
    handle.requests(method="POST")
    handle.assert_requested("POST", "/v2/project", times=30)

    assert len(entries) == 30
    assert [method for method, _ in calls] == ["GET", "GET", "GET"]


def test_mockhub_as_a_context_manager_gives_the_fixtures_handle_on_a_server_of_its_own():
    with MockHub() as hub:
        project = hub.sdk().create_project("Outside pytest", "")["data"]["project"]
        other = hub.handle()
        hub.assert_requested("POST", "/v2/project", times=1)
        seen_by_other = other.client.list_projects()["total"]
        url = hub.url

    assert project["name"] == "Outside pytest" and seen_by_other == 0
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/_mockhub/health", timeout=5)


def test_mockhub_as_a_decorator_and_with_start_and_stop():
    hub = MockHub()

    @hub
    def pipeline(name):
        return SDK(hub.api_key, host=hub.url).create_project(name, "")["data"]["project"]["name"]

    assert pipeline("Decorated") == "Decorated"
    assert hub.server is None  # stopped after the call
    started = MockHub().start()
    try:
        assert started.client.health()["status"] == "ok"
        started.freeze_clock("2030-01-01T00:00:00Z")
        assert started.sdk().create_project("Timed", "")["data"]["project"]["createdAt"] == "2030-01-01T00:00:00.000Z"
    finally:
        started.stop()


def test_seeding_through_a_server_with_a_control_key():
    key = f"seeded-{uuid.uuid4().hex[:8]}"
    fixture = {"organizations": [{"name": "Keyed", "users": [{"email": "a@keyed.test", "apiKey": key,
                                                             "role": "admin"}], "projects": [{"name": "P"}]}]}
    with MockHub({"CONTROL_KEY": "secret-control"}) as hub:
        refused = requests.post(f"{hub.url}/_mockhub/seed?scope=server", json=fixture, timeout=10)
        hub.seed(fixture)
        names = [p["name"] for p in AngoClient(key, hub.url).list_projects()["projects"]]
        hub.close()
        gone = AngoClient(key, hub.url).list_projects()["total"]

    assert refused.status_code == 403
    assert names == ["P"] and gone == 0
