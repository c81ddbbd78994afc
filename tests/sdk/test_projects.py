"""Projects through the official SDK (imerit-ango 1.4.10) against a live mockhub.

Every test reads state back after the call it checks; negative tests also check that nothing changed.
"""
import json
import re

import pytest
import requests
from imerit_ango.models.enums import ProjectRoles, ProjectType
from imerit_ango.models.label_category import (Classification, ClassificationCategory, LabelOption, Relation,
                                               RelationCategory, Tool, ToolCategory)
from imerit_ango.sdk import SDK

OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
LIST_FIELDS = {"_id", "name", "description", "organization", "createdAt"}
DEFAULT_STAGE_IDS = ["Start", "Label", "Complete"]


# --- helpers ---------------------------------------------------------------------------------------------

@pytest.fixture
def statuses(sdk):
    """HTTP status codes of every answer the SDK's session receives, in order."""
    seen = []
    sdk.session.hooks["response"].append(lambda response, *args, **kwargs: seen.append(response.status_code))
    return seen


def api_error(call, *args, **kwargs):
    """Run an SDK call that must fail; return the JSON error body (the SDK raises Exception(response.text))."""
    with pytest.raises(Exception) as excinfo:
        call(*args, **kwargs)
    return json.loads(str(excinfo.value))


def project_doc(sdk, project_id):
    return sdk.get_project(project_id)["data"]["project"]


def new_project(sdk, name="Project", description="", project_type=None):
    return sdk.create_project(name, description, project_type)["data"]["project"]["_id"]


def all_project_ids(sdk):
    body = sdk.list_projects(page=1, limit=1000)["data"]
    return [p["_id"] for p in body["projects"]], body["total"]


def upload_asset(sdk, project_id, external_id):
    answer = sdk.upload_files_cloud(project_id, [{"data": f"https://example.com/{external_id}",
                                                  "externalId": external_id}])
    assert answer["status"] == "success", answer
    assert answer["data"]["assets"]["assetsCreated"] == 1


def stage(stage_id, kind, nexts, **extra):
    return {"id": stage_id, "type": kind, "name": stage_id, "next": nexts, "position": {"x": 0, "y": 0}, **extra}


def review_workflow():
    """Start -> Label -> Review; Review accepts to Complete (next[0]) and rejects back to Label (next[1])."""
    return [stage("Start", "Start", ["Label"], autoForward=True),
            stage("Label", "Label", ["Review"], assignedTo=[]),
            stage("Review", "Review", ["Complete", "Label"]),
            stage("Complete", "Complete", [])]


def category_schema_objects():
    """A label set built from the SDK's model classes; fixed ids and colours so it can be compared."""
    tools = [ToolCategory(Tool.BoundingBox, title="Car", schemaId="car-id", color="#FF0000", shortcutKey="c",
                          classifications=[ClassificationCategory(Classification.Radio, title="Colour",
                                                                  schemaId="colour-id", color="#00FF00",
                                                                  options=[LabelOption("red", "red-id"),
                                                                           LabelOption("blue", "blue-id")])]),
             ToolCategory(Tool.Polygon, title="Road", schemaId="road-id", color="#0000FF", required=True)]
    classifications = [ClassificationCategory(Classification.Text, title="Note", schemaId="note-id",
                                              color="#123456", regex="^[a-z]+$"),
                       ClassificationCategory(Classification.Checkbox, title="Weather", schemaId="weather-id",
                                              color="#654321", options=[LabelOption("rain", "rain-id")])]
    relations = [RelationCategory(Relation.Group, title="Convoy", schemaId="convoy-id", color="#ABCDEF")]
    return tools, classifications, relations


# --- list_projects ---------------------------------------------------------------------------------------

