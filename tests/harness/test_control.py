"""The control plane over HTTP: health, journal, faults and the rate limit, clock, inbox, reset, seed, snapshot,
coverage and --seed determinism. Every control acts for the caller's organization (its key); tests of
whole-server actions (scope=server) run their own LiveServer so the shared session server is untouched."""
import contextlib
import hashlib
import hmac
import json
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from importlib.metadata import version

import pytest
import requests
from imerit_ango.models.annotate import AnnotationPayload, Answer
from imerit_ango.models.enums import ReviewStatus
from imerit_ango.sdk import SDK

from mockhub.app import create_app
from mockhub.server import LiveServer
from mockhub_client import AngoClient, ApiError

ONTOLOGY = {"tools": [{"schemaId": "box1", "title": "Box", "tool": "bounding-box"}], "classifications": [],
            "relations": []}
BOX = {"schemaId": "box1", "objectId": "car-1", "bounding-box": {"x": 1, "y": 2, "width": 30, "height": 40}}
FROZEN_AT = "2030-01-01T00:00:00.000Z"


# --- helpers --------------------------------------------------------------------------------------------------

def unique(tag):
    return f"harness-{tag}-{uuid.uuid4().hex[:12]}"


def control(server, key=None):
    """A client for the control plane: with `key`'s organization (a fresh one by default)."""
    return AngoClient(key or unique("control"), server.url)


def server_control(server):
    """A client for whole-server actions (scope=server; the server has no control key, the caller is local)."""
    return AngoClient("", server.url)


@contextlib.contextmanager
def own_servers(*configs):
    """Fresh servers of their own (one per config); stopped in parallel, as each stop waits out a poll."""
    servers = [LiveServer(create_app(config)).start() for config in configs]
    try:
        yield servers
    finally:
        stopping = [threading.Thread(target=server.stop) for server in servers]
        for thread in stopping:
            thread.start()
        for thread in stopping:
            thread.join()


@contextlib.contextmanager
def own_server(config=None):
    with own_servers(config) as (server,):
        yield server


@pytest.fixture(scope="module")
def scratch_server():
    """A server of this module's own for requests that must be refused: if one is not, only it is spoiled."""
    with own_server() as server:
        yield server


def counts(server):
    return server_control(server).health()["counts"]


def upload(sdk, project_id, *names):
    assets = [{"data": f"https://cdn.example.com/{name}.png", "externalId": name} for name in names]
    assert sdk.upload_files_cloud(project_id, assets)["status"] == "success"
    return {t["externalId"]: t for t in sdk.get_tasks(project_id, limit=100)["data"]["tasks"]}


def submit(sdk, task_id, *objects):
    sdk.annotate_task(task_id, AnnotationPayload(Answer(objects=list(objects))), overwrite=True,
                      send_to_next_stage=True)


def history(sdk, task_id):
    return sdk.get_task_history(task_id=task_id)["data"]["taskHistory"]


def new_project(sdk, name="Harness project"):
    return sdk.create_project(name, "")["data"]["project"]["_id"]


def stage(stage_id, kind, *next_ids, **fields):
    return {"id": stage_id, "type": kind, "name": fields.pop("name", stage_id), "next": list(next_ids),
            "position": {"x": 0, "y": 0}, **fields}


def raw(server, method, path, key=None, **kwargs):
    headers = {"apikey": key} if key else {}
    return requests.request(method, server.url + path, headers=headers, timeout=10, **kwargs)


def refused(call):
    """Run a client call that must fail; return its ApiError."""
    with pytest.raises(ApiError) as caught:
        call()
    return caught.value


@pytest.fixture
def hub(live_server, api_key):
    """The bundled client with the same key as the `sdk` fixture."""
    return AngoClient(api_key, live_server.url)


@pytest.fixture
def faults(hub):
    """Add fault rules for the test's organization; every rule added is deleted after the test."""
    added = []

    def add(**rule):
        created = hub.add_fault(rule)
        added.append(created["id"])
        return created

    yield add
    for rule_id in added:
        hub.delete_fault(rule_id)


# --- health ---------------------------------------------------------------------------------------------------

