"""The workflow through the official SDK against a live mockhub: annotate (save / submit / merge), review,
requeue, stickiness, task history, and every stage type (Logic, Consensus, Hold, Plugin, Archive)."""
import json
import uuid
from types import SimpleNamespace

import pytest
from imerit_ango.models.annotate import AnnotationPayload, Answer
from imerit_ango.models.enums import ReviewStatus, TaskType
from imerit_ango.models.task_filter import TaskFilter
from imerit_ango.sdk import SDK

LABELER = "labeler@example.com"
OTHER = "somebody-else@example.com"
BOX, QUALITY = "box1", "cls1"
ONTOLOGY = {
    "tools": [{"schemaId": BOX, "title": "Box", "tool": "bounding-box"}],
    "classifications": [{"schemaId": QUALITY, "title": "Quality", "tool": "radio"}],
    "relations": [],
}
UNKNOWN_ID = "0" * 24


# --- stage builders -------------------------------------------------------------------------------------------

def stage(stage_id, kind, *next_ids, **fields):
    return {"id": stage_id, "type": kind, "name": fields.pop("name", stage_id), "next": list(next_ids),
            "position": {"x": 0, "y": 0}, **fields}


def start(next_id, auto=True):
    return stage("Start", "Start", next_id, autoForward=auto)


def label(stage_id, next_id, **fields):
    return stage(stage_id, "Label", next_id, assignedTo=[], **fields)


def review(stage_id, accepted, rejected, **fields):
    return stage(stage_id, "Review", accepted, rejected, assignedTo=[], **fields)


def complete(stage_id="Complete", prevent=False):
    return stage(stage_id, "Complete", preventRequeue=prevent)


def logic(stage_id, conditions, *next_ids):
    return stage(stage_id, "Logic", *next_ids, logic={"conditions": conditions})


def use_stages(sdk, project_id, *stages):
    sdk.update_workflow_stages(project_id, list(stages))
    assert [s["id"] for s in sdk.get_project(project_id)["data"]["project"]["stages"]] == [s["id"] for s in stages]


def label_review_complete(**review_fields):
    """Start -> Label -> Review -> (Complete | Label)."""
    return (start("Label"), label("Label", "Review"), review("Review", "Complete", "Label", **review_fields),
            complete())


# --- other helpers --------------------------------------------------------------------------------------------

def box(x=10, y=10, size=20, **extra):
    return {"schemaId": BOX, "bounding-box": {"x": x, "y": y, "width": size, "height": size}, **extra}


def quality(value):
    return {"schemaId": QUALITY, "answer": value}


def upload(sdk, project_id, *names, batches=None):
    assets = [{"data": f"https://cdn.example.com/{name}.png", "externalId": name} for name in names]
    result = sdk.upload_files_cloud(project_id, assets, batches=batches)
    assert result["status"] == "success", result
    return tasks_by_name(sdk, project_id)


def tasks_by_name(sdk, project_id):
    """The project's default tasks (not its consensus tasks) by externalId."""
    data = sdk.get_tasks(project_id, limit=1000, include_answer=True,
                         task_filter=TaskFilter(task_type=TaskType.DEFAULT))["data"]
    return {task["externalId"]: task for task in data["tasks"]}


def read(sdk, task_id):
    return sdk.get_task(task_id, include_answer=True)["data"]["task"]


def annotate(sdk, task_id, objects=(), classifications=(), submit=False, overwrite=True):
    payload = AnnotationPayload(Answer(objects=list(objects), classifications=list(classifications)))
    assert sdk.annotate_task(task_id, payload, overwrite=overwrite, send_to_next_stage=submit) is True


def history(sdk, task_id):
    return sdk.get_task_history(task_id=task_id)["data"]["taskHistory"]


def stages_of(sdk, project_id):
    return {name: task["stage"] for name, task in tasks_by_name(sdk, project_id).items()}


def error_body(exc_info):
    """The SDK raises Exception(response.text): parse the API's error envelope back out of it."""
    return json.loads(str(exc_info.value))


def refused(call, *args, **kwargs):
    """Call the SDK expecting a refusal (a 4xx: the SDK raises the body's text) and return the error message."""
    with pytest.raises(Exception) as exc_info:
        call(*args, **kwargs)
    body = error_body(exc_info)
    assert body["status"] == "fail"
    return body["message"]


def snapshot(sdk, task_id):
    """What a refused call must leave untouched: the task as read back (answer included) and its history."""
    return read(sdk, task_id), history(sdk, task_id)


@pytest.fixture
def me(sdk, project_id):
    """The SDK user's email (the key's organization admin, the project's manager)."""
    (member,) = sdk.get_project(project_id)["data"]["project"]["assignedTo"]
    return member["assignee"]


