"""Tasks through the official SDK against a live mockhub: listing, TaskFilter, history, assignment, priority."""
import json
import re
import uuid
from datetime import datetime
from types import SimpleNamespace

import pytest
import requests
from imerit_ango.models.annotate import AnnotationPayload, Answer
from imerit_ango.models.task_filter import DateRange, NumberRange, StringFilter, TaskFilter
from imerit_ango.sdk import SDK
from tests.sdk.helpers import shifted_clock

LABELER = "ann@example.com"
ALL = {"alpha", "beta", "gamma", "delta", "epsilon"}
IN_LABEL = {"alpha", "beta", "gamma"}
IN_START = {"delta", "epsilon"}
UNKNOWN_ID = "0" * 24
PRE_LABEL = [{"schemaId": "c1", "answer": "yes"}]
ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
TASK_KEYS = {"_id", "project", "asset", "externalId", "stage", "status", "assignee", "batches", "priority", "type",
             "reviewStatus", "isSkipped", "isDraft", "isBenchmark", "isPreLabeled", "openIssuesCount", "createdAt",
             "createdBy", "updatedAt", "updatedBy", "completedAt", "completedBy", "duration", "totalDuration",
             "answer", "brushDataUrl", "medicalBrushDataUrl"}
HISTORY_KEYS = {"_id", "id", "labelTaskId", "project", "organization", "asset", "stage", "answer", "assignee",
                "duration", "rework", "isSkipped", "batches", "deleted", "brushDataUrl", "createdAt", "updatedAt",
                "updatedBy"}


# --- helpers ----------------------------------------------------------------------------------------------

def upload(sdk, project_id, assets, **kwargs):
    result = sdk.upload_files_cloud(project_id, assets, **kwargs)
    assert result["status"] == "success", result
    return result["data"]["assets"]


def upload_named(sdk, project_id, *names, **extra):
    """Upload one asset per name (externalId = name) and return {externalId: task}."""
    upload(sdk, project_id, [{"data": f"https://cdn.example.com/{name}.png", "externalId": name, **extra}
                             for name in names])
    return task_map(sdk, project_id)


def task_map(sdk, project_id, **kwargs):
    return {task["externalId"]: task for task in sdk.get_tasks(project_id, limit=1000, **kwargs)["data"]["tasks"]}


def found(sdk, project_id, **kwargs):
    """The externalIds of the tasks get_tasks returns; the reported total must agree with them."""
    data = sdk.get_tasks(project_id, limit=100, **kwargs)["data"]
    names = [task["externalId"] for task in data["tasks"]]
    assert data["total"] == len(names)
    return names


def make_batches(sdk, project_id, *names):
    sdk.create_batches(project_id, list(names))
    return {batch["name"]: batch["_id"] for batch in sdk.get_batches(project_id)}


def error_body(exc_info):
    """The SDK raises Exception(response.text): parse the API's error envelope back out of it."""
    return json.loads(str(exc_info.value))


def raw(live_server, api_key, method, path, **kwargs):
    """Call the API with requests (for exact status codes and query strings the SDK cannot send)."""
    return requests.request(method, f"{live_server.url}{path}", headers={"apikey": api_key}, **kwargs)


def raw_tasks(live_server, api_key, project_id, **params):
    return raw(live_server, api_key, "GET", f"/v2/project/{project_id}/tasks", params={"limit": 100, **params})


def stages_with(sdk, project_id, change):
    """Return the project's stage list after `change(stages)` edits it in place."""
    stages = sdk.get_project(project_id)["data"]["project"]["stages"]
    change(stages)
    return stages


def hold_at_start(stages):
    next(s for s in stages if s["type"] == "Start")["autoForward"] = False


def add_review(stages):
    """Start -> Label -> Review -> (Complete | Label)."""
    next(s for s in stages if s["id"] == "Label")["next"] = ["Review"]
    stages.append({"id": "Review", "type": "Review", "name": "Review", "next": ["Complete", "Label"],
                   "assignedTo": [], "position": {"x": 600, "y": 0}})


def parse_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# --- a project with tasks in two stages, two batches, one assignee and spread priorities ---------------------