def test_list_projects_walks_every_page_newest_first_with_the_true_total(sdk):
    created = [new_project(sdk, f"Project {i}") for i in range(7)]

    pages = [sdk.list_projects(page=page, limit=3)["data"] for page in (1, 2, 3)]

    assert [len(p["projects"]) for p in pages] == [3, 3, 1]
    assert [p["total"] for p in pages] == [7, 7, 7]
    walked = [item["_id"] for p in pages for item in p["projects"]]
    assert walked == list(reversed(created))
    assert [item["name"] for item in pages[0]["projects"]] == ["Project 6", "Project 5", "Project 4"]


def test_list_projects_page_past_the_end_is_empty_with_the_true_total(sdk):
    for i in range(4):
        new_project(sdk, f"P{i}")

    body = sdk.list_projects(page=3, limit=3)["data"]

    assert body == {"projects": [], "total": 4}


def test_list_projects_items_carry_only_the_list_fields(sdk):
    project_id = new_project(sdk, "Listed", "its description")
    full = project_doc(sdk, project_id)

    (item,) = sdk.list_projects()["data"]["projects"]

    assert set(item) == LIST_FIELDS
    assert item == {"_id": project_id, "name": "Listed", "description": "its description",
                    "organization": full["organization"], "createdAt": full["createdAt"]}


def test_list_projects_is_scoped_to_the_key_organization(sdk, live_server, api_key):
    mine = {new_project(sdk, "mine 1"), new_project(sdk, "mine 2")}
    other = SDK(f"{api_key}-other-org", host=live_server.url)

    assert other.list_projects()["data"] == {"projects": [], "total": 0}
    theirs = new_project(other, "theirs")

    assert all_project_ids(other) == ([theirs], 1)
    ids, total = all_project_ids(sdk)
    assert (set(ids), total) == (mine, 2)


def test_list_projects_rejects_a_limit_above_the_cap(sdk, statuses):
    new_project(sdk, "only one")

    error = api_error(sdk.list_projects, page=1, limit=1001)

    assert statuses[-1] == 400
    assert error == {"status": "fail", "message": "limit must be at most 1000, got 1001"}


# --- create_project / get_project ------------------------------------------------------------------------

@pytest.mark.parametrize("project_type, expected", [(None, "ango"), (ProjectType.Ango, "ango"),
                                                    (ProjectType.PCT, "pct"), (ProjectType.IFrame, "iframe")])
def test_create_project_stores_name_description_and_type(sdk, statuses, project_type, expected):
    created = sdk.create_project("Typed", "typed project", project_type)["data"]["project"]

    assert statuses[-1] == 201
    stored = project_doc(sdk, created["_id"])
    assert (stored["name"], stored["description"], stored["type"]) == ("Typed", "typed project", expected)
    assert OBJECT_ID.match(stored["_id"])


def test_create_project_without_description_stores_empty_string(sdk):
    project_id = sdk.create_project("No description")["data"]["project"]["_id"]

    assert project_doc(sdk, project_id)["description"] == ""


def test_get_project_returns_the_full_document_with_the_default_workflow(sdk, project_id):
    project = project_doc(sdk, project_id)

    assert project["_id"] == project_id
    assert (project["name"], project["description"]) == ("Test project", "made by a test")
    stages = project["stages"]
    assert [s["id"] for s in stages] == DEFAULT_STAGE_IDS
    assert [s["type"] for s in stages] == DEFAULT_STAGE_IDS
    assert [s["next"] for s in stages] == [["Label"], ["Complete"], []]
    assert stages[0]["autoForward"] is True
    assert project["batches"] == [] and project["tags"] == []
    assert project["categorySchema"] == {"tools": [], "classifications": [], "relations": []}
    assert project["role"] == "Manager"
    assert project["assignedTo"] == [{"assignee": project["owner"], "role": "Manager"}]
    assert "@" in project["owner"]
    assert project["deleted"] is False
    assert project["assetCount"] == 0


def test_create_project_answer_is_the_stored_project(sdk):
    created = sdk.create_project("Echo", "echoed")["data"]["project"]

    assert created == project_doc(sdk, created["_id"])