@pytest.fixture
def ontology(sdk, project_id):
    sdk.create_label_set(project_id, raw_category_schema=ONTOLOGY)


# --- annotate: save -------------------------------------------------------------------------------------------

def test_save_stores_the_answer_with_object_ids_and_metadata_and_keeps_the_stage(sdk, project_id, ontology, me):
    task = upload(sdk, project_id, "one")["one"]

    annotate(sdk, task["_id"], [box(), box(x=50, objectId="custom-id")], [quality("good")])

    saved = read(sdk, task["_id"])
    assert (saved["stage"], saved["status"], saved["assignee"]) == ("Label", "TODO", me)
    first, second = saved["answer"]["tools"]
    assert first["bounding-box"] == {"x": 10, "y": 10, "width": 20, "height": 20}
    assert len(first["objectId"]) == 23 and first["objectId"] != second["objectId"]
    assert second["objectId"] == "custom-id"
    assert first["metadata"]["createdBy"] == me and first["metadata"]["createdIn"] == "Label"
    assert first["metadata"]["createdAt"].endswith("Z")
    assert saved["answer"]["classifications"] == [quality("good")]
    assert [record["stage"] for record in history(sdk, task["_id"])] == ["Start"]


def test_submit_moves_the_task_on_and_records_the_label_stage(sdk, project_id, ontology, me):
    task = upload(sdk, project_id, "one")["one"]

    annotate(sdk, task["_id"], [box()], submit=True)

    done = read(sdk, task["_id"])
    assert (done["stage"], done["status"], done["completedBy"]) == ("Complete", "Completed", me)
    assert done["updatedBy"] == me
    start_record, label_record = history(sdk, task["_id"])
    assert start_record["stage"] == "Start" and start_record["completedBy"] is None
    assert (label_record["stage"], label_record["stageName"], label_record["completedBy"], label_record["assignee"]) \
        == ("Label", "Label", me, me)
    assert label_record["answer"]["tools"] == done["answer"]["tools"]
    assert [tool["schemaId"] for tool in label_record["answer"]["tools"]] == [BOX]


def test_durations_are_milliseconds_of_the_server_clock(sdk, project_id, live_server):
    task = upload(sdk, project_id, "slow")["slow"]
    live_server.app.extensions["mockhub"].clock.advance(7)

    annotate(sdk, task["_id"], submit=True)

    label_record = history(sdk, task["_id"])[1]
    assert 7000 <= label_record["duration"] < 9000
    assert read(sdk, task["_id"])["totalDuration"] == label_record["duration"]


def test_merge_without_overwrite_keeps_old_objects_and_replaces_classifications_by_schema(sdk, project_id,
                                                                                            ontology):
    task = upload(sdk, project_id, "one")["one"]
    annotate(sdk, task["_id"], [box(objectId="old")], [quality("bad")])

    annotate(sdk, task["_id"], [box(x=60, objectId="new")], [quality("good")], overwrite=False)

    answer = read(sdk, task["_id"])["answer"]
    assert sorted(tool["objectId"] for tool in answer["tools"]) == ["new", "old"]
    assert answer["classifications"] == [quality("good")]


def test_overwrite_replaces_every_object(sdk, project_id, ontology):
    task = upload(sdk, project_id, "one")["one"]
    annotate(sdk, task["_id"], [box(objectId="old")], [quality("bad")])

    annotate(sdk, task["_id"], [box(x=60, objectId="new")], overwrite=True)

    answer = read(sdk, task["_id"])["answer"]
    assert [tool["objectId"] for tool in answer["tools"]] == ["new"]
    assert answer["classifications"] == []


@pytest.mark.parametrize("objects, classifications, where", [
    ([{"schemaId": "not-in-ontology", "point": [1, 2]}], [], "answer.objects[0]"),
    ([box(), {"schemaId": "not-in-ontology", "point": [1, 2]}], [], "answer.objects[1]"),
    ([], [{"schemaId": "not-in-ontology", "answer": "x"}], "answer.classifications[0]"),
], ids=["object", "second-object", "classification"])
@pytest.mark.parametrize("submit", [False, True], ids=["save", "submit"])
def test_unknown_schema_id_is_400_and_changes_nothing(sdk, project_id, ontology, objects, classifications, where,
                                                     submit):
    task = upload(sdk, project_id, "one")["one"]
    annotate(sdk, task["_id"], [box(objectId="kept")])
    before = snapshot(sdk, task["_id"])

    message = refused(annotate, sdk, task["_id"], objects, classifications, submit=submit)

    assert message == f"{where}: schemaId not-in-ontology is not in the project's ontology"
    assert snapshot(sdk, task["_id"]) == before