@pytest.fixture
def world(sdk, project_id, live_server):
    """alpha(b1, p1), beta(b1+b2, p5, assigned), gamma(b2, p9) rest in Label; 5 s later delta(p0) and
    epsilon(p-3) are created with Start holding tasks, so they rest in Start."""
    batches = make_batches(sdk, project_id, "b1", "b2")
    upload(sdk, project_id, [
        {"data": "https://cdn.example.com/alpha.png", "externalId": "alpha", "batches": ["b1"], "priority": 1},
        {"data": "https://cdn.example.com/beta.png", "externalId": "beta", "batches": ["b1", "b2"], "priority": 5},
        {"data": "https://cdn.example.com/gamma.png", "externalId": "gamma", "batches": ["b2"], "priority": 9},
    ])
    sdk.assign_task(project_id, [task_map(sdk, project_id)["beta"]["_id"]], "Label", LABELER)
    sdk.update_workflow_stages(project_id, stages_with(sdk, project_id, hold_at_start))
    with shifted_clock(live_server, 5):
        upload(sdk, project_id, [
            {"data": "https://cdn.example.com/delta.png", "externalId": "delta", "priority": 0},
            {"data": "https://cdn.example.com/epsilon.png", "externalId": "epsilon", "priority": -3},
        ])
    tasks = task_map(sdk, project_id)
    assert {name: t["stage"] for name, t in tasks.items()} == {
        "alpha": "Label", "beta": "Label", "gamma": "Label", "delta": "Start", "epsilon": "Start"}
    return SimpleNamespace(tasks=tasks, batches=batches)


# --- get_tasks: pages, answers, fields ----------------------------------------------------------------------

def test_get_tasks_pages_walk_every_task_newest_first_with_the_true_total(sdk, project_id):
    names = [f"t{n:02d}" for n in range(25)]
    upload_named(sdk, project_id, *names)

    pages = [sdk.get_tasks(project_id, page=page, limit=10)["data"] for page in (1, 2, 3, 4)]

    assert [p["total"] for p in pages] == [25, 25, 25, 25]
    assert [len(p["tasks"]) for p in pages] == [10, 10, 5, 0]
    assert [t["externalId"] for p in pages for t in p["tasks"]] == names[::-1]


def test_get_tasks_include_answer(sdk, project_id, live_server, api_key):
    upload_named(sdk, project_id, "pre", classifications=PRE_LABEL)

    (without,) = sdk.get_tasks(project_id, include_answer=False)["data"]["tasks"]
    (with_answer,) = sdk.get_tasks(project_id, include_answer=True)["data"]["tasks"]
    (unasked,) = raw(live_server, api_key, "GET", f"/v2/project/{project_id}/tasks").json()["data"]["tasks"]

    assert "answer" not in without and "answer" not in unasked
    assert without["externalId"] == unasked["externalId"] == "pre"
    assert with_answer["answer"] == {"tools": [], "classifications": PRE_LABEL, "relations": []}
    assert TASK_KEYS <= set(with_answer), TASK_KEYS - set(with_answer)
    assert TASK_KEYS - {"answer"} <= set(without)
    assert ISO_MS.match(with_answer["createdAt"]) and ISO_MS.match(with_answer["updatedAt"])
    assert (with_answer["status"], with_answer["type"], with_answer["reviewStatus"]) == ("TODO", "default", "Todo")


def test_get_tasks_fields_returns_only_those_plus_the_required_ones(sdk, project_id):
    tasks = upload_named(sdk, project_id, "one", "two")
    sdk.assign_task(project_id, [tasks["one"]["_id"]], "Label", LABELER)

    selected = sdk.get_tasks(project_id, fields="stage,assignee")["data"]["tasks"]

    assert [set(t) for t in selected] == [{"_id", "project", "asset", "stage", "assignee"}] * 2
    by_id = {t["_id"]: t for t in selected}
    one, two = by_id[tasks["one"]["_id"]], by_id[tasks["two"]["_id"]]
    assert (one["stage"], one["assignee"], one["project"]) == ("Label", LABELER, project_id)
    assert (two["stage"], two["assignee"]) == ("Label", None)
    assert one["asset"] == tasks["one"]["asset"]


