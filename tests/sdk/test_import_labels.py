"""Pre-label import (spec 6) through the official SDK: matching by externalId, titles for schemaIds, invalid
objects, the Start-stage rule, isPreLabeled, jsonContent as a string, and Start's autoForward rule."""
import json

import pytest
import requests
from imerit_ango.models.task_filter import TaskFilter

BOX, QUALITY = "box1", "cls1"
ONTOLOGY = {
    "tools": [{"schemaId": BOX, "title": "Box", "tool": "bounding-box"},
              {"schemaId": "pt1", "title": "Person", "tool": "point"}],
    "classifications": [{"schemaId": QUALITY, "title": "Quality", "tool": "radio"}],
    "relations": [],
}
UNKNOWN_PROJECT = "0" * 24


def box(**extra):
    return {"schemaId": BOX, "bounding-box": {"x": 192.5, "y": 166.9, "width": 66.2, "height": 61.9}, **extra}


def record(external_id, objects=(), classifications=()):
    return {"externalId": external_id, "objects": list(objects), "classifications": list(classifications)}


# --- helpers ----------------------------------------------------------------------------------------------------

def set_auto_forward(sdk, project_id, on):
    stages = sdk.get_project(project_id)["data"]["project"]["stages"]
    next(s for s in stages if s["type"] == "Start")["autoForward"] = on
    sdk.update_workflow_stages(project_id, stages)


def upload(sdk, project_id, *names):
    assets = [{"data": f"https://cdn.example.com/{index}-{name}.png", "externalId": name}
              for index, name in enumerate(names)]
    assert sdk.upload_files_cloud(project_id, assets)["status"] == "success"


def tasks(sdk, project_id, external_id=None):
    task_filter = TaskFilter(external_id=external_id) if external_id else None
    return sdk.get_tasks(project_id, limit=100, include_answer=True, task_filter=task_filter)["data"]["tasks"]


def stages(sdk, project_id):
    return sorted((task["externalId"], task["stage"]) for task in tasks(sdk, project_id))


def answers(sdk, project_id, external_id):
    return [task["answer"] for task in tasks(sdk, project_id, external_id)]


def imported(sdk, project_id, *records):
    return sdk.import_labels(project_id, list(records))["data"]


@pytest.fixture
def held(sdk, project_id):
    """An ontology, Start holding tasks, and assets twin, twin (same externalId), solo waiting in Start."""
    sdk.create_label_set(project_id, raw_category_schema=ONTOLOGY)
    set_auto_forward(sdk, project_id, False)
    upload(sdk, project_id, "twin", "twin", "solo")
    assert stages(sdk, project_id) == [("solo", "Start"), ("twin", "Start"), ("twin", "Start")]


# --- matching and content ---------------------------------------------------------------------------------------

def test_every_asset_with_the_external_id_gets_the_labels(sdk, project_id, held):
    relation = {"schemaId": "rel1", "title": "", "from": "car-1", "to": "car-1"}
    result = imported(sdk, project_id, dict(record("twin", [box(objectId="car-1", lock=True)],
                                                   [{"schemaId": QUALITY, "answer": "good"}]), relations=[relation]))

    assert result["project"] == "2 / 2 tasks are labeled."
    twins = answers(sdk, project_id, "twin")
    assert len(twins) == 2
    for answer in twins:
        (tool,) = answer["tools"]
        assert (tool["schemaId"], tool["objectId"], tool["lock"]) == (BOX, "car-1", True)
        assert tool["bounding-box"] == box()["bounding-box"]
        assert tool["metadata"]["createdBy"] == "import"
        assert answer["classifications"] == [{"schemaId": QUALITY, "answer": "good"}]
        (stored,) = answer["relations"]
        assert {key: stored[key] for key in relation} == relation and stored["objectId"]  # given an id, as tools
    assert answers(sdk, project_id, "solo") == [{"tools": [], "classifications": [], "relations": []}]
    assert stages(sdk, project_id) == [("solo", "Start"), ("twin", "Start"), ("twin", "Start")]