def test_an_empty_ontology_accepts_any_schema_id(sdk, project_id):
    task = upload(sdk, project_id, "one")["one"]

    annotate(sdk, task["_id"], [{"schemaId": "anything", "point": [1, 2]}])

    assert [tool["schemaId"] for tool in read(sdk, task["_id"])["answer"]["tools"]] == ["anything"]


# --- review ---------------------------------------------------------------------------------------------------

@pytest.fixture
def in_review(sdk, project_id, ontology):
    """One task labeled (with one box) and submitted into Review; LABELER was its Label assignee beforehand."""
    use_stages(sdk, project_id, *label_review_complete())
    task = upload(sdk, project_id, "one")["one"]
    sdk.assign_task(project_id, [task["_id"]], "Label", LABELER)
    annotate(sdk, task["_id"], [box(objectId="b1")], submit=True)
    current = read(sdk, task["_id"])
    assert (current["stage"], current["reviewStatus"], current["assignee"]) == ("Review", "Todo", None)
    return current


@pytest.mark.parametrize("status", [ReviewStatus.ACCEPTED, ReviewStatus.FIXED])
def test_accepted_or_fixed_review_completes_the_task(sdk, in_review, me, status):
    sdk.review_task(in_review["_id"], status)

    done = read(sdk, in_review["_id"])
    assert (done["stage"], done["status"], done["reviewStatus"]) == ("Complete", "Completed", status.value)
    review_record = history(sdk, in_review["_id"])[-1]
    assert (review_record["stage"], review_record["reviewStatus"], review_record["completedBy"]) == \
        ("Review", status.value, me)


def test_submitting_an_edited_answer_in_review_counts_as_fixed(sdk, in_review, me):
    annotate(sdk, in_review["_id"], [box(x=40, objectId="b2")], submit=True, overwrite=False)

    done = read(sdk, in_review["_id"])
    assert (done["stage"], done["reviewStatus"]) == ("Complete", "Fixed")
    assert sorted(t["objectId"] for t in done["answer"]["tools"]) == ["b1", "b2"]
    assert history(sdk, in_review["_id"])[-1]["reviewStatus"] == "Fixed"


def test_rejected_review_sends_the_task_back_to_its_sticky_labeler(sdk, in_review, me):
    sdk.review_task(in_review["_id"], ReviewStatus.REJECTED)

    back = read(sdk, in_review["_id"])
    assert (back["stage"], back["status"], back["assignee"]) == ("Label", "TODO", LABELER)
    assert [tool["objectId"] for tool in back["answer"]["tools"]] == ["b1"]
    assert history(sdk, in_review["_id"])[-1]["reviewStatus"] == "Rejected"

    annotate(sdk, in_review["_id"], submit=True, overwrite=False)  # relabel: the reviewer stays sticky too
    again = read(sdk, in_review["_id"])
    assert (again["stage"], again["assignee"], again["reviewStatus"]) == ("Review", me, "Todo")
    label_records = [r for r in history(sdk, in_review["_id"]) if r["stage"] == "Label"]
    assert [(r["assignee"], r["completedBy"], r["rework"]) for r in label_records] == \
        [(LABELER, me, False), (LABELER, me, True)]


def test_todo_review_resets_and_keeps_the_task_in_review(sdk, in_review, me):
    records = len(history(sdk, in_review["_id"]))

    sdk.review_task(in_review["_id"], ReviewStatus.TODO)

    current = read(sdk, in_review["_id"])
    assert (current["stage"], current["reviewStatus"], current["assignee"]) == ("Review", "Todo", me)
    assert len(history(sdk, in_review["_id"])) == records


def test_review_of_a_task_outside_a_review_stage_is_400_and_changes_nothing(sdk, project_id):
    use_stages(sdk, project_id, *label_review_complete())
    task = upload(sdk, project_id, "one")["one"]
    before = snapshot(sdk, task["_id"])

    message = refused(sdk.review_task, task["_id"], ReviewStatus.ACCEPTED)

    assert message == "the task is in stage Label (Label), not in a Review stage"
    assert snapshot(sdk, task["_id"]) == before


def test_read_only_review_refuses_an_answer_change_but_not_a_plain_save(sdk, project_id, ontology):
    use_stages(sdk, project_id, *label_review_complete(readOnly=True))
    task = upload(sdk, project_id, "one")["one"]
    annotate(sdk, task["_id"], [box(objectId="b1")], submit=True)
    before = snapshot(sdk, task["_id"])

    message = refused(annotate, sdk, task["_id"], [box(x=70)], overwrite=False)

    assert message == "stage Review is a read-only Review stage: the answer cannot change"
    assert snapshot(sdk, task["_id"]) == before
    annotate(sdk, task["_id"], overwrite=False)  # the SDK re-sends the stored answer unchanged: allowed
    sdk.review_task(task["_id"], ReviewStatus.ACCEPTED)
    assert [t["objectId"] for t in read(sdk, task["_id"])["answer"]["tools"]] == ["b1"]