def test_health_is_ok_with_the_package_version_and_counts_that_follow_an_upload(sdk, project_id, live_server):
    response = raw(live_server, "GET", "/_mockhub/health")
    before = response.json()

    upload(sdk, project_id, "one", "two")

    assert response.status_code == 200
    assert (before["status"], before["version"]) == ("ok", version("mockhub"))
    assert counts(live_server) == dict(before["counts"], assets=before["counts"]["assets"] + 2,
                                       tasks=before["counts"]["tasks"] + 2)


# --- journal --------------------------------------------------------------------------------------------------

def test_journal_records_an_sdk_call_with_its_operation_and_organization(sdk, project_id, hub):
    sdk.get_tasks(project_id)

    entries = hub.journal(path=f"/v2/project/{project_id}/tasks")

    assert [(e["method"], e["path"], e["status"], e["operation"], e["organization"]) for e in entries] == [
        ("GET", f"/v2/project/{project_id}/tasks", 200, "get_tasks", hub.get_organization_id())]
    assert "limit=10" in entries[0]["query"]


def test_journal_filters_by_method_path_status_operation_and_limit():
    with own_server() as server:
        sdk = SDK(unique("journal"), host=server.url)
        project_id = new_project(sdk)
        sdk.get_project(project_id)
        with pytest.raises(Exception):
            sdk.get_project("0" * 24)
        sdk.get_tasks(project_id)
        journal = control(server, sdk.api_key).journal

        def summary(**filters):
            return [(e["method"], e["operation"], e["status"]) for e in journal(**filters)]

        assert summary() == [("POST", "create_project", 201), ("GET", "get_project", 200),
                             ("GET", "get_project", 400), ("GET", "get_tasks", 200)]
        assert summary(method="post") == [("POST", "create_project", 201)]
        assert summary(path="*/tasks") == [("GET", "get_tasks", 200)]
        assert summary(path=f"/v2/project/{project_id}") == [("GET", "get_project", 200)]
        assert summary(path="/v2/project/*") == [("GET", "get_project", 200), ("GET", "get_project", 400),
                                                 ("GET", "get_tasks", 200)]
        assert summary(status=400) == [("GET", "get_project", 400)]
        assert summary(operation="get_project") == [("GET", "get_project", 200), ("GET", "get_project", 400)]
        assert summary(method="GET", limit=2) == [("GET", "get_project", 400), ("GET", "get_tasks", 200)]
        assert control(server).journal() == []  # another organization's journal: its own, empty


def test_journal_delete_clears_it_and_control_plane_calls_are_not_journaled():
    with own_server() as server:
        client = AngoClient(unique("journal"), server.url)
        client.list_projects()
        assert len(client.journal()) == 1

        response = raw(server, "DELETE", "/_mockhub/journal", client.api_key)
        client.health(), client.whoami(), client.faults(), client.clock(), client.inbox("box")
        client.coverage(), client.snapshot(), client.webhook_deliveries()
        after_control_calls = client.journal()
        client.list_projects()

        assert response.status_code == 200
        assert after_control_calls == []
        assert [e["path"] for e in client.journal()] == ["/v2/listProjects"]


def test_journal_keeps_only_the_newest_journal_size_requests():
    with own_server({"JOURNAL_SIZE": 5}) as server:
        client = AngoClient(unique("journal"), server.url)
        for page in range(1, 8):
            client.list_projects(page=page)

        entries = client.journal()

    assert [e["query"] for e in entries] == [f"page={page}&limit=10" for page in range(3, 8)]


def test_a_faulted_request_is_journaled_under_its_organization(sdk, project_id, hub, api_key, faults):
    faults(path=f"/v2/project/{project_id}/tasks", status=503, apiKey=api_key)
    with pytest.raises(Exception):
        sdk.get_tasks(project_id)

    (entry,) = hub.journal(path=f"/v2/project/{project_id}/tasks")

    assert (entry["status"], entry["organization"]) == (503, hub.get_organization_id())


# --- faults ---------------------------------------------------------------------------------------------------