def test_objects_without_object_id_get_one(sdk, project_id, held):
    imported(sdk, project_id, record("solo", [box(), box()]))

    (answer,) = answers(sdk, project_id, "solo")
    ids = [tool["objectId"] for tool in answer["tools"]]
    assert len(ids) == 2 and ids[0] != ids[1] and all(ids)


def test_title_may_stand_in_for_the_schema_id(sdk, project_id, held):
    result = imported(sdk, project_id, record("solo", [{"title": "Person", "point": [318.9, 459.1]}],
                                              [{"title": "Quality", "answer": "bad"}]))

    assert result["project"] == "1 / 1 tasks are labeled."
    (answer,) = answers(sdk, project_id, "solo")
    assert [(tool["schemaId"], tool["point"]) for tool in answer["tools"]] == [("pt1", [318.9, 459.1])]
    assert [(c["schemaId"], c["answer"]) for c in answer["classifications"]] == [(QUALITY, "bad")]


def test_objects_with_an_unknown_schema_id_or_title_are_skipped_and_counted(sdk, project_id, held):
    result = imported(sdk, project_id, record("solo", [{"schemaId": "nope", "point": [1, 2]}, box(objectId="kept"),
                                                       {"title": "Nobody", "point": [3, 4]}],
                                              [{"schemaId": "nope-either", "answer": "x"}]))

    assert (result["project"], result["invalidObjects"]) == ("1 / 1 tasks are labeled.", 3)
    (answer,) = answers(sdk, project_id, "solo")
    assert [tool["objectId"] for tool in answer["tools"]] == ["kept"]
    assert answer["classifications"] == []


def test_records_are_matched_by_asset_id_and_data_too(sdk, project_id, held):
    solo = tasks(sdk, project_id, "solo")[0]
    twin_data = tasks(sdk, project_id, "twin")[0]["asset"]["data"]

    result = imported(sdk, project_id, {"assetId": solo["asset"]["_id"], "objects": [box(objectId="by-id")]},
                      {"data": twin_data, "objects": [box(objectId="by-data")]})

    assert result["project"] == "2 / 2 tasks are labeled."
    assert [[t["objectId"] for t in a["tools"]] for a in answers(sdk, project_id, "solo")] == [["by-id"]]
    assert sorted(len(a["tools"]) for a in answers(sdk, project_id, "twin")) == [0, 1]


def test_unmatched_external_id_labels_nothing(sdk, project_id, held):
    assert imported(sdk, project_id, record("ghost", [box()]))["project"] == "0 / 0 tasks are labeled."


def test_is_pre_labeled_is_set_on_task_and_asset(sdk, project_id, held):
    imported(sdk, project_id, record("solo", [box()]))

    by_name = {t["externalId"]: t["isPreLabeled"] for t in tasks(sdk, project_id)}
    assert by_name == {"solo": True, "twin": False}
    assets = sdk.get_assets(project_id, limit=100)["data"]["assets"]
    assert sorted((a["externalId"], a["isPreLabeled"]) for a in assets) == \
        [("solo", True), ("twin", False), ("twin", False)]


# --- the Start-stage rule ---------------------------------------------------------------------------------------

def test_tasks_outside_start_are_not_labeled(sdk, project_id):
    sdk.create_label_set(project_id, raw_category_schema=ONTOLOGY)
    upload(sdk, project_id, "busy")
    (before,) = tasks(sdk, project_id)
    assert before["stage"] == "Label"

    result = imported(sdk, project_id, record("busy", [box()]))

    assert result["project"] == "0 / 1 tasks are labeled."
    (after,) = tasks(sdk, project_id)
    assert after == before


def test_only_the_tasks_still_in_start_are_labeled(sdk, project_id, held):
    set_auto_forward(sdk, project_id, True)
    upload(sdk, project_id, "twin")  # forwards the three waiting tasks too, and the new one
    set_auto_forward(sdk, project_id, False)
    upload(sdk, project_id, "twin")

    result = imported(sdk, project_id, record("twin", [box()]))

    assert result["project"] == "1 / 4 tasks are labeled."
    assert sorted((t["stage"], len(t["answer"]["tools"])) for t in tasks(sdk, project_id, "twin")) == \
        [("Label", 0), ("Label", 0), ("Label", 0), ("Start", 1)]