def test_history_of_a_label_review_complete_run_has_one_record_per_stage_left_in_order(sdk, project_id, me):
    use_stages(sdk, project_id, *label_review_complete())
    task = upload(sdk, project_id, "one")["one"]
    annotate(sdk, task["_id"], [{"schemaId": "s", "point": [1, 2]}], submit=True)
    sdk.review_task(task["_id"], ReviewStatus.ACCEPTED)

    records = history(sdk, task["_id"])

    assert [(r["stage"], r["completedBy"], r["assignee"], r["reviewStatus"]) for r in records] == [
        ("Start", None, None, "Todo"), ("Label", me, me, "Todo"), ("Review", me, me, "Accepted")]
    assert all(r["labelTaskId"] == task["_id"] and r["_id"] == r["id"] for r in records)
    assert [t["schemaId"] for t in records[2]["answer"]["tools"]] == ["s"]
    assert records[0]["completedAt"] <= records[1]["completedAt"] <= records[2]["completedAt"]
    single = sdk.get_task_history(task_history_id=records[1]["_id"])["data"]["taskHistory"]
    assert single == records[1]


# --- assignment stickiness ------------------------------------------------------------------------------------

def test_assignee_for_a_stage_stays_even_when_someone_else_submits(sdk, project_id, me):
    use_stages(sdk, project_id, *label_review_complete())
    task = upload(sdk, project_id, "one")["one"]
    sdk.assign_task(project_id, [task["_id"]], "Review", OTHER)
    assert read(sdk, task["_id"])["assignee"] is None

    annotate(sdk, task["_id"], submit=True)

    current = read(sdk, task["_id"])
    assert (current["stage"], current["assignee"]) == ("Review", OTHER)
    sdk.review_task(current["_id"], ReviewStatus.ACCEPTED)
    review_record = history(sdk, task["_id"])[-1]
    assert (review_record["assignee"], review_record["completedBy"]) == (OTHER, me)


# --- requeue --------------------------------------------------------------------------------------------------

@pytest.fixture
def spread(sdk, project_id, ontology, me):
    """a, b (batch b1) and e rest in Label; c, d (c in b1) are labeled (one box each) and in Complete.
    Then Start stops forwarding, so a requeue to Start leaves tasks resting there."""
    sdk.create_batches(project_id, ["b1", "b2"])
    batches = {b["name"]: b["_id"] for b in sdk.get_batches(project_id)}
    upload(sdk, project_id, "a", "b", "c", batches=["b1"])
    tasks = upload(sdk, project_id, "d", "e", batches=["b2"])
    for name in ("c", "d"):
        annotate(sdk, tasks[name]["_id"], [box()], submit=True)
    use_stages(sdk, project_id, start("Label", auto=False), label("Label", "Complete"), complete())
    assert stages_of(sdk, project_id) == {"a": "Label", "b": "Label", "c": "Complete", "d": "Complete",
                                          "e": "Label"}
    return SimpleNamespace(tasks=tasks, batches=batches)


@pytest.mark.parametrize("make_filters, expected", [
    (lambda w: {}, {"a", "b", "c", "d", "e"}),
    (lambda w: {"taskIds": [w.tasks["a"]["_id"], w.tasks["c"]["_id"]]}, {"a", "c"}),
    (lambda w: {"externalIds": ["b", "d"]}, {"b", "d"}),
    (lambda w: {"assetIds": [w.tasks["e"]["asset"]["_id"]]}, {"e"}),
    (lambda w: {"fromStageIds": ["Complete"]}, {"c", "d"}),
    (lambda w: {"batches": [w.batches["b1"]]}, {"a", "b", "c"}),
    (lambda w: {"batches": [w.batches["b1"]], "fromStageIds": ["Label"]}, {"a", "b"}),
    (lambda w: {"externalIds": ["a", "d"], "fromStageIds": ["Label"]}, {"a"}),
    (lambda w: {"externalIds": ["nobody"]}, set()),
], ids=["all", "taskIds", "externalIds", "assetIds", "fromStageIds", "batches", "batches+stage", "names+stage",
        "no-match"])
