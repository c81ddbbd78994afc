"""The same read/write flows against every target; shapes checked with the server's own response schemas."""
import json
from pathlib import Path

import pytest

from mockhub.schemas.responses import SHAPES, UNDOCUMENTED, shape_errors
from mockhub_client import ApiError

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "contract" / "samples").glob("*.json"))


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_documented_samples_have_their_shapes(path):
    sample = json.loads(path.read_text(encoding="utf-8"))
    assert sample["shape"] in SHAPES and sample["source"]
    assert shape_errors(sample["shape"], sample["document"]) == {}


def test_every_shape_has_a_documented_sample():
    shapes = {json.loads(p.read_text(encoding="utf-8"))["shape"] for p in SAMPLES}
    assert shapes == set(SHAPES) - {"envelope"} - UNDOCUMENTED


def test_shapes_reject_what_the_sdk_could_not_read():
    assert "asset" in shape_errors("task", {"_id": "t", "project": "p", "status": "TODO", "asset": "a-string"})
    assert "batches" in shape_errors("project", {"_id": "p", "name": "n", "organization": "o", "createdAt": "t",
                                                 "categorySchema": {"tools": [], "classifications": [],
                                                                    "relations": []},
                                                 "batches": [{"name": "no id"}], "assignedTo": []})


def test_project_flow(target, scratch_project):
    client, pid = target.client, scratch_project["_id"]
    target.check("project", scratch_project, "create_project")
    client.create_batch(pid, "contract-batch")
    project = target.check("project", client.get_project(pid)["project"], "get_project")
    assert [b["name"] for b in project["batches"]] == ["contract-batch"]
    listed = client.list_projects(1, 100)
    assert any(p["_id"] == pid for p in listed["projects"]) and listed["total"] >= 1
    for item in listed["projects"]:
        target.check("project_list_item", item)


def test_asset_task_and_history_flow(target, scratch_project):
    client, pid = target.client, scratch_project["_id"]
    client.upload_files_cloud(pid, [{"data": "https://example.com/contract/a.png", "externalId": "a.png"},
                                    {"data": "https://example.com/contract/b.png", "externalId": "b.png"}])
    assets = client.get_assets(pid)
    assert assets["total"] == 2
    for asset in assets["assets"]:
        target.check("asset", asset, "get_assets_item")
    tasks = client.get_tasks(pid, include_answer=True)
    assert tasks["total"] == 2
    task = target.check("task", tasks["tasks"][0], "get_tasks_item")
    target.check("task", client.get_task(task["_id"])["task"], "get_task")
    for record in client.get_task_history(task_id=task["_id"])["taskHistory"]:
        target.check("task_history", record, "get_task_history_item")


def test_annotate_and_export_flow(target, scratch_project):
    client, pid = target.client, scratch_project["_id"]
    client.upload_files_cloud(pid, [{"data": "https://example.com/contract/c.png", "externalId": "c.png"}])
    task = client.get_tasks(pid)["tasks"][0]
    box = {"schemaId": "contract-box", "bounding-box": {"x": 1, "y": 2, "width": 3, "height": 4}}
    client.annotate_task(task["_id"], {"objects": [box], "classifications": [], "relations": []},
                         send_to_next_stage=True)
    records = client.export(pid)
    assert [r["externalId"] for r in records] == ["c.png"]
    record = target.check("export_record", records[0], "export_record")
    assert record["task"]["tools"][0]["bounding-box"] == box["bounding-box"]


def test_issue_flow(target, scratch_project):
    client, pid = target.client, scratch_project["_id"]
    client.upload_files_cloud(pid, [{"data": "https://example.com/contract/d.png", "externalId": "d.png"}])
    task = client.get_tasks(pid)["tasks"][0]
    issue = target.check("issue", client.create_issue(task["_id"], "contract issue", position=[5, 6])["issue"],
                         "create_issue")
    listed = client.get_issues(pid)["issue"]
    assert [i["_id"] for i in listed] == [issue["_id"]]
    client.delete_issue(pid, issue["_id"])
    assert client.get_issues(pid)["issue"] == []


def test_error_flows(target):
    with pytest.raises(ApiError) as bad_project:
        target.client.get_project("6167dfee2a810d000e9d313")
    assert bad_project.value.status == 400
    target.check("error", bad_project.value.body, "error_invalid_project")
    assert bad_project.value.message == "Invalid project: 6167dfee2a810d000e9d313."
    target.client.api_key, key = "", target.client.api_key
    try:
        with pytest.raises(ApiError) as bad_key:
            target.client.list_projects()
    finally:
        target.client.api_key = key
    assert bad_key.value.status == 401
    target.check("error", bad_key.value.body, "error_invalid_key")


def test_a_nested_classification_missing_a_documented_field_fails_the_shape():
    path = next(p for p in SAMPLES if p.stem == "export_record--v3-nested-classifications")
    record = json.loads(path.read_text(encoding="utf-8"))["document"]
    del record["task"]["tools"][0]["classifications"][0]["classifications"][0]["classifications"][0]["tool"]
    del record["task"]["stageHistory"][1]["classifications"][0]["classifications"][0]["title"]

    errors = shape_errors("export_record", record)

    deep = errors["task"]["tools"][0]["classifications"][0]["classifications"][0]["classifications"][0]
    assert deep == {"tool": ["Missing data for required field."]}
    assert errors["task"]["stageHistory"][1]["classifications"][0]["classifications"][0] == {
        "title": ["Missing data for required field."]}


def test_issue_exports_and_asset_listings_reject_the_old_shapes():
    assert "asset" in shape_errors("issue_export_record", {"_id": "i", "asset": "https://x/a.png"})
    assert "labelTasks" in shape_errors("asset", {"_id": "a", "externalId": "a", "data": "u", "metadata": {},
                                                  "batches": []})


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_dumping_a_record_keeps_every_value_and_skipping_it_changes_nothing(path):
    from mockhub.schemas.record import dump

    sample = json.loads(path.read_text(encoding="utf-8"))
    schema = SHAPES[sample["shape"]]()
    walked = schema.dump(sample["document"])
    assert {k: v for k, v in walked.items() if k not in sample["document"]} == (
        {"points": []} if sample["shape"] == "issue" and "points" not in sample["document"] else {})
    assert {k: walked[k] for k in sample["document"]} == sample["document"]
    assert dump(schema, sample["document"]) == walked