# --- TaskFilter ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("make_filter, expected", [
    (lambda w: TaskFilter(stage="Label"), IN_LABEL),
    (lambda w: TaskFilter(stage="Start"), IN_START),
    (lambda w: TaskFilter(stage=["Start", "Label"]), ALL),
    (lambda w: TaskFilter(stage=StringFilter(ne="Label")), IN_START),
    (lambda w: TaskFilter(batches=[w.batches["b1"]]), {"alpha", "beta"}),
    (lambda w: TaskFilter(batches=[w.batches["b2"]]), {"beta", "gamma"}),
    (lambda w: TaskFilter(batches=[w.batches["b1"], w.batches["b2"]]), IN_LABEL),
    (lambda w: TaskFilter(stage="Label", batches=[w.batches["b2"]]), {"beta", "gamma"}),
    (lambda w: TaskFilter(external_id="beta"), {"beta"}),
    (lambda w: TaskFilter(external_id=StringFilter(regex="^(al|ep)")), {"alpha", "epsilon"}),
    (lambda w: TaskFilter(assignee=LABELER), {"beta"}),
    (lambda w: TaskFilter(assignee=StringFilter(exists=False)), ALL - {"beta"}),
    (lambda w: TaskFilter(priority=5), {"beta"}),
    (lambda w: TaskFilter(priority=NumberRange(gte=5)), {"beta", "gamma"}),
    (lambda w: TaskFilter(priority=NumberRange(lt=1)), IN_START),
    (lambda w: TaskFilter(priority=NumberRange(gt=0, lte=5)), {"alpha", "beta"}),
    (lambda w: TaskFilter(priority=NumberRange(ne=0, lt=5)), {"alpha", "epsilon"}),
    (lambda w: TaskFilter(created_at=DateRange(gt=parse_time(w.tasks["gamma"]["createdAt"]))), IN_START),
    (lambda w: TaskFilter(created_at=DateRange(lt=parse_time(w.tasks["delta"]["createdAt"]))), IN_LABEL),
    (lambda w: TaskFilter(created_at=DateRange(gte=parse_time(w.tasks["alpha"]["createdAt"]),
                                               lte=parse_time(w.tasks["gamma"]["createdAt"]))), IN_LABEL),
    (lambda w: TaskFilter(is_skipped=False), ALL),
    (lambda w: TaskFilter(is_skipped=True), set()),
    (lambda w: TaskFilter(status="TODO", stage="Start"), IN_START),
], ids=["stage", "stage-start", "stage-list", "stage-ne", "batch-b1", "batch-b2", "batches-any", "stage-and-batch",
        "externalId", "externalId-regex", "assignee", "assignee-missing", "priority", "priority-gte",
        "priority-lt", "priority-range", "priority-ne", "createdAt-gt", "createdAt-lt", "createdAt-between",
        "not-skipped", "skipped", "status-and-stage"])
def test_task_filter_selects_exactly_the_matching_tasks(sdk, project_id, world, make_filter, expected):
    assert set(found(sdk, project_id, task_filter=make_filter(world))) == expected


@pytest.mark.parametrize("make_spec, expected", [
    (lambda w: {"externalId": {"$eq": "beta"}}, {"beta"}),
    (lambda w: {"externalId": {"$ne": "beta"}}, ALL - {"beta"}),
    (lambda w: {"externalId": {"$in": ["alpha", "gamma", "nobody"]}}, {"alpha", "gamma"}),
    (lambda w: {"externalId": {"$nin": ["alpha", "gamma"]}}, {"beta", "delta", "epsilon"}),
    (lambda w: {"stage": {"$nin": ["Label"]}}, IN_START),
    (lambda w: {"batches": {"$nin": [w.batches["b1"]]}}, {"gamma", "delta", "epsilon"}),
    (lambda w: {"externalId": {"$regex": "^[ab]"}}, {"alpha", "beta"}),
    (lambda w: {"assignee": {"$exists": True}}, {"beta"}),
    (lambda w: {"assignee": {"$exists": False}}, ALL - {"beta"}),
    (lambda w: {"batches": {"$exists": False}}, IN_START),
    (lambda w: {"priority": {"$gt": 5}}, {"gamma"}),
    (lambda w: {"priority": {"$gte": 5}}, {"beta", "gamma"}),
    (lambda w: {"priority": {"$lt": 0}}, {"epsilon"}),
    (lambda w: {"priority": {"$lte": 1}}, {"alpha", "delta", "epsilon"}),
    (lambda w: {"createdAt": {"$gte": w.tasks["delta"]["createdAt"]}}, IN_START),
    (lambda w: {"createdAt": {"$lte": w.tasks["gamma"]["createdAt"]}}, IN_LABEL),
    (lambda w: {"stage": "Label", "priority": {"$gt": 1}}, {"beta", "gamma"}),
], ids=["eq", "ne", "in", "nin", "stage-nin", "batches-nin", "regex", "exists", "not-exists", "batches-empty",
        "gt", "gte", "lt", "lte", "date-gte", "date-lte", "two-fields"])