def test_fault_answers_its_status_and_body_on_its_path_for_its_key_only(sdk, project_id, live_server, api_key,
                                                                       faults):
    body = {"status": "fail", "message": "maintenance window"}
    faults(path="/v2/project/*/tasks", status=503, body=body, apiKey=api_key)
    other = SDK(unique("other"), host=live_server.url)
    other_project = new_project(other)

    with pytest.raises(Exception) as caught:
        sdk.get_tasks(project_id)

    assert json.loads(str(caught.value)) == body
    assert sdk.get_project(project_id)["data"]["project"]["_id"] == project_id  # another path: untouched
    assert other.get_tasks(other_project)["data"]["total"] == 0                 # another key: untouched


def test_fault_with_times_applies_to_the_first_matching_requests_only(project_id, live_server, api_key, faults):
    rule = faults(path=f"/v2/project/{project_id}", status=500, apiKey=api_key, times=2)

    statuses = [raw(live_server, "GET", f"/v2/project/{project_id}", api_key).status_code for _ in range(4)]

    assert statuses == [500, 500, 200, 200]
    (listed,) = [r for r in control(live_server, api_key).faults()["faults"] if r["id"] == rule["id"]]
    assert listed["matched"] == 2


def test_fault_with_probability_zero_never_fires(project_id, live_server, api_key, faults):
    rule = faults(path=f"/v2/project/{project_id}", status=500, apiKey=api_key, probability=0)

    statuses = {raw(live_server, "GET", f"/v2/project/{project_id}", api_key).status_code for _ in range(10)}

    assert statuses == {200}
    (listed,) = [r for r in control(live_server, api_key).faults()["faults"] if r["id"] == rule["id"]]
    assert listed["matched"] == 0


def test_fault_latency_delays_the_answer_by_at_least_its_milliseconds(project_id, live_server, api_key, faults):
    faults(path=f"/v2/project/{project_id}", latencyMs=200, apiKey=api_key)

    started = time.perf_counter()
    response = raw(live_server, "GET", f"/v2/project/{project_id}", api_key)
    elapsed = time.perf_counter() - started

    assert response.status_code == 200
    assert response.json()["data"]["project"]["_id"] == project_id
    assert elapsed >= 0.2


def test_fault_drop_closes_the_connection_without_an_answer(project_id, live_server, api_key, faults):
    faults(path=f"/v2/project/{project_id}", drop=True, apiKey=api_key, times=1)

    with pytest.raises(requests.ConnectionError):
        raw(live_server, "GET", f"/v2/project/{project_id}", api_key)

    assert raw(live_server, "GET", f"/v2/project/{project_id}", api_key).status_code == 200


@pytest.mark.parametrize("rule, message", [
    ({"status": 99}, "status: an HTTP status code from 100 to 599"),
    ({"status": "503"}, "status: Not a valid integer."),
    ({"latencyMs": -1}, "latencyMs: milliseconds from 0 to 60000"),
    ({"status": 500, "probability": 1.5}, "probability: a fraction from 0 to 1"),
    ({"status": 500, "times": 0}, "times: a positive whole number"),
    ({"status": 500, "colour": "red"}, "colour: Unknown field."),
    ({"status": 500, "organization": "someone-else"}, "organization: a rule applies to the caller's own"),
    ({"path": "/v2/listProjects"}, "fault: give status (with an optional body), latencyMs, or drop"),
    ([{"status": 500}], "body: must be a JSON object"),
], ids=["status-low", "status-string", "latency", "probability", "times", "unknown-key", "other-org", "no-effect",
        "list"])
def test_an_invalid_fault_rule_is_refused_naming_the_field(live_server, hub, rule, message):
    before = hub.faults()

    response = raw(live_server, "POST", "/_mockhub/faults", hub.api_key, json=rule)

    assert response.status_code == 400
    assert response.json()["status"] == "fail"
    assert message in response.json()["message"]
    assert hub.faults() == before


