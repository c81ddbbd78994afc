"""imerit-ango 1.3.14 against mockhub: every method that talks HTTP. On an error answer with a JSON body
this release returns the `message` string instead of raising."""
import json
import zipfile

import requests
from imerit_ango.models.enums import Metrics, OrganizationRoles, ProjectRoles, StorageProvider
from imerit_ango.models.invite import Invitation, RoleUpdate
from imerit_ango.models.label_category import Classification, ClassificationCategory, LabelOption
from imerit_ango.models.storage import Storage

ASSETS = [{"data": "https://example.com/a.png", "externalId": "a.png"},
          {"data": "https://example.com/b.png", "externalId": "b.png"}]
STAGES = [{"id": "Start", "type": "Start", "name": "Start", "next": ["Label"], "autoForward": True},
          {"id": "Label", "type": "Label", "name": "Label", "next": ["Complete"]},
          {"id": "Complete", "type": "Complete", "name": "Complete", "next": []}]


def tasks_of(sdk, project, **kwargs):
    return sdk.get_tasks(project, limit=50, **kwargs)["data"]["tasks"]


def uploaded(sdk, project, assets=ASSETS, **kwargs):
    assert sdk.upload_files_cloud(project, [dict(a) for a in assets], **kwargs)["status"] == "success"
    return {t["externalId"]: t for t in tasks_of(sdk, project)}


def test_errors_are_returned_as_the_message(sdk):
    assert sdk.get_project("nope") == "Invalid project: nope."


def test_projects_label_set_and_workflow(sdk, project):
    assert [p["_id"] for p in sdk.list_projects()["data"]["projects"]] == [project]
    weather = ClassificationCategory(Classification.Radio, "Weather", schemaId="weather",
                                     options=[LabelOption("Sunny", "sunny")])
    sdk.create_label_set(project, classifications=[weather])
    sdk.update_workflow_stages(project, STAGES)
    document = sdk.get_project(project)["data"]["project"]
    assert document["categorySchema"]["classifications"][0]["schemaId"] == "weather"
    assert [s["id"] for s in document["stages"]] == ["Start", "Label", "Complete"]


def test_batches_full_list_body_and_assign_without_project(sdk, project):
    sdk.create_batch(project, "first")
    sdk.create_batch(project, "second")
    batches = sdk.get_batches(project)
    assert [b["name"] for b in batches] == ["first", "second"]
    tasks = uploaded(sdk, project, batches=["first"])
    asset_id = tasks["a.png"]["asset"]["_id"]
    assert sdk.assign_batches(project, [asset_id], ["second"])["data"]["assets"] == 1
    assets = {a["externalId"]: a for a in sdk.get_assets(project, filters={"externalId": "a.png"})["data"]["assets"]}
    assert assets["a.png"]["batches"] == [b["_id"] for b in batches]


def test_tasks_filters_get_task_assign_and_history(sdk, project, control, key):
    tasks = uploaded(sdk, project)
    assert len(tasks_of(sdk, project, status="TODO", stage="Label")) == 2
    task = sdk.get_task(tasks["a.png"]["_id"])["data"]["task"]
    assert task["answer"] == {"tools": [], "classifications": [], "relations": []}
    email = control("GET", "/whoami", key=key)["user"]["email"]
    sdk.assign_task(project, [task["_id"]], "Label", email)
    assert sdk.get_task(task["_id"])["data"]["task"]["assignee"] == email
    history = sdk.get_task_history(task_id=task["_id"])["data"]["taskHistory"]
    assert [h["stage"] for h in history] == ["Start"]
    assert sdk.get_task_history(id=history[0]["_id"])["data"]["taskHistory"]["labelTaskId"] == task["_id"]


def test_plugin_annotate_submits(sdk, project):
    tasks = uploaded(sdk, project)
    box = {"schemaId": "car", "bounding-box": {"x": 1, "y": 2, "width": 3, "height": 4}}
    assert sdk._annotate(tasks["a.png"]["_id"], {"objects": [box], "externalId": "a.png"}) is True
    task = sdk.get_task(tasks["a.png"]["_id"])["data"]["task"]
    assert task["stage"] == "Complete" and task["answer"]["tools"][0]["bounding-box"] == box["bounding-box"]


def test_export_v3_json_ndjson_stage_string_and_zip(sdk, project, tmp_path):
    tasks = uploaded(sdk, project)
    sdk._annotate(tasks["a.png"]["_id"], {"objects": []})
    assert sorted(r["externalId"] for r in sdk.exportV3(project)) == ["a.png", "b.png"]  # every stage
    assert [r["externalId"] for r in sdk.export(project, stage="Complete")] == ["a.png"]
    lines, count = sdk.exportV3(project, export_format="ndjson")
    assert count == 2 and sorted(json.loads(line)["externalId"] if isinstance(line, str) else line["externalId"]
                                 for line in lines) == ["a.png", "b.png"]
    target = tmp_path / "export.zip"
    assert sdk.exportV3(project, stage="Complete", zip_file_path=str(target)) is None
    with zipfile.ZipFile(target) as archive:
        assert archive.namelist() == [f"{project}.json"]