def test_raw_filter_operators(live_server, api_key, project_id, world, make_spec, expected):
    response = raw_tasks(live_server, api_key, project_id, filter=json.dumps(make_spec(world)))

    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert {t["externalId"] for t in data["tasks"]} == expected
    assert data["total"] == len(expected)


@pytest.mark.parametrize("param, make_value, expected", [
    ("status", lambda w: "TODO", ALL),
    ("status", lambda w: "Completed", set()),
    ("stage", lambda w: "Label", IN_LABEL),
    ("stage", lambda w: "Start", IN_START),
    ("batches", lambda w: [w.batches["b1"]], {"alpha", "beta"}),
    ("batches", lambda w: [w.batches["b1"], w.batches["b2"]], IN_LABEL),
])
def test_deprecated_params_still_filter(sdk, project_id, world, param, make_value, expected):
    with pytest.warns(DeprecationWarning, match=f"'{param}' parameter is deprecated"):
        names = found(sdk, project_id, **{param: make_value(world)})

    assert set(names) == expected


def test_batches_query_param_takes_comma_separated_ids(live_server, api_key, project_id, world):
    response = raw_tasks(live_server, api_key, project_id, batches=f"{world.batches['b1']},{world.batches['b2']}")

    assert {t["externalId"] for t in response.json()["data"]["tasks"]} == IN_LABEL
    only_b2 = raw_tasks(live_server, api_key, project_id, batches=world.batches["b2"]).json()["data"]
    assert ({t["externalId"] for t in only_b2["tasks"]}, only_b2["total"]) == ({"beta", "gamma"}, 2)


def test_batches_query_param_takes_comma_separated_names(live_server, api_key, project_id, world):
    response = raw_tasks(live_server, api_key, project_id, batches="b1")

    assert response.status_code == 200
    assert {t["externalId"] for t in response.json()["data"]["tasks"]} == {"alpha", "beta"}
    both = raw_tasks(live_server, api_key, project_id, batches="b1,b2").json()["data"]
    assert ({t["externalId"] for t in both["tasks"]}, both["total"]) == (IN_LABEL, 3)


@pytest.mark.parametrize("sort, page, limit, expected", [
    (None, 1, 10, ["epsilon", "delta", "gamma", "beta", "alpha"]),
    ("-priority", 1, 10, ["gamma", "beta", "alpha", "delta", "epsilon"]),
    ("priority", 1, 10, ["epsilon", "delta", "alpha", "beta", "gamma"]),
    ("externalId", 1, 10, ["alpha", "beta", "delta", "epsilon", "gamma"]),
    ("-externalId", 1, 10, ["gamma", "epsilon", "delta", "beta", "alpha"]),
    ("createdAt", 1, 10, ["alpha", "beta", "gamma", "delta", "epsilon"]),
    ("-priority", 2, 2, ["alpha", "delta"]),
    ("stage,-priority", 1, 10, ["gamma", "beta", "alpha", "delta", "epsilon"]),
])
def test_sort(sdk, project_id, world, sort, page, limit, expected):
    data = sdk.get_tasks(project_id, page=page, limit=limit, sort=sort)["data"]

    assert [t["externalId"] for t in data["tasks"]] == expected
    assert data["total"] == 5


@pytest.mark.parametrize("page, limit, message", [
    (1, 1001, "limit must be at most 1000, got 1001"),
    (1, 0, "limit must be at least 1, got 0"),
    (0, 10, "page must be at least 1, got 0"),
])
def test_page_and_limit_out_of_range_are_400(sdk, project_id, live_server, api_key, page, limit, message):
    upload_named(sdk, project_id, "only")

    with pytest.raises(Exception) as exc_info:
        sdk.get_tasks(project_id, page=page, limit=limit)
    response = raw_tasks(live_server, api_key, project_id, page=page, limit=limit)

    assert error_body(exc_info) == {"status": "fail", "message": message}
    assert response.status_code == 400
    assert len(sdk.get_tasks(project_id, limit=1000)["data"]["tasks"]) == 1