def test_faults_can_be_deleted_one_by_one_or_all_at_once():
    with own_server() as server:
        client = control(server)
        first, second, third = (client.add_fault({"path": f"/v2/p{n}", "status": 500}) for n in range(3))

        client.delete_fault(second["id"])
        remaining = [r["id"] for r in client.faults()["faults"]]
        missing = refused(lambda: client.delete_fault(second["id"]))
        cleared = client.clear_faults()

        assert remaining == [first["id"], third["id"]]
        assert (missing.status, missing.message) == (404, f"Fault rule not found: {second['id']}")
        assert cleared == {"removed": 2}
        assert client.faults()["faults"] == []


def test_rate_limit_answers_429_past_the_limit_per_organization_until_turned_off():
    with own_server() as server:
        limited, other = AngoClient(unique("limited"), server.url), AngoClient(unique("other"), server.url)
        limited.whoami(), other.whoami()  # both organizations exist before the limit counts anything
        limited.set_rate_limit(3)

        statuses = [raw(server, "GET", "/v2/listProjects", limited.api_key).status_code for _ in range(3)]
        over = raw(server, "GET", "/v2/listProjects", limited.api_key)
        other_total = other.list_projects()["total"]
        other_limit = other.faults()["rateLimit"]
        limited.set_rate_limit(enabled=False)

        assert statuses == [200, 200, 200]
        assert over.status_code == 429
        assert over.json() == {"status": "fail", "message": "Too many requests: the limit is 3 requests per minute"}
        assert (other_total, other_limit) == (0, None)  # the limit is the limited organization's only
        assert limited.list_projects()["total"] == 0
        assert limited.faults()["rateLimit"] is None


def test_rate_limit_counts_the_request_that_creates_the_organization():
    with own_server() as server:
        key = unique("fresh")
        control(server, key).set_rate_limit(3)  # a control call makes the organization; it counts no request

        statuses = [raw(server, "GET", "/v2/listProjects", key).status_code for _ in range(4)]

        assert statuses == [200, 200, 200, 429]


def test_rate_limit_refuses_a_bad_per_minute(scratch_server):
    key = unique("limit")
    response = raw(scratch_server, "POST", "/_mockhub/faults/rate-limit", key, json={"perMinute": 0})

    assert response.status_code == 400
    assert "perMinute: a positive whole number" in response.json()["message"]
    assert control(scratch_server, key).faults()["rateLimit"] is None


# --- clock ----------------------------------------------------------------------------------------------------

def test_frozen_clock_stamps_new_projects_and_advancing_it_sets_task_durations():
    with own_server() as server:
        sdk = SDK(unique("clock"), host=server.url)
        clock = control(server, sdk.api_key)
        frozen = clock.freeze_clock("2030-01-01T00:00:00Z")
        project = sdk.create_project("Timed", "")["data"]["project"]
        task = upload(sdk, project["_id"], "a")["a"]
        advanced = clock.advance_clock(90)
        submit(sdk, task["_id"], BOX)

        label_record = [h for h in history(sdk, task["_id"]) if h["stage"] == "Label"]
        assert frozen == {"now": FROZEN_AT, "frozen": True, "offsetSeconds": 0.0}
        assert project["createdAt"] == FROZEN_AT
        assert advanced["now"] == "2030-01-01T00:01:30.000Z"
        assert [(h["duration"], h["completedAt"]) for h in label_record] == [(90_000, "2030-01-01T00:01:30.000Z")]

        released = clock.unfreeze_clock()
        later = sdk.create_project("Real time", "")["data"]["project"]["createdAt"]
        real_now = datetime.now(timezone.utc)
        assert released["frozen"] is False and released["offsetSeconds"] == 0.0
        assert abs(datetime.fromisoformat(later.replace("Z", "+00:00")) - real_now) < timedelta(minutes=1)


@pytest.mark.parametrize("path, body, message", [
    ("/clock/freeze", {"at": "yesterday"}, "at: 'yesterday' is not an ISO 8601 time between the years 2 and 9998"),
    ("/clock/freeze", {"at": "9999-12-31T23:59:59Z"}, "at: '9999-12-31T23:59:59Z' is not an ISO 8601 time"),
    ("/clock/set", {}, "at: Missing data for required field."),
    ("/clock/advance", {"seconds": -5}, "seconds: a number of seconds from 0 to"),
    ("/clock/advance", {"seconds": 1e300}, "seconds: a number of seconds from 0 to"),
    ("/clock/advance", {"seconds": "90"}, "seconds: a JSON number"),
    ("/clock/advance", {"seconds": True}, "seconds: a JSON number"),
    ("/clock/advance", {"seconds": 90, "minutes": 1}, "minutes: Unknown field."),
], ids=["freeze-bad-time", "freeze-year-9999", "set-without-time", "advance-negative", "advance-huge",
        "advance-string", "advance-bool", "unknown-field"])