def test_assets_attachments_issue_and_import(sdk, project):
    sdk.update_workflow_stages(project, [dict(STAGES[0], autoForward=False)] + STAGES[1:])
    tasks = uploaded(sdk, project)
    sdk.create_attachment(project, [{"externalId": "a.png", "attachments": [{"type": "TEXT", "value": "hi"}]}])
    asset = sdk.get_assets(project, filters={"externalId": "a.png"})["data"]["assets"][0]
    assert asset["attachments"] == [{"type": "TEXT", "value": "hi"}]
    result = sdk.import_labels(project, [{"externalId": "b.png", "objects": [{"schemaId": "x", "point": [1, 2]}]}])
    assert result["data"]["project"] == "1 / 1 tasks are labeled."
    issue = sdk.create_issue(tasks["a.png"]["_id"], "blurry", [10, 20])["data"]["issue"]
    assert issue["position"] == "[10, 20]" and issue["status"] == "Open"


def test_metrics(sdk, project):
    uploaded(sdk, project)
    groups = sdk.get_metrics(project, Metrics.LabelStageGroups)["data"]["LabelStageGroups"]
    assert {g["stageId"]: g["count"] for g in groups} == {"Start": 0, "Label": 2, "Complete": 0}


def test_storages_and_file_explorer(sdk, url, key):
    storage = sdk.create_storage(Storage("bucket", StorageProvider.AWS, "pk-1314", "sk-1314"))["data"]["storage"]
    assert "sk-1314" not in json.dumps(sdk.get_storages())
    assert sdk.get_storages(storage["_id"])["data"]["storages"][0]["name"] == "bucket"
    upload = requests.get(f"{url}/v2/getUploadUrl?name=seen.txt&type=assets", headers={"apikey": key}, timeout=10)
    requests.put(upload.json()["data"]["uploadUrl"], data=b"bytes", timeout=10)
    listing = sdk.file_explorer("mockhub", storage["_id"], {"folder": "assets"})["data"]["files"]
    assert [f["name"] for f in listing] == ["seen.txt"]
    sdk.delete_storage(storage["_id"])
    assert sdk.get_storages()["data"]["storages"] == []


def test_organization_members_invites_and_project_members(sdk, project, control, key):
    org = control("GET", "/whoami", key=key)["user"]["organization"]
    members = sdk.get_organization_members(org)["data"]["users"]
    assert [m["organizationRole"] for m in members] == ["admin"]
    invite = Invitation(["new@example.com"], OrganizationRoles.Member, project, ProjectRoles.Labeler)
    sdk.invite_members_to_org(org, invite)
    assert [i["to"] for i in sdk.get_organization_invites(org)["data"]["invites"]] == ["new@example.com"]
    control("POST", "/invites/accept", key=key, json={"email": "new@example.com"})
    assert sdk.get_organization_invites(org)["data"]["invites"] == []
    sdk.update_organization_members_role(org, [RoleUpdate("new@example.com", OrganizationRoles.Admin)])
    roles = {m["email"]: m["organizationRole"] for m in sdk.get_organization_members(org)["data"]["users"]}
    assert roles["new@example.com"] == "admin"
    sdk.add_members_to_project(project, ["new@example.com"], ProjectRoles.Reviewer)
    assigned = sdk.get_project(project)["data"]["project"]["assignedTo"]
    assert {"assignee": "new@example.com", "role": "Reviewer"} in assigned
    assert sdk.delete_organization_members(org, ["new@example.com"])["data"]["deleted"] == 1
    sdk.invite_members_to_org(org, Invitation(["later@example.com"], OrganizationRoles.Member, project,
                                              ProjectRoles.Labeler))
    assert sdk.delete_organization_invites(org, ["later@example.com"])["data"]["deleted"] == 1


def test_plugin_log_and_response(sdk):
    assert sdk._plugin_log({"level": "INFO", "msg": "hello", "session": "s1"})["data"]["received"] is True
    assert sdk._plugin_response({"response": {"ok": True}, "session": "s1"})["status"] == "success"


def test_upload_local_files(sdk, project, tmp_path):
    path = tmp_path / "local.png"
    path.write_bytes(b"1.3.14 bytes")
    assert sdk.upload_files(project, [str(path)])["data"]["assets"]["assetsCreated"] == 1
    asset = sdk.get_assets(project)["data"]["assets"][0]
    assert requests.get(asset["data"], timeout=10).content == b"1.3.14 bytes"
