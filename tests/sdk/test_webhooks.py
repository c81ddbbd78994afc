"""Webhook stages through the official SDK: a loopback receiver records what mockhub POSTs (spec 8.1), the
signature and the bearer token, the delivery log, failing receivers, and rerun_webhook."""
import hashlib
import hmac
import json
import socket

import pytest
import requests
from imerit_ango.models.annotate import AnnotationPayload, Answer

from mockhub.schemas.responses import shape_errors
from tests.sdk.helpers import Receiver

SECRET = "s3cret-key"
TOKEN = "bearer-token-123"
BOX = {"schemaId": "box1", "bounding-box": {"x": 1, "y": 2, "width": 30, "height": 40}}
ONTOLOGY = {"tools": [{"schemaId": "box1", "title": "Box", "tool": "bounding-box"}], "classifications": [],
            "relations": []}


# --- the receiver ---------------------------------------------------------------------------------------------

@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def failing_receiver():
    server = Receiver(status=500)
    yield server
    server.close()


@pytest.fixture
def me(sdk, project_id):
    """The SDK user's email (the project's manager)."""
    (member,) = sdk.get_project(project_id)["data"]["project"]["assignedTo"]
    return member["assignee"]


def unused_port():
    """A loopback port nobody listens on (bound, then released), so connections are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- workflow helpers -----------------------------------------------------------------------------------------

def stage(stage_id, kind, *next_ids, **fields):
    return {"id": stage_id, "type": kind, "name": fields.pop("name", stage_id), "next": list(next_ids),
            "position": {"x": 0, "y": 0}, **fields}


def webhook_stage(url, **config):
    return stage("Hook", "Webhook", "Complete", name="Notify", webhook={"url": url, **config})


def with_webhook(sdk, project_id, hook, after="Label"):
    """Put `hook` right after Label (Start -> Label -> Hook -> Complete) or right after Start
    (Start -> Hook -> Label -> Complete)."""
    start = stage("Start", "Start", "Label" if after == "Label" else hook["id"], autoForward=True)
    label = stage("Label", "Label", hook["id"] if after == "Label" else "Complete")
    hook = dict(hook, next=["Complete" if after == "Label" else "Label"])
    sdk.update_workflow_stages(project_id, [start, label, hook, stage("Complete", "Complete", preventRequeue=False)])


def upload(sdk, project_id, *names, batches=None):
    assets = [{"data": f"https://cdn.example.com/{name}.png", "externalId": name, "metadata": {"width": 640}}
              for name in names]
    assert sdk.upload_files_cloud(project_id, assets, batches=batches)["status"] == "success"
    tasks = sdk.get_tasks(project_id, limit=100, include_answer=True)["data"]["tasks"]
    return {task["externalId"]: task for task in tasks}


def submit(sdk, task_id, *objects):
    sdk.annotate_task(task_id, AnnotationPayload(Answer(objects=list(objects))), overwrite=True,
                      send_to_next_stage=True)


def read(sdk, task_id):
    return sdk.get_task(task_id, include_answer=True)["data"]["task"]


def deliveries(live_server, project_id, key):
    response = requests.get(f"{live_server.url}/_mockhub/webhooks/deliveries", params={"project": project_id},
                            headers={"apikey": key})
    assert response.status_code == 200
    return response.json()["data"]["deliveries"]


def signed(secret, body):
    return hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()


# --- one delivery ---------------------------------------------------------------------------------------------

def test_submit_through_a_webhook_stage_posts_the_spec_payload_signed(sdk, project_id, receiver, live_server):
    sdk.create_label_set(project_id, raw_category_schema=ONTOLOGY)
    sdk.create_batch(project_id, "b1")
    (batch,) = sdk.get_batches(project_id)
    with_webhook(sdk, project_id, webhook_stage(f"{receiver.url}/hooks/ango", secret=SECRET))
    task = upload(sdk, project_id, "street", batches=["b1"])["street"]

    submit(sdk, task["_id"], dict(BOX, objectId="car-1"))

    (post,) = receiver.posts  # delivered before annotate answered
    assert post["path"] == "/hooks/ango"
    assert post["headers"]["Content-Type"] == "application/json"
    assert post["headers"]["X-Hub-Signature"] == signed(SECRET, post["body"])
    assert "Authorization" not in post["headers"]
    payload = json.loads(post["body"])
    assert shape_errors("webhook_payload", payload) == {}
    project = sdk.get_project(project_id)["data"]["project"]
    done = read(sdk, task["_id"])
    assert {key: payload[key] for key in ("projectId", "categorySchema", "asset", "assetId", "externalId",
                                          "batches", "batchNames", "metadata")} == {
        "projectId": project_id, "categorySchema": project["categorySchema"],
        "asset": "https://cdn.example.com/street.png", "assetId": task["asset"]["_id"], "externalId": "street",
        "batches": [batch["_id"]], "batchNames": ["b1"], "metadata": {"width": 640}}
    body = payload["task"]
    assert {key: body[key] for key in ("type", "taskId", "stage", "stageId", "stageName")} == {
        "type": "default", "taskId": task["_id"], "stage": "Hook", "stageId": "Hook", "stageName": "Notify"}
    assert body["tools"] == [dict(tool, title="Box") for tool in done["answer"]["tools"]]  # titled, as exported
    assert [tool["objectId"] for tool in body["tools"]] == ["car-1"]
    assert (body["classifications"], body["relations"]) == ([], [])
    assert body["totalDuration"] == done["totalDuration"]
    assert done["stage"] == "Complete"


def test_payload_stage_history_holds_the_stages_the_task_left_before_the_webhook(sdk, project_id, receiver, me):
    with_webhook(sdk, project_id, webhook_stage(receiver.url, secret=SECRET))
    task = upload(sdk, project_id, "one")["one"]

    submit(sdk, task["_id"], BOX)

    history = receiver.payloads()[0]["task"]["stageHistory"]
    assert [(h["stageId"], h["stage"], h["completedBy"]) for h in history][:2] == [
        ("Start", "Start", None), ("Label", "Label", me)]
    assert [t["schemaId"] for t in history[1]["tools"]] == ["box1"]


def test_payload_stage_history_does_not_include_the_webhook_stage_itself(sdk, project_id, receiver):
    with_webhook(sdk, project_id, webhook_stage(receiver.url, secret=SECRET))
    task = upload(sdk, project_id, "one")["one"]

    submit(sdk, task["_id"], BOX)

    history = receiver.payloads()[0]["task"]["stageHistory"]
    assert [h["stageId"] for h in history] == ["Start", "Label"]


@pytest.mark.parametrize("config, signature, authorization", [
    ({"secret": SECRET, "token": TOKEN}, True, f"Bearer {TOKEN}"),
    ({"token": TOKEN}, False, f"Bearer {TOKEN}"),
    ({}, False, None),
], ids=["secret+token", "token-only", "no-auth"])
def test_auth_headers_follow_the_stage_config(sdk, project_id, receiver, config, signature, authorization):
    with_webhook(sdk, project_id, webhook_stage(receiver.url, **config))
    task = upload(sdk, project_id, "one")["one"]

    submit(sdk, task["_id"])

    (post,) = receiver.posts
    assert post["headers"].get("Authorization") == authorization
    if signature:
        assert post["headers"]["X-Hub-Signature"] == signed(SECRET, post["body"])
    else:
        assert "X-Hub-Signature" not in post["headers"]


def test_signature_is_over_the_raw_body_bytes(sdk, project_id, receiver):
    with_webhook(sdk, project_id, webhook_stage(receiver.url, secret=SECRET))
    task = upload(sdk, project_id, "one")["one"]
    submit(sdk, task["_id"], BOX)
    (post,) = receiver.posts

    reserialized = json.dumps(json.loads(post["body"])).encode()

    assert reserialized != post["body"]  # the signature only matches the bytes as sent
    assert post["headers"]["X-Hub-Signature"] != signed(SECRET, reserialized)
    assert post["headers"]["X-Hub-Signature"] != signed("wrong-secret", post["body"])


def test_delivery_log_lists_each_delivery_with_its_status(sdk, project_id, receiver, live_server):
    hook_url = f"{receiver.url}/in"
    with_webhook(sdk, project_id, webhook_stage(hook_url, secret=SECRET))
    tasks = upload(sdk, project_id, "one", "two")
    assert deliveries(live_server, project_id, sdk.api_key) == []

    submit(sdk, tasks["one"]["_id"])

    (entry,) = deliveries(live_server, project_id, sdk.api_key)
    assert {key: entry[key] for key in ("url", "projectId", "stageId", "taskId", "externalId", "status", "ok",
                                        "error")} == {
        "url": hook_url, "projectId": project_id, "stageId": "Hook", "taskId": tasks["one"]["_id"],
        "externalId": "one", "status": 200, "ok": True, "error": None}
    assert entry["at"].endswith("Z") and entry["durationMs"] >= 0


def test_a_webhook_stage_right_after_start_fires_on_upload(sdk, project_id, receiver):
    with_webhook(sdk, project_id, webhook_stage(receiver.url, secret=SECRET), after="Start")

    tasks = upload(sdk, project_id, "new")

    assert [p["externalId"] for p in receiver.payloads()] == ["new"]
    assert read(sdk, tasks["new"]["_id"])["stage"] == "Label"


def test_every_pass_through_the_stage_is_delivered_again(sdk, project_id, receiver):
    with_webhook(sdk, project_id, webhook_stage(receiver.url, secret=SECRET))
    task = upload(sdk, project_id, "one")["one"]
    submit(sdk, task["_id"])

    sdk.requeue_tasks(project_id, "Label", {"taskIds": [task["_id"]]})
    submit(sdk, task["_id"], BOX)

    assert [len(p["task"]["tools"]) for p in receiver.payloads()] == [0, 1]


# --- failing receivers ----------------------------------------------------------------------------------------

def test_a_refused_connection_does_not_hold_the_task_back(sdk, project_id, live_server):
    url = f"http://127.0.0.1:{unused_port()}/hook"
    with_webhook(sdk, project_id, webhook_stage(url, secret=SECRET))
    task = upload(sdk, project_id, "one")["one"]

    submit(sdk, task["_id"], BOX)

    assert read(sdk, task["_id"])["stage"] == "Complete"
    (entry,) = deliveries(live_server, project_id, sdk.api_key)
    assert (entry["url"], entry["taskId"], entry["ok"], entry["status"]) == (url, task["_id"], False, None)
    assert entry["error"].startswith("ConnectionError")


def test_a_receiver_answering_500_is_logged_as_failed(sdk, project_id, failing_receiver, live_server):
    with_webhook(sdk, project_id, webhook_stage(failing_receiver.url, secret=SECRET))
    task = upload(sdk, project_id, "one")["one"]

    submit(sdk, task["_id"])

    assert len(failing_receiver.posts) == 1
    assert read(sdk, task["_id"])["stage"] == "Complete"
    (entry,) = deliveries(live_server, project_id, sdk.api_key)
    assert (entry["status"], entry["ok"]) == (500, False)


# --- rerun_webhook --------------------------------------------------------------------------------------------

def test_rerun_webhook_resends_once_per_task_that_passed_the_stage(sdk, project_id, receiver, live_server):
    with_webhook(sdk, project_id, webhook_stage(receiver.url, secret=SECRET))
    tasks = upload(sdk, project_id, "one", "two", "waiting")
    for name in ("one", "two"):
        submit(sdk, tasks[name]["_id"])
    assert len(receiver.posts) == 2

    result = sdk.rerun_webhook(project_id, "Hook")

    assert result["data"]["webhook"] == {"stageId": "Hook", "queued": 2}
    rerun = receiver.posts[2:]
    assert sorted(json.loads(p["body"])["task"]["taskId"] for p in rerun) == \
        sorted([tasks["one"]["_id"], tasks["two"]["_id"]])
    assert all(p["headers"]["X-Hub-Signature"] == signed(SECRET, p["body"]) for p in rerun)
    assert all(json.loads(p["body"])["task"]["stageId"] == "Hook" for p in rerun)
    assert len(deliveries(live_server, project_id, sdk.api_key)) == 4


@pytest.mark.parametrize("stage_id", ["Label", "Complete", "NoSuchStage"])
def test_rerun_webhook_on_a_stage_that_is_not_a_webhook_is_400(sdk, project_id, receiver, live_server, stage_id):
    with_webhook(sdk, project_id, webhook_stage(receiver.url, secret=SECRET))
    task = upload(sdk, project_id, "one")["one"]
    submit(sdk, task["_id"])

    with pytest.raises(Exception) as exc_info:
        sdk.rerun_webhook(project_id, stage_id)

    assert json.loads(str(exc_info.value)) == {
        "status": "fail", "message": f"stageId: {stage_id} is not a Webhook stage of project {project_id}"}
    assert len(receiver.posts) == 1
    assert len(deliveries(live_server, project_id, sdk.api_key)) == 1


# --- concurrency ----------------------------------------------------------------------------------------------

def test_deliveries_of_organizations_uploading_at_once_each_arrive_exactly_once(live_server, receiver):
    """Any request's thread sends what is queued; entries another organization queues meanwhile are not lost."""
    from concurrent.futures import ThreadPoolExecutor

    from imerit_ango.sdk import SDK

    def organization(n):
        client = SDK(f"webhook-concurrency-{n}", host=live_server.url)
        pid = client.create_project(f"Concurrent hooks {n}")["data"]["project"]["_id"]
        with_webhook(client, pid, webhook_stage(receiver.url, secret=SECRET), after="Start")
        for i in range(20):
            assets = [{"data": f"https://cdn.example.com/{n}-{i}.png", "externalId": f"{n}-{i}"}]
            assert client.upload_files_cloud(pid, assets)["status"] == "success"
        return pid

    with ThreadPoolExecutor(4) as pool:
        projects = list(pool.map(organization, range(4)))

    posted = sorted(p["externalId"] for p in receiver.payloads())
    assert posted == sorted(f"{n}-{i}" for n in range(4) for i in range(20))
    assert {p["projectId"] for p in receiver.payloads()} == set(projects)