def test_bad_clock_input_is_refused_and_leaves_the_clock_alone(scratch_server, path, body, message):
    key = unique("clock")
    response = raw(scratch_server, "POST", f"/_mockhub{path}", key, json=body)

    assert response.status_code == 400 and response.json()["status"] == "fail"
    assert message in response.json()["message"]
    state = control(scratch_server, key).clock()
    assert (state["frozen"], state["offsetSeconds"]) == (False, 0.0)


# --- inbox ----------------------------------------------------------------------------------------------------

def test_inbox_records_posts_lists_them_and_delete_clears_it(live_server, hub):
    box, other_box = unique("box"), unique("box")
    url = hub.inbox_url(box)  # no key needed to post there: webhook senders carry none

    posted = requests.post(url, json={"hello": "world"}, headers={"X-Test": "yes"}, timeout=10)
    requests.post(hub.inbox_url(other_box), data=b"plain", timeout=10)
    (message,) = hub.inbox(box)
    stranger = control(live_server)
    strangers_box = stranger.inbox(box)
    cleared = requests.delete(f"{live_server.url}/_mockhub/inbox/{box}", headers={"apikey": hub.api_key}, timeout=10)

    assert posted.json() == {"status": "success", "data": {"received": len(b'{"hello": "world"}')}}
    assert (message["method"], message["json"], message["body"]) == ("POST", {"hello": "world"},
                                                                      '{"hello": "world"}')
    assert message["headers"]["X-Test"] == "yes"
    assert strangers_box == [] and stranger.inbox_url(box) != url  # the same name is another box elsewhere
    assert cleared.status_code == 200
    assert hub.inbox(box) == []
    assert [m["body"] for m in hub.inbox(other_box)] == ["plain"]


def test_a_webhook_stage_pointed_at_the_inbox_delivers_there(sdk, project_id, hub):
    box, secret = unique("hook"), "s3cret"
    sdk.update_workflow_stages(project_id, [
        stage("Start", "Start", "Hook", autoForward=True),
        stage("Hook", "Webhook", "Label", webhook={"url": hub.inbox_url(box), "secret": secret}),
        stage("Label", "Label", "Complete"),
        stage("Complete", "Complete")])

    task = upload(sdk, project_id, "street")["street"]

    (message,) = hub.inbox(box)
    assert message["headers"]["X-Hub-Signature"] == hmac.new(secret.encode(), message["body"].encode(),
                                                              hashlib.sha1).hexdigest()
    assert (message["json"]["projectId"], message["json"]["externalId"]) == (project_id, "street")
    assert message["json"]["task"]["taskId"] == task["_id"]
    assert task["stage"] == "Label"


# --- reset ----------------------------------------------------------------------------------------------------

def test_reset_by_api_key_drops_only_that_organization(sdk, project_id, hub, live_server):
    upload(sdk, project_id, "a", "b")
    other = SDK(unique("bystander"), host=live_server.url)
    other_project = new_project(other, "Bystander")
    old_org = hub.get_organization_id()
    before = counts(live_server)

    answer = control(live_server).reset(api_key=hub.api_key)
    after = counts(live_server)

    assert answer == {"reset": old_org}
    assert after == dict(before, organizations=before["organizations"] - 1, users=before["users"] - 1,
                         projects=before["projects"] - 1, assets=before["assets"] - 2, tasks=before["tasks"] - 2)
    assert hub.list_projects()["total"] == 0
    assert hub.get_organization_id() != old_org
    assert refused(lambda: hub.get_project(project_id)).status in (400, 404)
    assert other.get_project(other_project)["data"]["project"]["name"] == "Bystander"