def test_requeue_moves_exactly_the_filtered_tasks(sdk, project_id, spread, make_filters, expected):
    result = sdk.requeue_tasks(project_id, "Start", make_filters(spread))

    assert result["data"]["modifiedCount"] == {"modified": len(expected), "toStageId": "Start"}
    after = stages_of(sdk, project_id)
    assert {name for name, stage_id in after.items() if stage_id == "Start"} == expected
    before = {"a": "Label", "b": "Label", "c": "Complete", "d": "Complete", "e": "Label"}
    assert {name: s for name, s in after.items() if name not in expected} == \
        {name: s for name, s in before.items() if name not in expected}


@pytest.mark.parametrize("options, tools, assignee, records", [
    ({}, 1, "me", ["Start", "Label", "Complete"]),
    ({"removeAnnotations": True}, 0, "me", ["Start", "Label", "Complete"]),
    ({"removeAssignee": True}, 1, None, ["Start", "Label", "Complete"]),
    ({"removeStageHistory": True}, 1, "me", []),
    ({"removeAnnotations": True, "removeAssignee": True, "removeStageHistory": True}, 0, None, []),
], ids=["none", "removeAnnotations", "removeAssignee", "removeStageHistory", "all"])
def test_requeue_options(sdk, project_id, spread, me, options, tools, assignee, records):
    task_id = spread.tasks["c"]["_id"]

    result = sdk.requeue_tasks(project_id, "Label", {"taskIds": [task_id]}, options)

    assert result["data"]["modifiedCount"] == {"modified": 1, "toStageId": "Label"}
    task = read(sdk, task_id)
    assert (task["stage"], task["status"]) == ("Label", "TODO")
    assert len(task["answer"]["tools"]) == tools
    assert task["assignee"] == (me if assignee == "me" else assignee)
    assert [r["stage"] for r in history(sdk, task_id)] == records


def test_requeue_out_of_a_prevent_requeue_complete_stage_is_refused_whole(sdk, project_id, spread):
    use_stages(sdk, project_id, start("Label", auto=False), label("Label", "Complete"), complete(prevent=True))
    before = {name: snapshot(sdk, t["_id"]) for name, t in spread.tasks.items()}

    message = refused(sdk.requeue_tasks, project_id, "Start", {})

    assert message == "stage Complete has preventRequeue set: its tasks cannot be requeued"
    assert {name: snapshot(sdk, t["_id"]) for name, t in spread.tasks.items()} == before
    # the tasks still in Label can go; requeueing *into* the protected Complete stage is allowed too
    moved = sdk.requeue_tasks(project_id, "Start", {"fromStageIds": ["Label"]})["data"]["modifiedCount"]
    assert moved == {"modified": 3, "toStageId": "Start"}
    sdk.requeue_tasks(project_id, "Complete", {"externalIds": ["a"]})
    assert stages_of(sdk, project_id) == {"a": "Complete", "b": "Start", "c": "Complete", "d": "Complete",
                                          "e": "Start"}


@pytest.mark.parametrize("to_stage, filters, options, expected", [
    ("Nowhere", {}, {}, "toStageId: no stage Nowhere in project {pid}"),
    ("Start", {"stage": ["Label"]}, {}, "Validation failed: filters.stage: Unknown field."),
    ("Start", {"taskIds": "not-a-list"}, {}, "Validation failed: filters.taskIds: Not a valid list."),
    ("Start", {}, {"keepEverything": True}, "options: unknown key(s) keepEverything"),
    ("Start", {"batches": ["no-such-batch"]}, {}, "filters.batches: batch no-such-batch not found in project {pid}"),
], ids=["unknown-stage", "unknown-filter", "filter-not-a-list", "unknown-option", "unknown-batch"])
def test_invalid_requeue_is_400_and_moves_nothing(sdk, project_id, spread, to_stage, filters, options, expected):
    before = {name: snapshot(sdk, t["_id"]) for name, t in spread.tasks.items()}

    message = refused(sdk.requeue_tasks, project_id, to_stage, filters, options)

    assert message == expected.format(pid=project_id)
    assert {name: snapshot(sdk, t["_id"]) for name, t in spread.tasks.items()} == before


# --- Logic ----------------------------------------------------------------------------------------------------

def logic_workflow(condition):
    """Start -> Label -> Logic -> (Sampled (a Review) | Complete), with `condition` as output 0."""
    return (start("Label"), label("Label", "Logic"), logic("Logic", [dict(condition, index=0)], "Sampled", "Complete"),
            review("Sampled", "Complete", "Label"), complete())


def box_rule(*filters):
    return {"type": "AnnotationType", "value": {"tools": [{"schemaId": BOX, "filter": list(filters)}]}}


