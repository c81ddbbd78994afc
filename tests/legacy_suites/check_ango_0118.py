"""ango 0.1.18 (module `ango`) against mockhub: every method that talks HTTP. This release never raises
on an error answer: it returns the error dict, so error bodies must always be JSON."""
import datetime
import hashlib
import hmac

import requests
from ango.models.label_category import Classification, ClassificationCategory, LabelOption

ASSETS = [{"data": "https://example.com/a.png", "externalId": "a.png"},
          {"data": "https://example.com/b.png", "externalId": "b.png"}]


def tasks_of(sdk, project, **kwargs):
    return sdk.get_tasks(project, limit=50, **kwargs)["data"]["tasks"]


def test_projects_create_list_get_and_tags(sdk, project):
    listed = sdk.list_projects()["data"]
    assert [p["_id"] for p in listed["projects"]] == [project] and listed["total"] == 1
    document = sdk.get_project(project)["data"]["project"]
    assert document["tags"] == [] and document["name"] == "Legacy project"


def test_errors_come_back_as_json_dicts(sdk):
    assert sdk.get_project("nope") == {"status": "fail", "message": "Invalid project: nope."}
    assert sdk.get_task("nope")["status"] == "fail"


def test_batches_are_tags(sdk, project):
    assert [t["name"] for t in sdk.create_batch(project, "first")] == ["first"]
    tags = sdk.create_batch(project, "second")
    assert [t["name"] for t in tags] == ["first", "second"] and all(t["_id"] for t in tags)
    assert sdk.get_batches(project) == tags


def test_upload_cloud_with_tags_and_list_assets(sdk, project):
    sdk.create_batch(project, "week-1")
    answer = sdk.upload_files_cloud(project, [dict(a) for a in ASSETS], batches=["week-1"])
    assert answer["data"]["assets"]["assetsCreated"] == 2
    assets = sdk.get_assets(project)["data"]
    tag_id = sdk.get_batches(project)[0]["_id"]
    assert assets["total"] == 2 and all(a["batches"] == [tag_id] for a in assets["assets"])


def test_upload_local_files(sdk, project, tmp_path):
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG legacy bytes")
    assert sdk.upload_files(project, [str(path)])["data"]["assets"]["assetsCreated"] == 1
    asset = sdk.get_assets(project)["data"]["assets"][0]
    assert requests.get(asset["data"], timeout=10).content == b"\x89PNG legacy bytes"


def test_tasks_status_filter_get_task_and_assign(sdk, project, control, key):
    sdk.upload_files_cloud(project, [dict(a) for a in ASSETS])
    todo = tasks_of(sdk, project, status="TODO")
    assert len(todo) == 2 and tasks_of(sdk, project, status="Completed") == []
    task = sdk.get_task(todo[0]["_id"])["data"]["task"]
    assert task["answer"] == {"tools": [], "classifications": [], "relations": []}
    email = control("GET", "/whoami", key=key)["user"]["email"]
    assert sdk.assign_task(todo[0]["_id"], email=email)["data"]["task"]["assignee"] == email
    user_id = control("GET", "/whoami", key=key)["user"]["_id"]
    assert sdk.assign_task(todo[1]["_id"], userid=user_id)["data"]["task"]["assignee"] == email


def test_asset_priority(sdk, project):
    sdk.upload_files_cloud(project, [dict(a) for a in ASSETS])
    assert sdk.set_asset_priority(project, 7, external_id="a.png")["status"] == "success"
    priorities = {t["externalId"]: t["priority"] for t in tasks_of(sdk, project)}
    assert priorities == {"a.png": 7, "b.png": 0}


def test_assign_batches_and_attachments(sdk, project):
    sdk.create_batch(project, "extra")
    sdk.upload_files_cloud(project, [dict(a) for a in ASSETS])
    ids = {a["externalId"]: a["_id"] for a in sdk.get_assets(project)["data"]["assets"]}
    assert sdk.assign_batches(project, [ids["a.png"]], ["extra"])["data"]["assets"] == 1
    attached = sdk.create_attachment(project, [{"externalId": "b.png", "attachments": [
        {"type": "TEXT", "value": "note"}]}])
    assert attached["data"]["project"]["assetsUpdated"] == 1
    by_name = {a["externalId"]: a for a in sdk.get_assets(project)["data"]["assets"]}
    assert by_name["a.png"]["batches"] == [sdk.get_batches(project)[0]["_id"]] and by_name["b.png"]["batches"] == []
    assert by_name["b.png"]["attachments"] == [{"type": "TEXT", "value": "note"}]