@pytest.mark.parametrize("params, words", [
    ({"filter": json.dumps({"color": {"$eq": "red"}})}, ["color"]),
    ({"filter": json.dumps({"isSkipped": {"$regex": "x"}})}, ["isSkipped", "$regex"]),
    ({"filter": json.dumps({"priority": {"$gt": "high"}})}, ["priority"]),
    ({"filter": "{not json"}, ["filter"]),
    ({"sort": "-color"}, ["sort", "color"]),
], ids=["unknown-field", "bad-operator", "bad-operand", "bad-json", "bad-sort"])
def test_bad_task_queries_are_400_naming_the_problem(live_server, api_key, project_id, params, words):
    response = raw_tasks(live_server, api_key, project_id, **params)

    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "fail"
    for word in words:
        assert word in body["message"]


# --- get_task -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("include_answer", [False, True])
def test_get_task_carries_the_answer_either_way(sdk, project_id, include_answer):
    tasks = upload_named(sdk, project_id, "pre", classifications=PRE_LABEL)

    task = sdk.get_task(tasks["pre"]["_id"], include_answer=include_answer)["data"]["task"]

    assert task["_id"] == tasks["pre"]["_id"]
    assert task["answer"] == {"tools": [], "classifications": PRE_LABEL, "relations": []}
    assert task["asset"] == tasks["pre"]["asset"]
    assert (task["externalId"], task["stage"]) == ("pre", "Label")


def test_get_task_lowercase_false_omits_the_answer(sdk, project_id, live_server, api_key):
    tasks = upload_named(sdk, project_id, "pre", classifications=PRE_LABEL)

    response = raw(live_server, api_key, "GET", f"/v2/task/{tasks['pre']['_id']}?includeAnswer=false")

    task = response.json()["data"]["task"]
    assert "answer" not in task
    assert task["externalId"] == "pre"


def test_get_task_unknown_id_is_404(sdk, live_server, api_key):
    with pytest.raises(Exception) as exc_info:
        sdk.get_task(UNKNOWN_ID)

    assert error_body(exc_info) == {"status": "fail", "message": f"Task not found: {UNKNOWN_ID}"}
    assert raw(live_server, api_key, "GET", f"/v2/task/{UNKNOWN_ID}").status_code == 404


# --- task history -------------------------------------------------------------------------------------------

def test_task_history_has_the_start_record_and_is_readable_by_its_id(sdk, project_id):
    tasks = upload_named(sdk, project_id, "h")
    task = tasks["h"]

    history = sdk.get_task_history(task_id=task["_id"])["data"]["taskHistory"]

    assert isinstance(history, list) and len(history) == 1
    (record,) = history
    assert record["_id"] == record["id"]
    assert (record["stage"], record["labelTaskId"], record["asset"], record["project"]) == (
        "Start", task["_id"], task["asset"]["_id"], project_id)
    assert record["rework"] is False
    assert HISTORY_KEYS <= set(record), HISTORY_KEYS - set(record)
    single = sdk.get_task_history(task_history_id=record["_id"])["data"]["taskHistory"]
    assert single == record


def test_task_history_adds_one_record_per_stage_left_oldest_first(sdk, project_id):
    tasks = upload_named(sdk, project_id, "h")
    answer = Answer(classifications=PRE_LABEL)

    sdk.annotate_task(tasks["h"]["_id"], AnnotationPayload(answer=answer), send_to_next_stage=True)

    history = sdk.get_task_history(task_id=tasks["h"]["_id"])["data"]["taskHistory"]
    assert [record["stage"] for record in history] == ["Start", "Label"]
    assert history[1]["answer"]["classifications"][0]["schemaId"] == "c1"
    assert len({record["_id"] for record in history}) == 2
    assert sdk.get_task(tasks["h"]["_id"])["data"]["task"]["stage"] == "Complete"