@pytest.mark.parametrize("make_condition, expected", [
    (lambda ctx: box_rule("exists"), {"boxed": "Sampled", "empty": "Complete"}),
    (lambda ctx: box_rule("notExists"), {"boxed": "Complete", "empty": "Sampled"}),
    (lambda ctx: {"type": "AnnotationType", "value": {"classifications": [{"schemaId": QUALITY,
                                                                            "filter": ["exists"]}]}},
     {"boxed": "Sampled", "empty": "Complete"}),
    (lambda ctx: {"type": "Batch", "value": [ctx.batches["b1"]]}, {"boxed": "Sampled", "empty": "Complete"}),
    (lambda ctx: {"type": "Batch", "value": [ctx.batches["b2"]]}, {"boxed": "Complete", "empty": "Sampled"}),
    (lambda ctx: {"type": "Annotator", "value": [ctx.me]}, {"boxed": "Sampled", "empty": "Sampled"}),
    (lambda ctx: {"type": "Annotator", "value": [OTHER]}, {"boxed": "Complete", "empty": "Complete"}),
    (lambda ctx: {"type": "RandomSample", "value": 1}, {"boxed": "Sampled", "empty": "Sampled"}),
    (lambda ctx: {"type": "RandomSample", "value": 0}, {"boxed": "Complete", "empty": "Complete"}),
    (lambda ctx: {"type": "Duration", "value": [0, 600]}, {"boxed": "Sampled", "empty": "Sampled"}),
    (lambda ctx: {"type": "Duration", "value": [None, 600]}, {"boxed": "Sampled", "empty": "Sampled"}),
    (lambda ctx: {"type": "Duration", "value": [600, None]}, {"boxed": "Complete", "empty": "Complete"}),
], ids=["tool-exists", "tool-not-exists", "classification-exists", "batch-b1", "batch-b2", "annotator-me",
        "annotator-other", "random-1", "random-0", "duration-within", "duration-open-start", "duration-too-long"])
def test_logic_condition_routes_matching_tasks_to_its_output_and_the_rest_to_else(sdk, project_id, ontology, me,
                                                                                 make_condition, expected):
    sdk.create_batches(project_id, ["b1", "b2"])
    batches = {b["name"]: b["_id"] for b in sdk.get_batches(project_id)}
    use_stages(sdk, project_id, *logic_workflow(make_condition(SimpleNamespace(me=me, batches=batches))))
    upload(sdk, project_id, "boxed", batches=["b1"])  # gets a box and a Quality answer
    tasks = upload(sdk, project_id, "empty", batches=["b2"])  # gets nothing

    annotate(sdk, tasks["boxed"]["_id"], [box()], [quality("good")], submit=True)
    annotate(sdk, tasks["empty"]["_id"], submit=True)

    assert stages_of(sdk, project_id) == expected
    for task in tasks.values():
        assert [r["stage"] for r in history(sdk, task["_id"])] == ["Start", "Label", "Logic"]


def test_logic_first_matching_condition_wins_and_index_picks_the_output(sdk, project_id, me):
    conditions = [{"type": "Annotator", "value": [OTHER], "index": 0},
                  {"type": "RandomSample", "value": 1, "index": 2},
                  {"type": "Annotator", "value": [me], "index": 1}]
    use_stages(sdk, project_id, start("Label"), label("Label", "Logic"),
               logic("Logic", conditions, "First", "Second", "Third", "Else"),
               *(stage(name, "Hold", "Complete") for name in ("First", "Second", "Third", "Else")), complete())
    task = upload(sdk, project_id, "one")["one"]

    annotate(sdk, task["_id"], submit=True)

    assert read(sdk, task["_id"])["stage"] == "Third"


# --- Consensus ------------------------------------------------------------------------------------------------

def consensus_workflow(threshold=None):
    """Start -> Consensus {Judge1, Judge2} -> (Complete | Disputed (a Hold))."""
    extra = {} if threshold is None else {"threshold": threshold}
    judges = (label(name, "Consensus", consensusId="Consensus") for name in ("Judge1", "Judge2"))
    return (start("Consensus"), stage("Consensus", "Consensus", "Complete", "Disputed", **extra), *judges,
            stage("Disputed", "Hold", "Complete"), complete())


def consensus_tasks(sdk, project_id):
    found = sdk.get_tasks(project_id, limit=100, include_answer=True,
                          task_filter=TaskFilter(task_type=TaskType.CONSENSUS))["data"]["tasks"]
    return {task["stage"]: task for task in found}