def test_reset_of_an_unknown_api_key_is_404_and_changes_nothing(live_server):
    before = counts(live_server)

    response = raw(live_server, "POST", "/_mockhub/reset", unique("nobody"))

    assert (response.status_code, response.json()["message"]) == (
        404, "Organization not found: no organization has that apikey")
    assert counts(live_server) == before


def test_reset_all_gives_a_fresh_server():
    with own_server() as server:
        client = AngoClient(unique("reset"), server.url)
        project_id = client.create_project("Doomed")["project"]["_id"]
        client.upload_files_cloud(project_id, [{"data": "https://cdn.example.com/x.png"}])
        client.add_fault({"path": "/v2/nothing", "status": 500})
        client.set_rate_limit(50)
        client.freeze_clock(FROZEN_AT)
        requests.post(client.inbox_url("box"), json={}, timeout=10)
        assert counts(server)["tasks"] == 1 and client.journal() != [] and client.inbox("box") != []

        answer = client.reset(scope="server")

        assert answer == {"reset": "all"}
        after = counts(server)
        assert after["organizations"] == after["projects"] == after["tasks"] == 0
        assert set(after.values()) == {0}
        assert client.journal() == []
        assert client.faults() == {"faults": [], "rateLimit": None}
        assert client.clock()["frozen"] is False
        assert client.inbox("box") == []


# --- seed -----------------------------------------------------------------------------------------------------

def seed_fixture(tag):
    """An organization with an admin and a labeler (both with keys), one project with an ontology, two batches,
    a member and two assets, one of them with its task placed in Label (answer, assignee, a Start record)."""
    admin, labeler = f"admin@{tag}.test", f"labeler@{tag}.test"
    answer = {"tools": [BOX], "classifications": [], "relations": []}
    return {"organizations": [{
        "name": f"Org {tag}",
        "users": [{"email": admin, "apiKey": f"{tag}-admin", "role": "admin"},
                  {"email": labeler, "apiKey": f"{tag}-labeler", "name": "Lab Eler"}],
        "projects": [{
            "name": f"Seeded {tag}", "description": "from a fixture", "categorySchema": ONTOLOGY,
            "batches": ["b1", "b2"], "members": [{"email": labeler, "role": "Labeler"}],
            "assets": [
                {"data": "https://cdn.example.com/plain.png", "externalId": "plain", "batches": ["b2"]},
                {"data": "https://cdn.example.com/placed.png", "externalId": "placed", "batches": ["b1"],
                 "task": {"stage": "Label", "answer": answer, "assignee": labeler,
                          "history": [{"stage": "Start", "completedAt": FROZEN_AT, "duration": 5}]}}]}]}]}


@pytest.fixture
def seeded_keys(live_server):
    """API keys of fixtures a test seeds into the shared server; their organizations are dropped afterwards."""
    keys = []
    yield keys
    for key in keys:
        control(live_server).reset(api_key=key, missing_ok=True)


def test_seed_creates_what_the_fixture_says_and_its_keys_see_exactly_that(live_server, seeded_keys):
    tag = unique("seed")
    fixture = seed_fixture(tag)
    seeded_keys += [f"{tag}-admin", f"{tag}-labeler"]

    created = control(live_server).seed(fixture)
    sdk = SDK(f"{tag}-labeler", host=live_server.url)

    (listed,) = sdk.list_projects()["data"]["projects"]
    assert created["projects"] == [listed["_id"]] and len(created["organizations"]) == 1
    project = sdk.get_project(listed["_id"])["data"]["project"]
    assert (project["name"], project["description"]) == (f"Seeded {tag}", "from a fixture")
    assert [(t["schemaId"], t["tool"]) for t in project["categorySchema"]["tools"]] == [("box1", "bounding-box")]
    batch_ids = {b["name"]: b["_id"] for b in project["batches"]}
    assert set(batch_ids) == {"b1", "b2"}
    assert {(m["assignee"], m["role"]) for m in project["assignedTo"]} == {
        (f"admin@{tag}.test", "Manager"), (f"labeler@{tag}.test", "Labeler")}
    assets = sdk.get_assets(listed["_id"], limit=100)["data"]["assets"]
    assert sorted((a["externalId"], a["batches"]) for a in assets) == [
        ("placed", [batch_ids["b1"]]), ("plain", [batch_ids["b2"]])]
    tasks = {t["externalId"]: t for t in sdk.get_tasks(listed["_id"], include_answer=True)["data"]["tasks"]}
    placed = tasks["placed"]
    assert (placed["stage"], placed["assignee"]) == ("Label", f"labeler@{tag}.test")
    assert [{k: tool[k] for k in BOX} for tool in placed["answer"]["tools"]] == [BOX]
    assert [(h["stage"], h["duration"], h["completedAt"]) for h in history(sdk, placed["_id"])] == [
        ("Start", 5, FROZEN_AT)]
    assert (tasks["plain"]["stage"], tasks["plain"]["assignee"]) == ("Label", None)
    assert sdk.get_tasks(listed["_id"])["data"]["total"] == 2
    user = AngoClient(f"{tag}-labeler", live_server.url).whoami()["user"]
    assert (user["email"], user["name"], user["organizationRole"]) == (f"labeler@{tag}.test", "Lab Eler", "member")