def test_task_resting_in_start_has_no_history(sdk, project_id):
    sdk.update_workflow_stages(project_id, stages_with(sdk, project_id, hold_at_start))
    tasks = upload_named(sdk, project_id, "held")

    assert tasks["held"]["stage"] == "Start"
    assert sdk.get_task_history(task_id=tasks["held"]["_id"])["data"]["taskHistory"] == []


def test_task_history_unknown_ids_are_404(sdk, live_server, api_key):
    with pytest.raises(Exception) as by_task:
        sdk.get_task_history(task_id=UNKNOWN_ID)
    with pytest.raises(Exception) as by_record:
        sdk.get_task_history(task_history_id=UNKNOWN_ID)

    assert error_body(by_task)["message"] == f"Task not found: {UNKNOWN_ID}"
    assert error_body(by_record)["message"] == f"Task history not found: {UNKNOWN_ID}"
    assert raw(live_server, api_key, "GET", f"/v2/taskHistory/{UNKNOWN_ID}").status_code == 404


# --- assign_task --------------------------------------------------------------------------------------------

def assignees(sdk, tasks):
    return {name: sdk.get_task(task["_id"])["data"]["task"]["assignee"] for name, task in tasks.items()}


def test_assign_task_sets_the_assignee_of_tasks_in_that_stage(sdk, project_id):
    tasks = upload_named(sdk, project_id, "a", "b", "c")

    result = sdk.assign_task(project_id, [tasks["a"]["_id"], tasks["c"]["_id"]], "Label", LABELER)

    assert result["data"]["matchedCount"] == 2 and result["data"]["modifiedCount"] == 2
    assert assignees(sdk, tasks) == {"a": LABELER, "b": None, "c": LABELER}
    assert set(found(sdk, project_id, task_filter=TaskFilter(assignee=LABELER))) == {"a", "c"}


def test_assign_task_for_a_later_stage_is_remembered_not_applied(sdk, project_id):
    tasks = upload_named(sdk, project_id, "a", "b")
    sdk.update_workflow_stages(project_id, stages_with(sdk, project_id, add_review))

    result = sdk.assign_task(project_id, [tasks["a"]["_id"]], "Review", LABELER)

    assert (result["data"]["matchedCount"], result["data"]["modifiedCount"]) == (1, 0)
    assert {name: (t["stage"], t["assignee"]) for name, t in task_map(sdk, project_id).items()} == {
        "a": ("Label", None), "b": ("Label", None)}
    for name in ("a", "b"):  # submit both: only `a` finds its assignee waiting in Review
        sdk.annotate_task(tasks[name]["_id"], AnnotationPayload(answer=Answer()), send_to_next_stage=True)
    after = {name: sdk.get_task(t["_id"])["data"]["task"] for name, t in tasks.items()}
    assert {name: (t["stage"], t["assignee"]) for name, t in after.items()} == {
        "a": ("Review", LABELER), "b": ("Review", None)}
    assert found(sdk, project_id, task_filter=TaskFilter(stage="Review")) == ["b", "a"]
    assert found(sdk, project_id, task_filter=TaskFilter(stage="Label")) == []
    assert found(sdk, project_id, task_filter=TaskFilter(assignee=LABELER, stage="Review")) == ["a"]


@pytest.mark.parametrize("stage, words", [("Nope", ["Nope"]), ("Complete", ["Complete"]), ("Start", ["Start"])])
def test_assign_task_to_an_unknown_or_unassignable_stage_is_400(sdk, project_id, live_server, api_key, stage, words):
    tasks = upload_named(sdk, project_id, "a")
    payload = {"project": project_id, "tasks": [tasks["a"]["_id"]], "user": LABELER, "stage": stage}

    with pytest.raises(Exception) as exc_info:
        sdk.assign_task(project_id, payload["tasks"], stage, LABELER)
    response = raw(live_server, api_key, "POST", "/v2/task/assign", json=payload)

    body = error_body(exc_info)
    assert body["status"] == "fail" and all(word in body["message"] for word in words)
    assert (response.status_code, response.json()) == (400, body)
    assert assignees(sdk, tasks) == {"a": None}


