"""One labeled project per module, built through the official SDK against the live server: the full ontology
of `ontology.py`, the workflow Start -> Consensus {Judge1, Judge2} -> Label -> Review -> Complete (rejects go
back to Label), three assets in two batches, each judged, labeled, rejected once with QA issues opened in
Review, relabeled and accepted."""
import itertools
from types import SimpleNamespace

import pytest
from imerit_ango.models.annotate import AnnotationPayload, Answer
from imerit_ango.models.enums import ReviewStatus, TaskType
from imerit_ango.models.task_filter import TaskFilter
from imerit_ango.sdk import SDK

from tests.consumers import ontology

ASSETS = {"car-1.png": "north", "car-2.png": "north", "car-3.png": "south"}
_keys = itertools.count(1)


def stage(stage_id, kind, *next_ids, **fields):
    return {"id": stage_id, "type": kind, "name": stage_id, "next": list(next_ids), "position": {"x": 0, "y": 0},
            **fields}


def workflow():
    judges = [stage(name, "Label", "Consensus", assignedTo=[], consensusId="Consensus") for name in ("Judge1", "Judge2")]
    return [stage("Start", "Start", "Consensus", autoForward=True),
            stage("Consensus", "Consensus", "Label", "Label"), *judges,
            stage("Label", "Label", "Review", assignedTo=[]), stage("Review", "Review", "Complete", "Label", assignedTo=[]),
            stage("Complete", "Complete", preventRequeue=False)]


def annotate(sdk, task_id, objects, classifications=(), relations=(), brush=None):
    payload = AnnotationPayload(Answer(objects=list(objects), classifications=list(classifications),
                                       relations=list(relations)), brush_data_url=brush)
    assert sdk.annotate_task(task_id, payload, overwrite=True, send_to_next_stage=True) is True


def _judge(sdk, project_id, external_id):
    children = sdk.get_tasks(project_id, limit=100, task_filter=TaskFilter(task_type=TaskType.CONSENSUS))["data"]
    for child in (c for c in children["tasks"] if c["externalId"] == external_id):
        box = {"schemaId": "tool-bounding-box", "bounding-box": ontology.TOOLS["bounding-box"]}
        annotate(sdk, child["_id"], [box], [{"schemaId": "cls-radio", "answer": "Red"}])


def _open_issues(sdk, task_id, objects):
    """Issues of every documented form: a position with error codes (and a comment), a page range, an object."""
    codes = [{"category": "Wrong", "name": "Slightly incorrect", "key": "wrong-1"}]
    placed = sdk.create_issue(task_id, "box too loose", position=[5, 6], error_codes=codes)["data"]["issue"]
    sdk.add_comment_to_issue(placed["_id"], "tightened it")
    sdk.create_issue(task_id, "wrong page", page=1, page_end=2)
    on_object = sdk.create_issue(task_id, "not a car", object_id=objects[0]["objectId"])["data"]["issue"]
    sdk.update_issue(on_object["_id"], status="Resolved")


def _label_review(sdk, project_id, task_id, with_issues):
    first = ontology.full_answer("first")
    annotate(sdk, task_id, *first, brush=ontology.BRUSH_URL)
    if with_issues:
        _open_issues(sdk, task_id, first[0])
    sdk.review_task(task_id, ReviewStatus.REJECTED)
    annotate(sdk, task_id, *ontology.full_answer("second"), brush=ontology.BRUSH_URL)
    sdk.review_task(task_id, ReviewStatus.ACCEPTED)


@pytest.fixture(scope="module")
def hub(live_server):
    """The labeled project: `sdk`, `key`, `pid`, `tasks` (externalId -> default task id)."""
    key = f"consumer-key-{next(_keys)}"
    sdk = SDK(key, host=live_server.url)
    pid = sdk.create_project("Consumers")["data"]["project"]["_id"]
    sdk.create_label_set(pid, raw_category_schema=ontology.category_schema())
    sdk.update_workflow_stages(pid, workflow())
    for batch in sorted(set(ASSETS.values())):
        sdk.create_batch(pid, batch)
    for external_id, batch in ASSETS.items():
        sdk.upload_files_cloud(pid, [{"data": f"https://cdn.example.com/{external_id}", "externalId": external_id,
                                      "metadata": {"width": 640, "height": 480}}], batches=[batch])
    listed = sdk.get_tasks(pid, limit=100, task_filter=TaskFilter(task_type=TaskType.DEFAULT))["data"]["tasks"]
    tasks = {task["externalId"]: task["_id"] for task in listed}
    for external_id in ASSETS:
        _judge(sdk, pid, external_id)
        _label_review(sdk, pid, tasks[external_id], with_issues=external_id != "car-2.png")
    return SimpleNamespace(sdk=sdk, key=key, pid=pid, tasks=tasks)