def test_create_project_with_an_empty_name_is_rejected_and_creates_nothing(sdk, statuses):
    error = api_error(sdk.create_project, "")

    assert statuses[-1] == 400
    assert error["status"] == "fail"
    assert error["message"].startswith("Validation failed: name:")
    assert sdk.list_projects()["data"] == {"projects": [], "total": 0}


# --- create_label_set -------------------------------------------------------------------------------------

def test_create_label_set_from_model_objects_is_read_back(sdk, project_id):
    sent = sdk.create_label_set(project_id, *category_schema_objects())
    expected_tools, expected_classifications, expected_relations = category_schema_objects()
    expected = {"tools": [t.toDict() for t in expected_tools],
                "classifications": [c.toDict() for c in expected_classifications],
                "relations": [r.toDict() for r in expected_relations]}

    schema = project_doc(sdk, project_id)["categorySchema"]

    assert schema == expected
    assert sent["data"]["project"]["categorySchema"] == expected
    assert schema["tools"][0]["classifications"][0]["options"] == [{"value": "red", "schemaId": "red-id"},
                                                                   {"value": "blue", "schemaId": "blue-id"}]


def test_create_label_set_raw_schema_replaces_the_whole_schema(sdk, project_id):
    sdk.create_label_set(project_id, *category_schema_objects())
    raw = {"tools": [{"tool": "point", "title": "Pin", "schemaId": "pin-id", "classifications": [], "options": []}],
           "classifications": [], "relations": []}

    sdk.create_label_set(project_id, raw_category_schema=raw)

    assert project_doc(sdk, project_id)["categorySchema"] == raw


def test_create_label_set_with_an_unknown_tool_type_is_rejected_and_changes_nothing(sdk, project_id, statuses):
    tools, _, _ = category_schema_objects()
    sdk.create_label_set(project_id, tools=tools)
    before = project_doc(sdk, project_id)["categorySchema"]
    raw = {"tools": [{"tool": "laser-pointer", "title": "Bad"}], "classifications": [], "relations": []}

    error = api_error(sdk.create_label_set, project_id, raw_category_schema=raw)

    assert statuses[-1] == 400
    assert error["status"] == "fail"
    assert error["message"].startswith("Validation failed: categorySchema.tools[0].tool: Must be one of:")
    assert "bounding-box" in error["message"]
    assert project_doc(sdk, project_id)["categorySchema"] == before
    assert [t["title"] for t in before["tools"]] == ["Car", "Road"]


# --- update_workflow_stages -------------------------------------------------------------------------------

def test_update_workflow_stages_stores_a_review_workflow(sdk, project_id):
    answer = sdk.update_workflow_stages(project_id, review_workflow())

    stored = project_doc(sdk, project_id)["stages"]
    assert stored == review_workflow()
    assert answer["data"]["project"]["stages"] == review_workflow()
    assert next(s for s in stored if s["id"] == "Review")["next"] == ["Complete", "Label"]


def _unknown_next():
    stages = review_workflow()
    stages[1]["next"] = ["Nowhere"]
    return stages


def _two_starts():
    return review_workflow() + [stage("Start2", "Start", ["Label"])]


def _review_with_one_output():
    stages = review_workflow()
    stages[2]["next"] = ["Complete"]
    return stages


@pytest.mark.parametrize("stages, message", [
    (_unknown_next(), "stages: stage Label: next points to unknown stage Nowhere"),
    (_two_starts(), "stages: a workflow needs exactly one Start stage, found 2"),
    (_review_with_one_output(), "stages: stage Review: a Review stage needs 2 next stage(s), has 1"),
], ids=["unknown-next", "two-starts", "review-one-output"])
def test_update_workflow_stages_rejects_an_invalid_graph_and_keeps_the_old_one(sdk, project_id, statuses,
                                                                               stages, message):
    sdk.update_workflow_stages(project_id, review_workflow())

    error = api_error(sdk.update_workflow_stages, project_id, stages)

    assert statuses[-1] == 400
    assert error == {"status": "fail", "message": message}
    assert project_doc(sdk, project_id)["stages"] == review_workflow()