@pytest.mark.parametrize("threshold, second_box, route, average", [
    (None, box(), "Complete", 100),
    (None, box(x=500), "Disputed", 0),
    (50, box(x=20), "Disputed", 33.33),      # IoU of two 20x20 boxes shifted by 10: 200 / 600
    (30, box(x=20), "Complete", 33.33),
], ids=["agree", "disagree", "partial-below-50", "partial-above-30"])
def test_consensus_fans_out_and_routes_the_parent_by_agreement(sdk, project_id, ontology, threshold, second_box,
                                                              route, average):
    use_stages(sdk, project_id, *consensus_workflow(threshold))
    parent = upload(sdk, project_id, "one")["one"]
    assert parent["stage"] == "Consensus" and parent["type"] == "default"

    children = consensus_tasks(sdk, project_id)
    assert set(children) == {"Judge1", "Judge2"}
    assert {(c["parentTask"], c["type"], c["externalId"]) for c in children.values()} == \
        {(parent["_id"], "consensus", "one")}
    default_only = sdk.get_tasks(project_id, task_filter=TaskFilter(task_type=TaskType.DEFAULT))["data"]
    assert [t["_id"] for t in default_only["tasks"]] == [parent["_id"]]

    annotate(sdk, children["Judge1"]["_id"], [box()], submit=True)
    assert read(sdk, parent["_id"])["stage"] == "Consensus"
    assert read(sdk, children["Judge1"]["_id"])["status"] == "Completed"

    annotate(sdk, children["Judge2"]["_id"], [second_box], submit=True)

    done = read(sdk, parent["_id"])
    assert done["stage"] == route
    assert done["consensusAverage"] == pytest.approx(average, abs=0.01)
    assert [r["stage"] for r in history(sdk, parent["_id"])] == ["Start", "Consensus"]
    judged = {tool["objectId"] for child in consensus_tasks(sdk, project_id).values()
              for tool in child["answer"]["tools"]}
    assert len(done["answer"]["tools"]) == 1 and done["answer"]["tools"][0]["objectId"] in judged


def test_consensus_with_a_plugin_child_waits_only_for_the_label_child(sdk, project_id):
    stages = list(consensus_workflow())
    stages[3] = stage("Judge2", "Plugin", "Consensus", consensusId="Consensus", pluginId="plugin-1")
    use_stages(sdk, project_id, *stages)
    parent = upload(sdk, project_id, "one")["one"]
    children = consensus_tasks(sdk, project_id)
    assert {name: child["status"] for name, child in children.items()} == {"Judge1": "TODO", "Judge2": "Completed"}
    assert read(sdk, parent["_id"])["stage"] == "Consensus"

    annotate(sdk, children["Judge1"]["_id"], submit=True)  # both empty: full agreement

    done = read(sdk, parent["_id"])
    assert (done["stage"], done["consensusAverage"]) == ("Complete", 100)


def test_an_assignee_set_for_a_consensus_child_stage_reaches_its_consensus_task(sdk, project_id):
    use_stages(sdk, project_id, start("Consensus", auto=False), *consensus_workflow()[1:])
    parent = upload(sdk, project_id, "one")["one"]
    assert sdk.assign_task(project_id, [parent["_id"]], "Judge1", LABELER)["data"]["matchedCount"] == 1
    use_stages(sdk, project_id, *consensus_workflow())
    upload(sdk, project_id, "two")  # forwards the waiting task into the Consensus stage

    children = {c["stage"]: c for c in consensus_tasks(sdk, project_id).values() if c["parentTask"] == parent["_id"]}
    assert {name: child["assignee"] for name, child in children.items()} == {"Judge1": LABELER, "Judge2": None}


def test_resubmitting_a_consensus_task_after_the_vote_is_refused_without_changes(sdk, project_id, ontology):
    use_stages(sdk, project_id, *consensus_workflow())
    parent = upload(sdk, project_id, "one")["one"]
    children = consensus_tasks(sdk, project_id)
    for name in ("Judge1", "Judge2"):
        annotate(sdk, children[name]["_id"], [box()], submit=True)
    assert read(sdk, parent["_id"])["stage"] == "Complete"
    before = snapshot(sdk, children["Judge1"]["_id"])

    message = refused(annotate, sdk, children["Judge1"]["_id"], [box(x=300)], submit=True)

    assert message == "the consensus vote of stage Consensus is not waiting for this task"
    assert snapshot(sdk, children["Judge1"]["_id"]) == before


def test_consensus_child_stages_are_not_requeue_targets_and_consensus_tasks_are_not_requeued(sdk, project_id):
    use_stages(sdk, project_id, *consensus_workflow())
    parent = upload(sdk, project_id, "one")["one"]

    message = refused(sdk.requeue_tasks, project_id, "Judge1", {})
    assert message == "stage Judge1 belongs to a consensus stage; requeue to the Consensus stage"

    result = sdk.requeue_tasks(project_id, "Disputed", {})  # the parent moves; its consensus tasks go away
    assert result["data"]["modifiedCount"] == {"modified": 1, "toStageId": "Disputed"}
    assert read(sdk, parent["_id"])["stage"] == "Disputed"
    assert consensus_tasks(sdk, project_id) == {}