def test_label_set_import_and_issue(sdk, project, url, key):
    category = ClassificationCategory(Classification.Radio, "Weather", schemaId="weather",
                        options=[LabelOption("Sunny", "sunny")])
    sdk.create_label_set(project, classifications=[category])
    assert sdk.get_project(project)["data"]["project"]["categorySchema"]["classifications"][0]["title"] == "Weather"
    requests.post(f"{url}/v2/project/{project}", json={"stages": [
        {"id": "Start", "type": "Start", "name": "Start", "next": ["Label"], "autoForward": False},
        {"id": "Label", "type": "Label", "name": "Label", "next": ["Complete"]},
        {"id": "Complete", "type": "Complete", "name": "Complete", "next": []}]}, headers={"apikey": key}, timeout=10)
    sdk.upload_files_cloud(project, [dict(ASSETS[0])])
    result = sdk.import_labels(project, [{"externalId": "a.png", "classifications": [
        {"schemaId": "weather", "answer": "Sunny"}]}])
    assert result["data"]["project"] == "1 / 1 tasks are labeled."
    task = tasks_of(sdk, project)[0]
    assert sdk.get_task(task["_id"])["data"]["task"]["answer"]["classifications"][0]["answer"] == "Sunny"
    issue = sdk.create_issue(task["_id"], "look here", [30, 30])["data"]["issue"]
    assert issue["position"] == "[30, 30]" and issue["status"] == "Open"


def test_export_in_the_legacy_shape_with_filters(sdk, project, url, key):
    sdk.create_batch(project, "keep")
    sdk.upload_files_cloud(project, [dict(ASSETS[0], batches=["keep"]), dict(ASSETS[1])])
    first = tasks_of(sdk, project)[-1]["_id"]
    requests.post(f"{url}/v2/annotate/{first}?nextStage=true", json={"answer": {"objects": []}},
                  headers={"apikey": key}, timeout=10)
    records = sdk.export(project)
    assert {r["externalId"]: r["status"] for r in records} == {"a.png": "Labeled", "b.png": "To Do"}
    assert [r["externalId"] for r in sdk.export(project, batches=["keep"])] == ["a.png"]
    window = [datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc),
              datetime.datetime(2001, 1, 1, tzinfo=datetime.timezone.utc)]
    assert sdk.export(project, completed_at=window) == []


def test_integrations_list_storages(sdk, url, key):
    storage = requests.post(f"{url}/v2/storages/", json={"name": "bucket", "provider": "AWS", "publicKey": "pk",
                                                         "privateKey": "sk"}, headers={"apikey": key}, timeout=10)
    storage_id = storage.json()["data"]["storage"]["_id"]
    assert [i["_id"] for i in sdk.get_integrations()["data"]["integrations"]] == [storage_id]
    assert sdk.get_integrations(storage_id)["name"] == "bucket"


def test_project_webhooks_fire_on_label_events(sdk, project, url, key, control):
    inbox = control("GET", f"/inbox/legacy-{key}", key=key)["url"]  # the organization's own receiving URL
    answer = sdk.create_webhook(inbox, project, "s3cret", ["COMPLETED", "ACCEPTED"])
    assert answer["status"] == "success" and answer["data"]["webhooks"][0]["types"] == ["COMPLETED", "ACCEPTED"]
    assert "secret" not in answer["data"]["webhooks"][0]
    sdk.upload_files_cloud(project, [dict(ASSETS[0])])
    task = tasks_of(sdk, project)[0]["_id"]
    requests.post(f"{url}/v2/annotate/{task}?nextStage=false", json={"answer": {"objects": []}},
                  headers={"apikey": key}, timeout=10)  # a save: UPDATED, which nobody listens for
    requests.post(f"{url}/v2/annotate/{task}?nextStage=true", json={"answer": {"objects": []}},
                  headers={"apikey": key}, timeout=10)
    [message] = control("GET", f"/inbox/legacy-{key}", key=key)["messages"]
    assert message["json"]["event"] == "COMPLETED" and message["json"]["taskId"] == task
    signature = hmac.new(b"s3cret", message["body"].encode(), hashlib.sha1).hexdigest()
    assert message["headers"]["X-Hub-Signature"] == signature
