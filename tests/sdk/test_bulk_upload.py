"""A cloud upload of many assets in one request makes what the same assets make one request each: the same
tasks, assets and history (ids and times apart), for workflows whose tasks all enter alike (Start -> Label)
and for those where the engine decides per task (Logic, Consensus), through the official SDK."""
import copy

import pytest
from imerit_ango.models.enums import TaskType
from imerit_ango.models.task_filter import TaskFilter

from tests.sdk.test_workflow import (
    ONTOLOGY,
    complete,
    label,
    logic,
    quality,
    review,
    stage,
    start,
    use_stages,
)

IDS = {"_id", "id", "labelTaskId", "parentTask", "project", "organization", "assetId", "taskId"}
ITEMS = [
    {"data": "https://cdn.example.com/a.png", "externalId": "a"},
    {"data": "https://cdn.example.com/deep/b.png"},  # externalId from the URL
    {"data": "https://cdn.example.com/c.png", "externalId": "c", "batches": ["b1"], "priority": 7,
     "metadata": {"k": 1}, "contextData": {"x": "y"}, "attachments": [{"type": "TEXT", "value": "hi"}]},
    {"data": "https://cdn.example.com/d.png", "externalId": "d", "tags": ["b1", "b2"]},
    {"data": "https://cdn.example.com/e.png", "externalId": "e", "classifications": [quality("good")]},
    {"data": "https://cdn.example.com/f.png", "externalId": "f", "classifications": [{"schemaId": "nope"}]},
    {"data": "https://cdn.example.com/g.png", "externalId": "g", "storage": "s1", "custom": {"kept": True}},
    {"data": "https://cdn.example.com/a2.png", "externalId": "a", "priority": -2},  # a repeated externalId
]
WORKFLOWS = {
    "start-label": (start("Label"), label("Label", "Complete"), complete()),
    "start-review": (start("Review"), review("Review", "Complete", "Label"), label("Label", "Review"), complete()),
    "start-complete": (start("Complete"), complete()),
    "waits-in-start": (start("Label", auto=False), label("Label", "Complete"), complete()),
    "logic": (start("Route"), logic("Route", [{"type": "Batch", "value": ["b1"]}], "Sampled", "Complete"),
              label("Sampled", "Complete"), complete()),
    "consensus": (start("Consensus"), stage("Consensus", "Consensus", "Complete", "Disputed"),
                  label("Judge1", "Consensus", consensusId="Consensus"),
                  label("Judge2", "Consensus", consensusId="Consensus"), stage("Disputed", "Hold", "Complete"),
                  complete()),
}


def new_project(sdk, stages):
    project_id = sdk.create_project("bulk", "")["data"]["project"]["_id"]
    sdk.create_label_set(project_id, raw_category_schema=ONTOLOGY)
    sdk.create_batches(project_id, ["b1", "b2"])
    batch_ids = {b["name"]: b["_id"] for b in sdk.get_batches(project_id)}
    stages = [dict(s, logic={"conditions": [dict(c, value=[batch_ids[name] for name in c["value"]])
                                            for c in s["logic"]["conditions"]]}) if s["type"] == "Logic" else s
              for s in stages]  # a Batch condition names batch ids
    use_stages(sdk, project_id, *stages)
    return project_id, {v: k for k, v in batch_ids.items()}


def upload(sdk, project_id, items):
    result = sdk.upload_files_cloud(project_id, copy.deepcopy(items), batches=["b2"], priority=3)
    assert result["status"] == "success", result
    return result["data"]["assets"]


def normalized(value, batch_names):
    """`value` without ids and times (a history record's `asset` is an id), batch ids as names."""
    if isinstance(value, dict):
        return {key: [batch_names.get(b, b) for b in item] if key in ("batches", "batchNames") else
                normalized(item, batch_names) for key, item in value.items()
                if key not in IDS and not key.endswith("At") and not (key == "asset" and isinstance(item, str))}
    if isinstance(value, list):
        return [normalized(item, batch_names) for item in value]
    return value


def contents(sdk, project_id):
    """Every task (default and consensus, newest first) with its history, and every asset."""
    tasks = []
    for kind in (TaskType.DEFAULT, TaskType.CONSENSUS):
        found = sdk.get_tasks(project_id, limit=100, include_answer=True,
                              task_filter=TaskFilter(task_type=kind))["data"]["tasks"]
        tasks += [dict(task, history=sdk.get_task_history(task_id=task["_id"])["data"]["taskHistory"])
                  for task in found]
    assets = sdk.get_assets(project_id, limit=100)["data"]["assets"]
    return {"tasks": tasks, "assets": assets}