def test_auto_forward_on_then_an_upload_forwards_waiting_tasks_with_their_pre_labels(sdk, project_id, held):
    imported(sdk, project_id, record("solo", [box(objectId="pre")]))
    set_auto_forward(sdk, project_id, True)
    assert stages(sdk, project_id) == [("solo", "Start"), ("twin", "Start"), ("twin", "Start")]  # no upload yet

    upload(sdk, project_id, "late")

    assert stages(sdk, project_id) == [("late", "Label"), ("solo", "Label"), ("twin", "Label"), ("twin", "Label")]
    (answer,) = answers(sdk, project_id, "solo")
    assert [tool["objectId"] for tool in answer["tools"]] == ["pre"]
    solo = tasks(sdk, project_id, "solo")[0]
    assert [r["stage"] for r in sdk.get_task_history(task_id=solo["_id"])["data"]["taskHistory"]] == ["Start"]


def test_forwarded_waiting_tasks_carry_no_duration_from_their_wait_in_start(sdk, project_id, held, live_server):
    live_server.app.extensions["mockhub"].clock.advance(100)
    set_auto_forward(sdk, project_id, True)

    upload(sdk, project_id, "late")

    solo = tasks(sdk, project_id, "solo")[0]
    assert solo["stage"] == "Label"
    assert (solo["duration"], solo["totalDuration"]) == (0, 0)
    (start_record,) = sdk.get_task_history(task_id=solo["_id"])["data"]["taskHistory"]
    assert start_record["duration"] == 0


# --- request forms and errors -----------------------------------------------------------------------------------

def post_import(live_server, api_key, body):
    return requests.post(f"{live_server.url}/v2/import/labels", json=body, headers={"apikey": api_key})


def test_json_content_may_be_a_json_string(sdk, project_id, held, live_server, api_key):
    response = post_import(live_server, api_key,
                           {"project": project_id, "jsonContent": json.dumps([record("twin", [box()])])})

    assert response.status_code == 200
    assert response.json()["data"]["project"] == "2 / 2 tasks are labeled."
    assert [len(a["tools"]) for a in answers(sdk, project_id, "twin")] == [1, 1]


def test_the_web_api_labels_body_with_answer_objects_is_accepted(sdk, project_id, held, live_server, api_key):
    body = {"project": project_id, "labels": [{"externalId": "solo", "answer": {"objects": [box(objectId="w")]}}]}

    response = post_import(live_server, api_key, body)

    assert response.status_code == 200
    assert response.json()["data"]["project"] == "1 / 1 tasks are labeled."
    assert [[t["objectId"] for t in a["tools"]] for a in answers(sdk, project_id, "solo")] == [["w"]]


def test_unknown_project_is_400(sdk, project_id, held):
    with pytest.raises(Exception) as exc_info:
        imported(sdk, UNKNOWN_PROJECT, record("twin", [box()]))

    assert json.loads(str(exc_info.value)) == {"status": "fail", "message": f"Invalid project: {UNKNOWN_PROJECT}."}
    assert [len(a["tools"]) for a in answers(sdk, project_id, "twin")] == [0, 0]


@pytest.mark.parametrize("body, message", [
    ({"jsonContent": "[not json"}, "Validation failed: jsonContent: not valid JSON"),
    ({"jsonContent": {"externalId": "twin"}}, "Validation failed: jsonContent: must be a list of label records"),
    ({"jsonContent": [{"objects": [box()]}]}, "jsonContent[0]: name the asset by externalId, data or assetId"),
    ({}, "Validation failed: jsonContent: give jsonContent (a list of label records, or that list as a JSON string)"),
], ids=["bad-json-string", "not-a-list", "record-without-key", "missing"])
def test_malformed_imports_are_400_and_label_nothing(sdk, project_id, held, live_server, api_key, body, message):
    before = tasks(sdk, project_id)

    response = post_import(live_server, api_key, {"project": project_id, **body})

    assert (response.status_code, response.json()) == (400, {"status": "fail", "message": message})
    assert tasks(sdk, project_id) == before