def test_assign_task_with_an_unknown_task_is_404_and_changes_nothing(sdk, project_id, live_server, api_key):
    tasks = upload_named(sdk, project_id, "a")
    ids = [tasks["a"]["_id"], UNKNOWN_ID]

    with pytest.raises(Exception) as exc_info:
        sdk.assign_task(project_id, ids, "Label", LABELER)
    response = raw(live_server, api_key, "POST", "/v2/task/assign",
                   json={"project": project_id, "tasks": ids, "user": LABELER, "stage": "Label"})

    body = error_body(exc_info)
    assert body["status"] == "fail"
    assert UNKNOWN_ID in body["message"] and tasks["a"]["_id"] not in body["message"]
    assert response.status_code == 404
    assert assignees(sdk, tasks) == {"a": None}


# --- update_tasks_priority ----------------------------------------------------------------------------------

def priorities(sdk, project_id):
    return {name: task["priority"] for name, task in task_map(sdk, project_id).items()}


def test_update_priority_by_task_ids_external_ids_and_for_all(sdk, project_id):
    tasks = upload_named(sdk, project_id, "a", "b", "c")

    by_ids = sdk.update_tasks_priority(project_id, 42, {"taskIds": [tasks["a"]["_id"], tasks["c"]["_id"]]})
    assert by_ids["data"]["result"] == {"matchedCount": 2, "modifiedCount": 2}
    assert priorities(sdk, project_id) == {"a": 42, "b": 0, "c": 42}

    sdk.update_tasks_priority(project_id, -7, {"externalIds": ["b"]})
    assert priorities(sdk, project_id) == {"a": 42, "b": -7, "c": 42}

    everything = sdk.update_tasks_priority(project_id, 1000)
    assert everything["data"]["result"]["matchedCount"] == 3
    assert priorities(sdk, project_id) == {"a": 1000, "b": 1000, "c": 1000}
    assert found(sdk, project_id, sort="-priority", task_filter=TaskFilter(priority=1000)) == ["c", "b", "a"]


@pytest.mark.parametrize("priority", [2000, -1001])
def test_update_priority_out_of_range_is_400_and_changes_nothing(sdk, project_id, live_server, api_key, priority):
    tasks = upload_named(sdk, project_id, "a", "b")
    sdk.update_tasks_priority(project_id, 3, {"taskIds": [tasks["a"]["_id"]]})

    with pytest.raises(Exception) as exc_info:
        sdk.update_tasks_priority(project_id, priority)
    response = raw(live_server, api_key, "POST", f"/v2/project/{project_id}/updatePriority",
                   json={"filters": {}, "priority": priority})

    body = error_body(exc_info)
    assert body["status"] == "fail" and "priority" in body["message"]
    assert response.status_code == 400
    assert priorities(sdk, project_id) == {"a": 3, "b": 0}


# --- isolation ----------------------------------------------------------------------------------------------

def test_another_organization_cannot_reach_the_project_or_its_tasks(sdk, project_id, live_server):
    tasks = upload_named(sdk, project_id, "mine")
    task_id = tasks["mine"]["_id"]
    other = SDK(f"sdk-test-key-other-{uuid.uuid4().hex}", host=live_server.url)
    invalid = {"status": "fail", "message": f"Invalid project: {project_id}."}
    not_found = {"status": "fail", "message": f"Task not found: {task_id}"}

    calls = {
        "get_project": (lambda: other.get_project(project_id), invalid),
        "get_tasks": (lambda: other.get_tasks(project_id), invalid),
        "assign_task": (lambda: other.assign_task(project_id, [task_id], "Label", LABELER), invalid),
        "update_tasks_priority": (lambda: other.update_tasks_priority(project_id, 9), invalid),
        "get_task": (lambda: other.get_task(task_id), not_found),
        "get_task_history": (lambda: other.get_task_history(task_id=task_id), not_found),
    }
    for name, (call, expected) in calls.items():
        with pytest.raises(Exception) as exc_info:
            call()
        assert error_body(exc_info) == expected, name

    history_id = sdk.get_task_history(task_id=task_id)["data"]["taskHistory"][0]["_id"]
    with pytest.raises(Exception) as exc_info:
        other.get_task_history(task_history_id=history_id)
    assert error_body(exc_info)["message"] == f"Task history not found: {history_id}"
    task = sdk.get_task(task_id)["data"]["task"]
    assert (task["assignee"], task["priority"]) == (None, 0)