def _bad_email(fixture):
    fixture["organizations"][0]["users"][0]["email"] = "not-an-email"


def _unknown_member(fixture):
    fixture["organizations"][0]["projects"][0]["members"][0]["email"] = "stranger@nowhere.test"


def _unknown_stage(fixture):
    fixture["organizations"][0]["projects"][0]["assets"][1]["task"]["stage"] = "Nowhere"


@pytest.mark.parametrize("spoil, where", [
    pytest.param(_bad_email, "organizations[0].users[0].email"),
    (_unknown_member, "organizations[0].projects[0].members[0].email"),
    (_unknown_stage, "organizations[0].projects[0].assets[1].task.stage"),
], ids=["schema-error", "unknown-member", "unknown-stage"])
def test_an_invalid_fixture_is_refused_naming_the_path_and_creates_nothing(live_server, spoil, where):
    tag = unique("bad")
    fixture = seed_fixture(tag)
    spoil(fixture)
    before = counts(live_server)

    response = raw(live_server, "POST", "/_mockhub/seed?scope=server", json=fixture)

    assert response.status_code == 400
    assert response.json()["status"] == "fail"
    assert counts(live_server) == before
    assert f"{where}:" in response.json()["message"]


def test_a_fixture_reusing_an_api_key_is_refused_and_creates_nothing(live_server, seeded_keys):
    tag = unique("dup")
    seeded_keys += [f"{tag}-admin", f"{tag}-labeler"]
    control(live_server).seed(seed_fixture(tag))
    before = counts(live_server)

    response = raw(live_server, "POST", "/_mockhub/seed?scope=server", json=seed_fixture(tag))

    assert response.status_code == 400
    assert response.json()["message"] == (f"fixture: organizations[0].users[0].apiKey: {tag}-admin is already "
                                          "in use")
    assert counts(live_server) == before


# --- snapshot -------------------------------------------------------------------------------------------------

def drive_a_project(sdk, server):
    """Upload, annotate, review, an issue and an uploaded file; return (project id, file path on the server)."""
    project_id = new_project(sdk, "Round trip")
    sdk.create_label_set(project_id, raw_category_schema=ONTOLOGY)
    sdk.update_workflow_stages(project_id, [
        stage("Start", "Start", "Label", autoForward=True), stage("Label", "Label", "Review"),
        stage("Review", "Review", "Complete", "Label"), stage("Complete", "Complete")])
    tasks = upload(sdk, project_id, "done", "open")
    submit(sdk, tasks["done"]["_id"], BOX)
    sdk.review_task(tasks["done"]["_id"], ReviewStatus.ACCEPTED)
    sdk.create_issue(tasks["open"]["_id"], "too blurry", position=[3, 4])
    slot = raw(server, "GET", f"/v2/getUploadUrl?name=notes.txt&project={project_id}&type=assets", sdk.api_key)
    url = slot.json()["data"]["uploadUrl"]
    assert requests.put(url, data=b"round trip bytes", timeout=10).status_code == 200
    return project_id, url.removeprefix(server.url)