@pytest.mark.parametrize("workflow", list(WORKFLOWS))
def test_one_request_of_many_assets_makes_what_one_request_each_makes(sdk, workflow):
    together, names = new_project(sdk, WORKFLOWS[workflow])
    apart, names_apart = new_project(sdk, WORKFLOWS[workflow])

    counts = upload(sdk, together, ITEMS)
    each = [upload(sdk, apart, [item]) for item in ITEMS]

    assert counts == {"assetsCreated": 8, "tasksCreated": 8, "preLabelsCount": 2, "validPreLabelsCount": 1}
    assert {key: sum(c[key] for c in each) for key in counts} == counts
    made, reference = normalized(contents(sdk, together), names), normalized(contents(sdk, apart), names_apart)
    assert made == reference
    assert len(made["assets"]) == 8 and len([t for t in made["tasks"] if t["type"] == "default"]) == 8


def test_tasks_of_a_bulk_upload_rest_in_label_with_their_start_record(sdk):
    project_id, names = new_project(sdk, WORKFLOWS["start-label"])
    upload(sdk, project_id, ITEMS)

    made = normalized(contents(sdk, project_id), names)
    by_data = {task["asset"]["data"]: task for task in made["tasks"]}
    assert {(t["stage"], t["status"]) for t in made["tasks"]} == {("Label", "TODO")}
    assert [[record["stage"] for record in t["history"]] for t in made["tasks"]] == [["Start"]] * 8
    assert [t["asset"]["data"] for t in made["tasks"]] == [item["data"] for item in reversed(ITEMS)]
    assert by_data["https://cdn.example.com/c.png"]["batches"] == ["b1"]
    assert by_data["https://cdn.example.com/c.png"]["priority"] == 7
    assert by_data["https://cdn.example.com/d.png"]["batches"] == ["b1", "b2"]
    assert by_data["https://cdn.example.com/a.png"]["batches"] == ["b2"]
    assert by_data["https://cdn.example.com/a.png"]["priority"] == 3
    assert by_data["https://cdn.example.com/deep/b.png"]["externalId"] == "b.png"
    assert by_data["https://cdn.example.com/e.png"]["answer"]["classifications"] == [quality("good")]
    assert by_data["https://cdn.example.com/e.png"]["history"][0]["answer"]["classifications"] == [quality("good")]
    assert by_data["https://cdn.example.com/e.png"]["isPreLabeled"] is True


def test_an_upload_forwards_the_tasks_waiting_in_start_and_its_own_alike(sdk):
    project_id, names = new_project(sdk, WORKFLOWS["waits-in-start"])
    upload(sdk, project_id, ITEMS[:2])
    use_stages(sdk, project_id, start("Label"), label("Label", "Complete"), complete())

    upload(sdk, project_id, ITEMS[2:])

    made = normalized(contents(sdk, project_id), names)
    assert [(t["stage"], len(t["history"])) for t in made["tasks"]] == [("Label", 1)] * 8


def test_a_bulk_upload_is_replayed_from_the_data_file_as_it_was_answered(tmp_path):
    from imerit_ango.sdk import SDK

    from tests.robustness.test_persistence import start

    data_file = str(tmp_path / "data.json")
    process, url = start(data_file)
    try:
        sdk = SDK("bulk-replay", host=url)
        project_id, _ = new_project(sdk, WORKFLOWS["start-label"])
        upload(sdk, project_id, ITEMS)
        before = contents(sdk, project_id)
    finally:
        process.kill()  # no shutdown: what was answered must already be on disk
        process.wait(timeout=30)
    process, url = start(data_file)
    try:
        after = contents(SDK("bulk-replay", host=url), project_id)
    finally:
        process.kill()
        process.wait(timeout=30)
    assert after == before and len(after["tasks"]) == 8


@pytest.mark.parametrize("bad, message", [
    ({"data": 5}, "assets[150].data: Not a valid string."),
    ({"data": ""}, "assets[150].data: Shorter than minimum length 1."),
    ({"externalId": "x"}, "assets[150].data: Missing data for required field."),
    ({"data": "x", "priority": 1001}, "assets[150].priority: Must be greater than or equal to -1000 and less than or "
                                      "equal to 1000."),
    ({"data": "x", "priority": 2.5}, "assets[150].priority: Not a valid integer."),
    ({"data": "x", "attachments": [{"type": "AUDIO", "value": "v"}]},
     "assets[150].attachments[0].type: Must be one of: IMAGE, VIDEO, TEXT."),
    ({"data": "x", "tags": "b1"}, "assets[150].tags: Not a valid list."),  # tags: the SDK leaves them as sent
    ({"data": "x", "tags": ["nope"]}, "assets[150].batches: batch nope not found in project"),
], ids=["data-type", "data-empty", "data-missing", "priority-range", "priority-float", "attachment-type",
        "tags-type", "unknown-batch"])
def test_one_bad_item_of_a_large_upload_is_a_400_naming_it_and_creates_nothing(sdk, bad, message):
    project_id, _ = new_project(sdk, WORKFLOWS["start-label"])
    items = [{"data": f"https://cdn.example.com/{i}.png"} for i in range(300)]
    items[150] = bad

    result = sdk.upload_files_cloud(project_id, items)

    assert result["status"] == "fail" and message in result["message"], result
    assert sdk.get_assets(project_id)["data"]["total"] == 0
    assert sdk.get_tasks(project_id)["data"]["total"] == 0
