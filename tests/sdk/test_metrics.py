"""Project metrics (the six overview metrics) and project performance through the official SDK (imerit-ango
1.4.10), on a project driven into a known state:

five tasks in Start -> Label -> Review -> (Complete | Label); "a" labeled with two boxes and Quality "good",
"b" labeled with one box and Quality "bad" and accepted to Complete; "c", "d", "e" left in Label.
Assets a, b, c are 640x480, d is 100x50, e has no metadata; b and c are in batch "first".
"""
import json
from datetime import datetime

import pytest
import requests
from imerit_ango.models.annotate import AnnotationPayload, Answer
from imerit_ango.models.enums import Metrics, ReviewStatus
from imerit_ango.sdk import SDK

BOX, QUALITY = "box1", "cls1"
ONTOLOGY = {
    "tools": [{"schemaId": BOX, "title": "Box", "tool": "bounding-box"}],
    "classifications": [{"schemaId": QUALITY, "title": "Quality", "tool": "radio"}],
    "relations": [],
}
ASSETS = {"a": {"width": 640, "height": 480}, "b": {"width": 640, "height": 480},
          "c": {"width": 640, "height": 480}, "d": {"width": 100, "height": 50}, "e": None}
BATCHES = {"b": ["first"], "c": ["first"]}
FAR_PAST, FAR_FUTURE = datetime(1990, 1, 1), datetime(2999, 12, 31)


# --- helpers ---------------------------------------------------------------------------------------------

def node(stage_id, kind, *next_ids, **extra):
    return {"id": stage_id, "name": f"{stage_id} stage", "type": kind, "next": list(next_ids),
            "position": {"x": 0, "y": 0}, **extra}


STAGES = [node("Start", "Start", "Label", autoForward=True), node("Label", "Label", "Review", assignedTo=[]),
          node("Review", "Review", "Complete", "Label", assignedTo=[]), node("Complete", "Complete")]


def box(x):
    return {"schemaId": BOX, "bounding-box": {"x": x, "y": 10, "width": 20, "height": 20}}


def submit(sdk, task_id, boxes, quality):
    payload = AnnotationPayload(Answer(objects=[box(x) for x in boxes],
                                       classifications=[{"schemaId": QUALITY, "answer": quality}]))
    assert sdk.annotate_task(task_id, payload, send_to_next_stage=True) is True


def prepare(sdk, project_id):
    """Ontology, workflow, batches and the five assets, nobody has worked yet; returns {externalId: task id}."""
    sdk.create_label_set(project_id, raw_category_schema=ONTOLOGY)
    sdk.update_workflow_stages(project_id, STAGES)
    sdk.create_batch(project_id, "first")
    sdk.create_batch(project_id, "unused")
    assets = [{"data": f"https://cdn.example.com/{name}.png", "externalId": name,
               **({"metadata": size} if size else {}), **({"batches": BATCHES[name]} if name in BATCHES else {})}
              for name, size in ASSETS.items()]
    assert sdk.upload_files_cloud(project_id, assets)["status"] == "success"
    return {t["externalId"]: t["_id"] for t in sdk.get_tasks(project_id, limit=100)["data"]["tasks"]}


def metric(sdk, project_id, which):
    answer = sdk.get_metrics(project_id, which)
    assert answer["status"] == "success" and list(answer["data"]) == [which.value]
    return answer["data"][which.value]


def performance(sdk, project_id, **kwargs):
    answer = sdk.get_project_performance(project_id, **kwargs)
    assert answer["status"] == "success"
    return answer["data"]["performance"]


def raw_performance(live_server, api_key, project_id, body):
    """POST a WEB-API style performance body (`startDate`, `endDate`, `users`) that the SDK never sends."""
    response = requests.post(f"{live_server.url}/v2/performance/{project_id}", headers={"apikey": api_key},
                             json=body)
    assert response.status_code == 200, response.text
    return response.json()["data"]["performance"]


def empty_buckets():
    return [{"range": f"{low}-{low + 10}", "count": 0} for low in range(0, 100, 10)]


# --- fixtures --------------------------------------------------------------------------------------------

@pytest.fixture
def me(sdk, project_id):
    return sdk.get_project(project_id)["data"]["project"]["owner"]