def test_update_workflow_stages_refuses_to_drop_a_stage_that_holds_tasks(sdk, project_id, statuses):
    upload_asset(sdk, project_id, "held.png")  # the task moves Start -> Label at once
    without_label = [stage("Start", "Start", ["Complete"], autoForward=True), stage("Complete", "Complete", [])]

    error = api_error(sdk.update_workflow_stages, project_id, without_label)

    assert statuses[-1] == 400
    assert error["message"] == "stages: stage Label still holds 1 task(s); requeue them first"
    assert [s["id"] for s in project_doc(sdk, project_id)["stages"]] == DEFAULT_STAGE_IDS


# --- update_benchmark_settings ----------------------------------------------------------------------------

def test_update_benchmark_settings_is_read_back_and_partial(sdk, project_id):
    sdk.update_benchmark_settings(project_id, True, benchmark_ratio=25, benchmark_cutoff=True)
    project = project_doc(sdk, project_id)
    assert (project["benchmarkEnabled"], project["benchmarkRatio"], project["benchmarkCutoff"]) == (True, 25, True)

    sdk.update_benchmark_settings(project_id, False)

    project = project_doc(sdk, project_id)
    assert (project["benchmarkEnabled"], project["benchmarkRatio"], project["benchmarkCutoff"]) == (False, 25, True)


def test_update_benchmark_settings_rejects_a_ratio_over_100(sdk, project_id, statuses):
    sdk.update_benchmark_settings(project_id, True, benchmark_ratio=10)

    error = api_error(sdk.update_benchmark_settings, project_id, False, benchmark_ratio=150)

    assert statuses[-1] == 400
    assert error["message"].startswith("Validation failed: benchmarkRatio:")
    project = project_doc(sdk, project_id)
    assert (project["benchmarkEnabled"], project["benchmarkRatio"]) == (True, 10)


# --- clone_project ----------------------------------------------------------------------------------------

@pytest.fixture
def rich_project(sdk):
    """A project with a label set, a Review workflow, a batch, an extra member, benchmark settings and an asset."""
    project_id = new_project(sdk, "Source", "the original")
    sdk.create_label_set(project_id, *category_schema_objects())
    sdk.update_workflow_stages(project_id, review_workflow())
    sdk.create_batch(project_id, "batch-a")
    sdk.add_members_to_project(project_id, ["labeler@example.com"], ProjectRoles.Labeler)
    sdk.update_benchmark_settings(project_id, True, benchmark_ratio=40)
    upload_asset(sdk, project_id, "source.png")
    return project_id


def test_clone_project_copies_settings_but_not_assets_or_tasks(sdk, rich_project, statuses):
    source = project_doc(sdk, rich_project)

    clone = sdk.clone_project(rich_project)["data"]["project"]

    assert statuses[-1] == 201
    copy = project_doc(sdk, clone["_id"])
    assert copy["_id"] != rich_project
    assert (copy["name"], copy["description"]) == ("Source copy", "the original")
    assert copy["categorySchema"] == source["categorySchema"]
    assert copy["stages"] == source["stages"]
    assert copy["assignedTo"] == source["assignedTo"]
    assert [b["name"] for b in copy["batches"]] == ["batch-a"]
    assert copy["batches"][0]["_id"] != source["batches"][0]["_id"]
    assert (copy["benchmarkEnabled"], copy["benchmarkRatio"]) == (True, 40)
    assert sdk.get_tasks(clone["_id"])["data"]["total"] == 0
    assert sdk.get_assets(clone["_id"])["data"]["total"] == 0
    assert copy["assetCount"] == 0
    assert sdk.get_tasks(rich_project)["data"]["total"] == 1
    assert set(all_project_ids(sdk)[0]) == {rich_project, clone["_id"]}