def observe(sdk, server, project_id, file_path):
    """Everything the SDK (and the object store) answers about a project."""
    tasks = sdk.get_tasks(project_id, limit=100, include_answer=True)
    return {"project": sdk.get_project(project_id), "tasks": tasks,
            "history": {t["_id"]: history(sdk, t["_id"]) for t in tasks["data"]["tasks"]},
            "assets": sdk.get_assets(project_id, limit=100), "issues": sdk.get_issues(project_id),
            "file": raw(server, "GET", file_path).content}


def test_a_snapshot_seeded_into_a_fresh_server_answers_the_same():
    key = unique("snap")
    with own_servers(None, None) as (a, b):
        project_id, file_path = drive_a_project(SDK(key, host=a.url), a)
        document = raw(a, "GET", "/_mockhub/snapshot?scope=server").json()

        seeded = control(b).seed(document)
        in_a = observe(SDK(key, host=a.url), a, project_id, file_path)
        in_b = observe(SDK(key, host=b.url), b, project_id, file_path)

        assert seeded["organizations"] == [] and seeded["projects"] == []
        assert seeded["snapshot"]["projects"] == 1 and seeded["snapshot"]["tasks"] == 2
        assert {t["externalId"]: t["stage"] for t in in_a["tasks"]["data"]["tasks"]} == {"done": "Complete",
                                                                                       "open": "Label"}
        assert [i["content"] for i in in_a["issues"]["data"]["issue"]] == ["too blurry"]
        assert in_a["file"] == b"round trip bytes"
        assert in_b == in_a
        assert counts(b) == counts(a)


def test_seeding_the_same_snapshot_twice_is_refused_and_changes_nothing():
    with own_servers(None, None) as (a, b):
        AngoClient(unique("snap"), a.url).create_project("Once")
        document = server_control(a).snapshot(scope="server")
        control(b).seed(document)
        before = counts(b)

        response = raw(b, "POST", "/_mockhub/seed?scope=server", json=document)

        assert response.status_code == 400
        assert "ids already in use" in response.json()["message"]
        assert counts(b) == before == counts(a)
        assert (before["organizations"], before["projects"]) == (1, 1)


# --- coverage -------------------------------------------------------------------------------------------------

def test_coverage_lists_get_tasks_as_working(live_server):
    rows = {row["method"]: row for row in control(live_server).coverage()}

    assert rows["get_tasks"] == {"method": "get_tasks", "calls": [["GET", "/v2/project/p1/tasks"]],
                                 "status": "works", "note": "",
                                 "statuses": {"imerit-ango 1.4.10": "works", "imerit-ango 1.3.14": "works",
                                              "ango 0.1.18": "works"}}
    assert rows["set_asset_priority"]["statuses"] == {"imerit-ango 1.4.10": "—", "imerit-ango 1.3.14": "—",
                                                      "ango 0.1.18": "works"}


# --- --seed determinism ---------------------------------------------------------------------------------------

def same_calls(server):
    """One fixed sequence of calls; return the ids it produced."""
    sdk = SDK("determinism-key", host=server.url)
    project_id = new_project(sdk, "Repeatable")
    tasks = upload(sdk, project_id, "a", "b", "c")
    return project_id, sorted(t["_id"] for t in tasks.values())


def test_two_servers_with_the_same_seed_and_clock_give_the_same_ids():
    with own_servers({"SEED": 7}, {"SEED": 7}, {"SEED": 8}) as (first, second, third):
        for server in (first, second, third):
            control(server, "determinism-key").freeze_clock(FROZEN_AT)

        ids = [same_calls(server) for server in (first, second, third)]

    assert ids[0] == ids[1]
    assert ids[2][0] != ids[0][0]


def test_the_same_seed_gives_the_same_ids_in_a_later_run(monkeypatch):
    with own_servers({"SEED": 7}, {"SEED": 7}) as (first, later):
        clock = later.app.extensions["mockhub"].clock
        real_now = clock.now
        monkeypatch.setattr(clock, "now", lambda: real_now() + timedelta(seconds=1))  # started a second later

        assert same_calls(first) == same_calls(later)