@pytest.fixture
def driven(sdk, project_id):
    """The project of the module docstring; returns {externalId: task id}."""
    tasks = prepare(sdk, project_id)
    submit(sdk, tasks["a"], [10, 40], "good")
    submit(sdk, tasks["b"], [10], "bad")
    sdk.review_task(tasks["b"], ReviewStatus.ACCEPTED)
    stages = {t["externalId"]: t["stage"] for t in sdk.get_tasks(project_id, limit=100)["data"]["tasks"]}
    assert stages == {"a": "Review", "b": "Complete", "c": "Label", "d": "Label", "e": "Label"}
    return tasks


# --- overview metrics ------------------------------------------------------------------------------------

def test_label_stage_groups_count_the_tasks_in_each_stage(sdk, project_id, driven):
    assert metric(sdk, project_id, Metrics.LabelStageGroups) == [
        {"stageId": "Start", "stageName": "Start stage", "stageType": "Start", "count": 0},
        {"stageId": "Label", "stageName": "Label stage", "stageType": "Label", "count": 3},
        {"stageId": "Review", "stageName": "Review stage", "stageType": "Review", "count": 1},
        {"stageId": "Complete", "stageName": "Complete stage", "stageType": "Complete", "count": 1},
    ]


def test_annotation_status_counts_todo_completed_and_review_statuses(sdk, project_id, driven):
    assert metric(sdk, project_id, Metrics.AnnotationStatus) == {
        "total": 5, "TODO": 4, "Completed": 1,
        "reviewStatus": {"Todo": 4, "Accepted": 1, "Rejected": 0, "Fixed": 0},
        "skipped": 0, "preLabeled": 0,
    }


def test_answer_distribution_counts_objects_per_tool_and_answers_per_classification(sdk, project_id, driven):
    assert metric(sdk, project_id, Metrics.AnswerDistribution) == [
        {"schemaId": BOX, "title": "Box", "kind": "tool", "count": 3},
        {"schemaId": QUALITY, "title": "Quality", "kind": "classification", "count": 2,
         "answers": {"good": 1, "bad": 1}},
    ]


def test_time_per_task_counts_the_work_records_of_each_stage(sdk, project_id, driven):
    timing = metric(sdk, project_id, Metrics.TimePerTask)

    assert timing["count"] == 3  # a and b labeled, b reviewed; the Start records have no person
    assert [(s["stageId"], s["stageName"], s["count"]) for s in timing["byStage"]] == \
        [("Label", "Label stage", 2), ("Review", "Review stage", 1)]
    averages = [timing["averageMs"], timing["medianMs"]] + [s["averageMs"] for s in timing["byStage"]]
    assert all(value >= 0 for value in averages)


def test_time_per_task_of_an_untouched_project_is_empty(sdk, project_id):
    prepare(sdk, project_id)

    assert metric(sdk, project_id, Metrics.TimePerTask) == {"count": 0, "averageMs": 0, "medianMs": 0,
                                                            "byStage": []}


def test_consensus_ranges_are_ten_empty_buckets_without_consensus(sdk, project_id, driven):
    assert metric(sdk, project_id, Metrics.ConsensusRanges) == empty_buckets()


def test_asset_size_counts_assets_and_groups_them_by_dimensions(sdk, project_id, driven):
    sizes = metric(sdk, project_id, Metrics.AssetSize)

    assert (sizes["count"], sizes["uploadedFiles"], sizes["totalBytes"]) == (5, 0, 0)
    assert sorted(sizes["byDimensions"], key=lambda d: d["width"]) == [
        {"width": 100, "height": 50, "count": 1}, {"width": 640, "height": 480, "count": 3}]


def test_metrics_of_an_empty_project(sdk, project_id):
    assert metric(sdk, project_id, Metrics.AnnotationStatus)["total"] == 0
    assert metric(sdk, project_id, Metrics.AnswerDistribution) == []
    assert metric(sdk, project_id, Metrics.AssetSize) == {"count": 0, "uploadedFiles": 0, "totalBytes": 0,
                                                          "byDimensions": []}
    assert [s["count"] for s in metric(sdk, project_id, Metrics.LabelStageGroups)] == [0, 0, 0]