@pytest.mark.parametrize("flag, field, default", [
    ("category_schema", "categorySchema", {"tools": [], "classifications": [], "relations": []}),
    ("workflow", "stages", None),
    ("batches", "batches", []),
    ("project_general_settings", "benchmarkRatio", 0),
])
def test_clone_project_flag_false_leaves_that_section_at_its_default(sdk, rich_project, flag, field, default):
    source = project_doc(sdk, rich_project)

    clone_id = sdk.clone_project(rich_project, **{flag: False})["data"]["project"]["_id"]

    copy = project_doc(sdk, clone_id)
    if field == "stages":
        assert [s["id"] for s in copy["stages"]] == DEFAULT_STAGE_IDS
    else:
        assert copy[field] == default
    assert copy[field] != source[field]
    # the other sections are still copied
    others = {"categorySchema", "stages", "assignedTo"} - {field}
    assert {key: copy[key] for key in others} == {key: source[key] for key in others}


def test_clone_project_without_members_keeps_only_the_cloner(sdk, rich_project):
    clone_id = sdk.clone_project(rich_project, assigned_to=False)["data"]["project"]["_id"]

    copy = project_doc(sdk, clone_id)
    assert copy["assignedTo"] == [{"assignee": copy["owner"], "role": "Manager"}]
    assert {"assignee": "labeler@example.com", "role": "Labeler"} in project_doc(sdk, rich_project)["assignedTo"]


# --- delete_project / purge_project -----------------------------------------------------------------------

def test_delete_project_hides_it_everywhere(sdk, project_id, statuses):
    keep = new_project(sdk, "Keep")
    upload_asset(sdk, project_id, "doomed.png")

    answer = sdk.delete_project(project_id)

    assert answer["data"]["project"] == {"_id": project_id, "deleted": True}
    assert api_error(sdk.get_project, project_id) == {"status": "fail", "message": f"Invalid project: {project_id}."}
    assert statuses[-1] == 400
    assert api_error(sdk.get_tasks, project_id)["message"] == f"Invalid project: {project_id}."
    assert all_project_ids(sdk) == ([keep], 1)


def test_delete_project_twice_fails_the_second_time(sdk, project_id):
    sdk.delete_project(project_id)

    assert api_error(sdk.delete_project, project_id)["message"] == f"Invalid project: {project_id}."


def test_purge_project_with_the_wrong_name_is_rejected_and_keeps_the_project(sdk, project_id, statuses):
    error = api_error(sdk.purge_project, project_id, "Wrong name")

    assert statuses[-1] == 400
    assert error == {"status": "fail", "message": "confirmName: does not match the project name"}
    assert project_doc(sdk, project_id)["name"] == "Test project"
    assert all_project_ids(sdk) == ([project_id], 1)


def test_purge_project_with_the_right_name_removes_it(sdk, project_id):
    answer = sdk.purge_project(project_id, "Test project")

    assert answer["data"]["project"] == {"_id": project_id, "purged": True}
    assert api_error(sdk.get_project, project_id)["message"] == f"Invalid project: {project_id}."
    assert all_project_ids(sdk) == ([], 0)


# --- add_members_to_project -------------------------------------------------------------------------------

def test_add_members_to_project_stores_each_member_with_the_role(sdk, project_id):
    owner = project_doc(sdk, project_id)["owner"]

    sdk.add_members_to_project(project_id, ["ann@example.com", "bob@example.com"], ProjectRoles.Labeler)

    assert project_doc(sdk, project_id)["assignedTo"] == [
        {"assignee": owner, "role": "Manager"},
        {"assignee": "ann@example.com", "role": "Labeler"},
        {"assignee": "bob@example.com", "role": "Labeler"}]