# --- Hold, Plugin, Archive ------------------------------------------------------------------------------------

def through(kind, **fields):
    """Start -> Label -> <one stage of `kind`, id Middle> -> Complete."""
    return start("Label"), label("Label", "Middle"), stage("Middle", kind, "Complete", **fields), complete()


def test_hold_saves_but_refuses_submit_until_a_requeue_moves_it_on(sdk, project_id, ontology):
    use_stages(sdk, project_id, *through("Hold"))
    task = upload(sdk, project_id, "one")["one"]
    annotate(sdk, task["_id"], [box(objectId="first")], submit=True)
    annotate(sdk, task["_id"], [box(objectId="edited")])  # saving in Hold is allowed
    assert [t["objectId"] for t in read(sdk, task["_id"])["answer"]["tools"]] == ["edited"]
    before = snapshot(sdk, task["_id"])

    message = refused(annotate, sdk, task["_id"], submit=True, overwrite=False)

    assert message == "the task is on Hold in stage Middle: it can be saved but not submitted"
    assert snapshot(sdk, task["_id"]) == before
    sdk.requeue_tasks(project_id, "Complete", {"fromStageIds": ["Middle"]})
    done = read(sdk, task["_id"])
    assert (done["stage"], done["status"]) == ("Complete", "Completed")
    assert [t["objectId"] for t in done["answer"]["tools"]] == ["edited"]


def test_plugin_stage_passes_tasks_through_but_a_requeue_into_it_rests_there(sdk, project_id):
    use_stages(sdk, project_id, *through("Plugin", pluginId="plugin-1"))
    task = upload(sdk, project_id, "one")["one"]

    annotate(sdk, task["_id"], submit=True)

    assert read(sdk, task["_id"])["stage"] == "Complete"
    assert [r["stage"] for r in history(sdk, task["_id"])] == ["Start", "Label", "Middle"]

    sdk.requeue_tasks(project_id, "Middle", {"taskIds": [task["_id"]]})

    resting = read(sdk, task["_id"])
    assert (resting["stage"], resting["status"]) == ("Middle", "TODO")
    assert [r["stage"] for r in history(sdk, task["_id"])] == ["Start", "Label", "Middle", "Complete"]


def test_archive_is_terminal(sdk, project_id):
    use_stages(sdk, project_id, start("Label"), label("Label", "Archive"), stage("Archive", "Archive"), complete())
    task = upload(sdk, project_id, "one")["one"]
    annotate(sdk, task["_id"], submit=True)
    archived = read(sdk, task["_id"])
    assert (archived["stage"], archived["status"]) == ("Archive", "TODO")
    before = snapshot(sdk, task["_id"])

    assert refused(annotate, sdk, task["_id"], submit=True) == \
        "the task is in the Archive stage Archive; requeue it to work on it"
    assert refused(sdk.review_task, task["_id"], ReviewStatus.ACCEPTED) == \
        "the task is in stage Archive (Archive), not in a Review stage"
    assert snapshot(sdk, task["_id"]) == before


def test_submit_in_complete_is_refused(sdk, project_id):
    task = upload(sdk, project_id, "one")["one"]
    annotate(sdk, task["_id"], submit=True)
    before = snapshot(sdk, task["_id"])

    assert refused(annotate, sdk, task["_id"], submit=True) == \
        "the task is in the Complete stage Complete; requeue it to work on it"
    assert snapshot(sdk, task["_id"]) == before


# --- unknown and foreign tasks --------------------------------------------------------------------------------

def test_workflow_calls_on_unknown_or_foreign_tasks_fail_and_change_nothing(sdk, project_id, live_server):
    task = upload(sdk, project_id, "mine")["mine"]
    stranger = SDK(f"stranger-{uuid.uuid4().hex}", host=live_server.url)  # another key: another organization
    before = snapshot(sdk, task["_id"])

    for caller, task_id in ((sdk, UNKNOWN_ID), (stranger, task["_id"])):
        assert refused(annotate, caller, task_id, submit=True) == f"Task not found: {task_id}"
        assert refused(caller.review_task, task_id, ReviewStatus.ACCEPTED) == f"Task not found: {task_id}"
    assert refused(stranger.requeue_tasks, project_id, "Label", {}) == f"Invalid project: {project_id}."
    assert refused(sdk.requeue_tasks, UNKNOWN_ID, "Label", {}) == f"Invalid project: {UNKNOWN_ID}."
    assert snapshot(sdk, task["_id"]) == before