def test_deleted_assets_drop_out_of_the_metrics(sdk, project_id, driven):
    assets = {a["externalId"]: a["_id"] for a in sdk.get_assets(project_id, limit=100)["data"]["assets"]}
    sdk.delete_assets(project_id, [assets["a"], assets["e"]])

    assert [s["count"] for s in metric(sdk, project_id, Metrics.LabelStageGroups)] == [0, 2, 0, 1]
    assert metric(sdk, project_id, Metrics.AnswerDistribution)[1]["answers"] == {"bad": 1}
    assert metric(sdk, project_id, Metrics.AssetSize)["count"] == 3
    assert metric(sdk, project_id, Metrics.TimePerTask)["count"] == 2
    assert performance(sdk, project_id)[0]["labeled"] == 1


def test_an_unknown_metric_is_400(sdk, project_id, driven, live_server, api_key):
    response = requests.get(f"{live_server.url}/v2/{project_id}/overview/Bogus", headers={"apikey": api_key})

    assert response.status_code == 400
    assert response.json() == {"status": "fail", "message": "metric: must be one of " + ", ".join(
        m.value for m in Metrics)}
    assert metric(sdk, project_id, Metrics.AnnotationStatus)["total"] == 5


@pytest.mark.parametrize("which", list(Metrics), ids=lambda m: m.value)
def test_another_organization_gets_invalid_project(sdk, project_id, driven, live_server, api_key, which):
    other = SDK(f"{api_key}-other-org", host=live_server.url)

    with pytest.raises(Exception) as exc_info:
        other.get_metrics(project_id, which)

    assert json.loads(str(exc_info.value)) == {"status": "fail", "message": f"Invalid project: {project_id}."}


# --- performance -----------------------------------------------------------------------------------------

def test_performance_has_one_row_for_the_sdk_user(sdk, project_id, driven, me):
    (row,) = performance(sdk, project_id)

    assert {key: row[key] for key in ("user", "labeled", "reviewed", "accepted", "rejected")} == \
        {"user": me, "labeled": 2, "reviewed": 1, "accepted": 1, "rejected": 0}
    assert row["totalDurationMs"] >= 0
    assert row["averageDurationMs"] == round(row["totalDurationMs"] / 3, 1)


def test_performance_counts_a_rejection(sdk, project_id, driven, me):
    submit(sdk, driven["c"], [10], "good")
    sdk.review_task(driven["c"], ReviewStatus.REJECTED)

    (row,) = performance(sdk, project_id)

    assert (row["labeled"], row["reviewed"], row["accepted"], row["rejected"]) == (3, 2, 1, 1)


def test_performance_of_an_untouched_project_is_empty(sdk, project_id):
    prepare(sdk, project_id)

    assert performance(sdk, project_id) == []


def test_performance_restricted_to_a_batch_counts_only_its_tasks(sdk, project_id, driven, me):
    (row,) = performance(sdk, project_id, batches=["first"])

    assert (row["user"], row["labeled"], row["reviewed"], row["accepted"]) == (me, 1, 1, 1)


def test_performance_of_a_batch_nobody_worked_on_is_empty(sdk, project_id, driven):
    assert performance(sdk, project_id, batches=["unused"]) == []


def test_performance_over_all_time_equals_no_interval(sdk, project_id, driven):
    everything = performance(sdk, project_id)

    assert performance(sdk, project_id, interval=[FAR_PAST, FAR_FUTURE]) == everything
    assert everything[0]["labeled"] == 2


def test_performance_in_a_past_interval_is_empty(sdk, project_id, driven):
    assert performance(sdk, project_id, interval=[datetime(2000, 1, 1), datetime(2000, 12, 31)]) == []


def test_performance_accepts_the_web_api_start_and_end_dates(sdk, project_id, driven, live_server, api_key):
    def between(start, end):
        return raw_performance(live_server, api_key, project_id, {"startDate": start, "endDate": end})

    everything = performance(sdk, project_id)

    assert between("1990-01-01T00:00:00.000Z", "2999-12-31T00:00:00.000Z") == everything
    assert between("2000-01-01T00:00:00.000Z", "2000-12-31T00:00:00.000Z") == []
    assert everything[0]["labeled"] == 2


def test_performance_restricted_to_other_users_is_empty(sdk, project_id, driven, live_server, api_key, me):
    assert raw_performance(live_server, api_key, project_id, {"users": [me]})[0]["user"] == me

    assert raw_performance(live_server, api_key, project_id, {"users": ["nobody@example.com"]}) == []