def test_add_members_to_project_again_replaces_the_earlier_role(sdk, project_id):
    sdk.add_members_to_project(project_id, ["ann@example.com", "bob@example.com"], ProjectRoles.Labeler)

    sdk.add_members_to_project(project_id, ["ann@example.com"], ProjectRoles.Reviewer)

    members = project_doc(sdk, project_id)["assignedTo"]
    assert [m for m in members if m["assignee"] == "ann@example.com"] == [{"assignee": "ann@example.com",
                                                                           "role": "Reviewer"}]
    assert {"assignee": "bob@example.com", "role": "Labeler"} in members
    assert len(members) == 3


def test_add_members_to_project_can_change_the_callers_own_role(sdk, project_id):
    owner = project_doc(sdk, project_id)["owner"]

    sdk.add_members_to_project(project_id, [owner], ProjectRoles.Lead)

    project = project_doc(sdk, project_id)
    assert project["assignedTo"] == [{"assignee": owner, "role": "Lead"}]
    assert project["role"] == "Lead"


def test_add_members_to_project_rejects_a_bad_email_and_changes_nothing(sdk, project_id, statuses):
    before = project_doc(sdk, project_id)["assignedTo"]

    error = api_error(sdk.add_members_to_project, project_id, ["ok@example.com", "not-an-email"],
                      ProjectRoles.Labeler)

    assert statuses[-1] == 400
    assert error["message"].startswith("Validation failed: assignees[1]:")
    assert project_doc(sdk, project_id)["assignedTo"] == before


def test_add_members_to_project_rejects_an_unknown_role_and_changes_nothing(sdk, project_id, live_server, api_key):
    before = project_doc(sdk, project_id)["assignedTo"]

    response = requests.post(f"{live_server.url}/v2/project/{project_id}/assigned", headers={"apikey": api_key},
                             json={"assignees": ["ann@example.com"], "role": "Boss"})

    assert response.status_code == 400
    assert response.json()["message"].startswith("Validation failed: role: Must be one of:")
    assert project_doc(sdk, project_id)["assignedTo"] == before


# --- errors -----------------------------------------------------------------------------------------------

def test_get_project_unknown_id_raises_exactly_the_documented_body(sdk):
    with pytest.raises(Exception) as excinfo:
        sdk.get_project("not-an-id")

    assert str(excinfo.value) == '{"status":"fail","message":"Invalid project: not-an-id."}'


def test_get_project_unknown_id_raises_the_documented_error(sdk, statuses):
    with pytest.raises(Exception) as excinfo:
        sdk.get_project("not-an-id")

    assert statuses[-1] == 400
    assert str(excinfo.value).rstrip("\n") == '{"status":"fail","message":"Invalid project: not-an-id."}'


def test_a_project_of_another_organization_is_invisible_and_untouchable(sdk, project_id, live_server, api_key):
    stranger = SDK(f"{api_key}-stranger", host=live_server.url)
    expected = {"status": "fail", "message": f"Invalid project: {project_id}."}

    assert api_error(stranger.get_project, project_id) == expected
    assert api_error(stranger.update_benchmark_settings, project_id, True, benchmark_ratio=99) == expected
    assert api_error(stranger.create_batch, project_id, "intruder") == expected
    assert api_error(stranger.delete_project, project_id) == expected
    assert api_error(stranger.clone_project, project_id) == expected
    assert stranger.list_projects()["data"] == {"projects": [], "total": 0}

    project = project_doc(sdk, project_id)
    assert (project["benchmarkEnabled"], project["benchmarkRatio"], project["batches"]) == (False, 0, [])
    assert all_project_ids(sdk) == ([project_id], 1)


def test_update_project_with_an_unknown_key_is_rejected(sdk, project_id, live_server, api_key):
    response = requests.post(f"{live_server.url}/v2/project/{project_id}", headers={"apikey": api_key},
                             json={"benchmarkEnabled": True, "colour": "red"})

    assert response.status_code == 400
    assert response.json()["message"].startswith("Validation failed: colour:")
    assert project_doc(sdk, project_id)["benchmarkEnabled"] is False
