"""Export through the official SDK against a live mockhub: the v3 record shape and stage history, every
ExportOptions filter, NDJSON, zip downloads, issue exports, exports under concurrent writes, and the older
dialects (1.3.14's `/v2/exportV3`, 0.1.18's legacy flags) sent with plain requests."""
import json
import threading
import zipfile
from datetime import timedelta
from types import SimpleNamespace

import pytest
import requests
from imerit_ango.models.annotate import AnnotationPayload, Answer
from imerit_ango.models.enums import ExportFormats, ExportTypes, ReviewStatus
from imerit_ango.models.export_options import ExportOptions, TimeFilter
from imerit_ango.sdk import SDK

from mockhub.schemas.responses import shape_errors
from tests.sdk.helpers import download

BOX, QUALITY, LINK = "box1", "cls1", "rel1"
ONTOLOGY = {
    "tools": [{"schemaId": BOX, "title": "Box", "tool": "bounding-box"}],
    "classifications": [{"schemaId": QUALITY, "title": "Quality", "tool": "radio"}],
    "relations": [{"schemaId": LINK, "title": "Link", "tool": "one-to-one"}],
}
NAMES = ("a", "b", "c", "d", "e")
BATCH_OF = {"a": "alpha", "b": "beta", "c": "beta", "d": "alpha", "e": "beta"}
COMPLETE, IN_REVIEW, IN_LABEL = ("a", "b", "c"), ("d",), ("e",)
MOVED = 100  # how far the reviewer moves task c's box before accepting it
UNKNOWN_PROJECT = "0123456789abcdef01234567"

pytestmark = pytest.mark.usefixtures("export_both_ways")  # tests/conftest.py

# --- workflow and answers -------------------------------------------------------------------------------------

def stage(stage_id, kind, *next_ids, **fields):
    return {"id": stage_id, "type": kind, "name": stage_id, "next": list(next_ids), "position": {"x": 0, "y": 0},
            **fields}


def workflow(**names):
    """Start -> Label -> Review -> (Complete | Label); `names` renames stages by id."""
    stages = [stage("Start", "Start", "Label", autoForward=True), stage("Label", "Label", "Review", assignedTo=[]),
              stage("Review", "Review", "Complete", "Label", assignedTo=[]),
              stage("Complete", "Complete", preventRequeue=False)]
    return [dict(s, name=names.get(s["id"], s["name"])) for s in stages]


def geometry(name, shift=0):
    x = 10 * (NAMES.index(name) + 1) + shift
    return {"x": x, "y": x + 1, "width": x + 2, "height": 7}


def box(name, shift=0):
    return {"schemaId": BOX, "objectId": f"obj-{name}", "bounding-box": geometry(name, shift)}


def quality(name):
    return {"schemaId": QUALITY, "answer": f"q-{name}"}


def annotate(sdk, task_id, objects=(), classifications=(), relations=(), submit=False):
    payload = AnnotationPayload(Answer(objects=list(objects), classifications=list(classifications),
                                       relations=list(relations)))
    assert sdk.annotate_task(task_id, payload, overwrite=True, send_to_next_stage=submit) is True


def upload(sdk, project_id, names, **asset_fields):
    """Upload one cloud asset per name; return {externalId: task id}."""
    assets = [{"data": f"https://cdn.example.com/{name}.png", "externalId": name,
               **{key: value(name) for key, value in asset_fields.items()}} for name in names]
    assert sdk.upload_files_cloud(project_id, assets)["status"] == "success"
    tasks = sdk.get_tasks(project_id, limit=1000)["data"]["tasks"]
    return {task["externalId"]: task["_id"] for task in tasks}


def read(sdk, task_id):
    return sdk.get_task(task_id, include_answer=True)["data"]["task"]


# --- export helpers -------------------------------------------------------------------------------------------

def by_name(records):
    return {record["externalId"]: record for record in records}


def exported(sdk, project_id, **options):
    """The externalIds an SDK export with these ExportOptions returns, sorted."""
    return sorted(by_name(sdk.export(project_id, ExportOptions(**options))))


def query(project_id, **changes):
    """The query SDK 1.4.10 sends for a default export, with some parameters changed."""
    params = dict(ExportOptions().toDict(), project=project_id)
    params.update(changes)
    return params


def raw_export(live_server, key, params, path="/v2/export"):
    return requests.get(f"{live_server.url}{path}", params=params, headers={"apikey": key})


def export_path(live_server, key, params, path="/v2/export"):
    response = raw_export(live_server, key, params, path)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "success"
    return body["data"]["exportPath"]


def refusal(response):
    """The status and message of an error answer."""
    body = response.json()
    assert body["status"] == "fail"
    return response.status_code, body["message"]


# --- fixtures -------------------------------------------------------------------------------------------------

def build_hub(sdk, api_key, project_id):
    """Five tasks with an ontology and two batches: a, b, c accepted into Complete (the reviewer moved c's box
    first), d waiting in Review, e in Label."""
    sdk.create_label_set(project_id, raw_category_schema=ONTOLOGY)
    sdk.update_workflow_stages(project_id, workflow())
    for name in ("alpha", "beta"):
        sdk.create_batch(project_id, name)
    batches = {batch["name"]: batch["_id"] for batch in sdk.get_batches(project_id)}
    tasks = upload(sdk, project_id, NAMES, batches=lambda n: [BATCH_OF[n]],
                   metadata=lambda n: {"width": 100 + NAMES.index(n), "height": 50})
    for name in COMPLETE + IN_REVIEW:
        annotate(sdk, tasks[name], [box(name)], [quality(name)], submit=True)
    annotate(sdk, tasks["c"], [box("c", MOVED)], [quality("c")])
    for name in COMPLETE:
        sdk.review_task(tasks[name], ReviewStatus.ACCEPTED)
    assert {name: read(sdk, task_id)["stage"] for name, task_id in tasks.items()} == \
        {"a": "Complete", "b": "Complete", "c": "Complete", "d": "Review", "e": "Label"}
    (member,) = sdk.get_project(project_id)["data"]["project"]["assignedTo"]
    return SimpleNamespace(sdk=sdk, key=api_key, pid=project_id, tasks=tasks, batches=batches,
                           me=member["assignee"])


@pytest.fixture(scope="module")
def hub(live_server):
    """One hub for the tests that only read it (its own key, so its own organization)."""
    sdk = SDK("sdk-test-export-shared-key", host=live_server.url)
    project_id = sdk.create_project("Export project", "shared by read-only export tests")["data"]["project"]["_id"]
    return build_hub(sdk, "sdk-test-export-shared-key", project_id)


@pytest.fixture
def own_hub(sdk, api_key, project_id):
    """A hub of its own, for tests that change it."""
    return build_hub(sdk, api_key, project_id)


@pytest.fixture
def clock(live_server):
    return live_server.app.extensions["mockhub"].clock


# --- the default export and the record shape ------------------------------------------------------------------

def test_default_export_returns_only_complete_tasks_with_their_asset_fields(hub):
    records = by_name(hub.sdk.export(hub.pid))

    assert sorted(records) == list(COMPLETE)
    for name, record in records.items():
        task = read(hub.sdk, hub.tasks[name])
        assert record["asset"] == f"https://cdn.example.com/{name}.png"
        assert record["assetId"] == task["asset"]["_id"]
        assert record["metadata"] == {"width": 100 + NAMES.index(name), "height": 50}
        assert record["batches"] == [BATCH_OF[name]]
    assert hub.sdk.exportV3(hub.pid) == hub.sdk.export(hub.pid)


def test_exported_task_has_stage_name_and_id_the_answer_and_titles_from_the_ontology(hub):
    records = by_name(hub.sdk.export(hub.pid))

    for name, record in records.items():
        task, stored = record["task"], read(hub.sdk, hub.tasks[name])
        assert (task["taskId"], task["stage"], task["stageId"]) == (hub.tasks[name], "Complete", "Complete")
        assert (task["updatedAt"], task["updatedBy"], task["totalDuration"]) == \
            (stored["updatedAt"], hub.me, stored["totalDuration"])
        (tool,) = task["tools"]
        assert (tool["objectId"], tool["schemaId"], tool["title"]) == (f"obj-{name}", BOX, "Box")
        assert tool["bounding-box"] == geometry(name, MOVED if name == "c" else 0)
        assert (tool["metadata"]["createdBy"], tool["metadata"]["createdIn"]) == \
            (hub.me, "Review" if name == "c" else "Label")
        (classification,) = task["classifications"]
        assert classification["schemaId"] == QUALITY and classification["answer"] == f"q-{name}"
        assert (classification["tool"], classification["title"]) == ("radio", "Quality")
        assert task["relations"] == []
        assert (task["brushDataUrl"], task["medicalBrushDataUrl"]) == (None, None)


def test_stage_history_has_one_entry_per_stage_left_with_the_answer_as_it_left(hub):
    records = by_name(hub.sdk.export(hub.pid))

    for name, record in records.items():
        start, label, review = record["task"]["stageHistory"]
        assert [(h["stage"], h["stageId"]) for h in (start, label, review)] == \
            [("Start", "Start"), ("Label", "Label"), ("Review", "Review")]
        assert "completedBy" not in start and start["tools"] == []
        assert (label["completedBy"], review["completedBy"]) == (hub.me, hub.me)
        assert [t["bounding-box"] for t in label["tools"]] == [geometry(name)]
        assert [t["metadata"]["createdIn"] for t in label["tools"]] == ["Label"]
        assert [c["answer"] for c in label["classifications"]] == [f"q-{name}"]
        assert [t["bounding-box"] for t in review["tools"]] == [geometry(name, MOVED if name == "c" else 0)]
        assert review["reviewStatus"] == "Accepted"
        assert start["completedAt"] <= label["completedAt"] <= review["completedAt"] <= record["task"]["updatedAt"]


def test_a_renamed_stage_exports_its_name_as_stage_and_its_id_as_stage_id(own_hub):
    own_hub.sdk.update_workflow_stages(own_hub.pid, workflow(Complete="Done", Review="Quality check"))

    done = by_name(own_hub.sdk.export(own_hub.pid))
    waiting = by_name(own_hub.sdk.export(own_hub.pid, ExportOptions(stage=["Review"])))

    assert {name: (r["task"]["stage"], r["task"]["stageId"]) for name, r in done.items()} == \
        {name: ("Done", "Complete") for name in COMPLETE}
    assert {name: (r["task"]["stage"], r["task"]["stageId"]) for name, r in waiting.items()} == \
        {"d": ("Quality check", "Review")}


def test_stage_filter_means_stage_ids_even_when_a_stage_is_named_like_another_stage_id(own_hub):
    own_hub.sdk.update_workflow_stages(own_hub.pid, workflow(Label="Complete", Complete="Done"))

    assert exported(own_hub.sdk, own_hub.pid) == list(COMPLETE)
    assert exported(own_hub.sdk, own_hub.pid, stage=["Label"]) == list(IN_LABEL)


def test_exported_relations_carry_their_title_from_the_ontology(sdk, project_id):
    sdk.create_label_set(project_id, raw_category_schema=ONTOLOGY)
    task_id = upload(sdk, project_id, ["a"])["a"]
    relation = {"schemaId": LINK, "objectId": "rel-a", "from": "obj-a", "to": "obj-b", "direction": "straight"}
    annotate(sdk, task_id, [box("a"), dict(box("b"), objectId="obj-b")], relations=[relation], submit=True)

    (record,) = sdk.export(project_id)

    assert record["task"]["relations"] == [dict(relation, title="Link")]


# --- ExportOptions filters ------------------------------------------------------------------------------------

@pytest.mark.parametrize("stages, expected", [
    (["Review"], ["d"]),
    (["Label"], ["e"]),
    (["Label", "Review"], ["d", "e"]),
    (["Start"], []),
    (["Complete", "Review", "Label"], ["a", "b", "c", "d", "e"]),
])
def test_stage_option_selects_the_tasks_in_those_stage_ids(hub, stages, expected):
    assert exported(hub.sdk, hub.pid, stage=stages) == expected


@pytest.mark.parametrize("batches, stages, expected", [
    (["alpha"], None, ["a"]),
    (["beta"], None, ["b", "c"]),
    (["alpha"], ["Complete", "Review", "Label"], ["a", "d"]),
    (["beta"], ["Review", "Label"], ["e"]),
    (["alpha", "beta"], ["Complete", "Review", "Label"], ["a", "b", "c", "d", "e"]),
])
def test_batches_option_selects_the_tasks_of_those_batch_ids(hub, batches, stages, expected):
    ids = [hub.batches[name] for name in batches]

    records = hub.sdk.export(hub.pid, ExportOptions(batches=ids, stage=stages))

    assert sorted(by_name(records)) == expected
    assert all(set(record["batches"]) <= set(batches) for record in records)


def test_an_unknown_batch_id_is_a_400(hub):
    with pytest.raises(requests.HTTPError) as exc_info:
        hub.sdk.export(hub.pid, ExportOptions(batches=["no-such-batch"]))

    assert refusal(exc_info.value.response) == (400, f"batches: batch no-such-batch not found in project {hub.pid}")


def test_include_history_false_leaves_out_stage_history(hub):
    records = by_name(hub.sdk.export(hub.pid, ExportOptions(include_history=False)))

    assert sorted(records) == list(COMPLETE)
    assert ["stageHistory" in record["task"] for record in records.values()] == [False] * 3
    assert [len(record["task"]["tools"]) for record in records.values()] == [1, 1, 1]


def test_include_metadata_false_leaves_out_metadata(hub):
    records = by_name(hub.sdk.export(hub.pid, ExportOptions(include_metadata=False)))

    assert sorted(records) == list(COMPLETE)
    assert ["metadata" in record for record in records.values()] == [False] * 3
    assert [record["batches"] for record in records.values()] == [[BATCH_OF[name]] for name in records]
    assert [len(record["task"]["stageHistory"]) for record in records.values()] == [3, 3, 3]


@pytest.fixture
def timeline(sdk, project_id, clock):
    """old1/old2 created a minute before `middle`, new1/new2 a minute after; old1 was submitted before `middle`,
    old2 and new1 after; new2 stays in Label. `before` and `after` bracket everything. The shared server's clock
    is put back afterwards."""
    before, shifted = clock.now() - timedelta(hours=1), 0
    try:
        tasks = upload(sdk, project_id, ["old1", "old2"])
        annotate(sdk, tasks["old1"], submit=True)
        clock.advance(60)
        shifted += 60
        middle = clock.now()
        clock.advance(60)
        shifted += 60
        tasks = upload(sdk, project_id, ["new1", "new2"])
        for name in ("old2", "new1"):
            annotate(sdk, tasks[name], submit=True)
        yield {"before": before, "middle": middle, "after": clock.now() + timedelta(hours=1), None: None}
    finally:
        clock.advance(-shifted)


@pytest.mark.parametrize("windows, expected", [
    ({"created_at": ("middle", None)}, ["new1"]),
    ({"created_at": (None, "middle")}, ["old1", "old2"]),
    ({"created_at": ("before", "after")}, ["new1", "old1", "old2"]),
    ({"created_at": ("after", None)}, []),
    ({"updated_at": ("middle", None)}, ["new1", "old2"]),
    ({"updated_at": (None, "middle")}, ["old1"]),
    ({"updated_at": ("before", "middle")}, ["old1"]),
    ({"updated_at": (None, "before")}, []),
    ({"created_at": (None, "middle"), "updated_at": ("middle", "after")}, ["old2"]),
])
def test_created_at_and_updated_at_ranges_select_the_tasks_in_them(sdk, project_id, timeline, windows, expected):
    options = {field: TimeFilter(timeline[start], timeline[end]) for field, (start, end) in windows.items()}

    assert exported(sdk, project_id, **options) == expected


def test_issue_export_lists_the_projects_issues(own_hub):
    first = own_hub.sdk.create_issue(own_hub.tasks["a"], "box too small")["data"]["issue"]
    second = own_hub.sdk.create_issue(own_hub.tasks["e"], "nothing labeled")["data"]["issue"]

    records = {r["_id"]: r for r in own_hub.sdk.export(own_hub.pid, ExportOptions(export_type=ExportTypes.ISSUE))}

    assert sorted(records) == sorted([first["_id"], second["_id"]])
    for issue, name, content, stage_id in ((first, "a", "box too small", "Complete"),
                                           (second, "e", "nothing labeled", "Label")):
        record = records[issue["_id"]]
        assert (record["content"], record["status"], record["createdBy"]) == (content, "Open", own_hub.me)
        assert (record["labelTask"], record["project"]) == (own_hub.tasks[name], own_hub.pid)
        assert (record["asset"]["externalId"], record["asset"]["batches"]) == (name, [BATCH_OF[name]])
        assert (record["stage"], record["stageName"]) == (stage_id, stage_id)
        assert "task" not in record


# --- formats and downloads ------------------------------------------------------------------------------------

def test_ndjson_export_returns_an_iterator_of_records_and_their_count(hub):
    lines, count = hub.sdk.exportV3(hub.pid, ExportOptions(export_format=ExportFormats.NDJSON))

    records = list(lines)
    assert count == len(records) == 3
    assert records == hub.sdk.export(hub.pid)


def test_ndjson_zip_holds_one_newline_terminated_line_per_record(live_server, hub):
    names, content = download(export_path(live_server, hub.key, query(hub.pid, format="ndjson")))

    assert names == [f"{hub.pid}.ndjson"]
    assert content.count(b"\n") == 3 and content.endswith(b"\n")
    assert sorted(json.loads(line)["externalId"] for line in content.splitlines()) == list(COMPLETE)


def test_zip_file_path_downloads_the_zip_there_and_returns_none(hub, tmp_path):
    target = tmp_path / "export.zip"

    assert hub.sdk.export(hub.pid, zip_file_path=str(target)) is None

    with zipfile.ZipFile(target) as archive:
        first = archive.namelist()[0]
        assert first == f"{hub.pid}.json"
        assert json.loads(archive.read(first)) == hub.sdk.export(hub.pid)


def test_export_path_needs_no_key_and_each_export_gets_its_own_url(live_server, hub):
    first = export_path(live_server, hub.key, query(hub.pid))
    second = export_path(live_server, hub.key, query(hub.pid, stage=json.dumps(["Review"])))

    assert first != second
    first_names, first_content = download(first)
    _, second_content = download(second)
    assert first_names == [f"{hub.pid}.json"]
    assert sorted(by_name(json.loads(first_content))) == list(COMPLETE)
    assert sorted(by_name(json.loads(second_content))) == list(IN_REVIEW)


# --- exports during writes ------------------------------------------------------------------------------------

def test_exports_taken_while_another_thread_submits_are_consistent_snapshots(sdk, project_id, api_key,
                                                                             live_server):
    names = [f"t{i:02d}" for i in range(30)]
    tasks = upload(sdk, project_id, names)
    writer = SDK(api_key, host=live_server.url)
    started, stop = threading.Event(), threading.Event()
    outcome = {"submitted": 0, "error": None}

    def submit_in_a_loop():
        try:
            for name in names:
                if stop.is_set():
                    break
                annotate(writer, tasks[name], [box("a")])
                annotate(writer, tasks[name], [box("a")], submit=True)
                outcome["submitted"] += 1
                started.set()
        except Exception as exc:  # reported by the main thread
            outcome["error"] = exc
        finally:
            started.set()

    thread = threading.Thread(target=submit_in_a_loop)
    thread.start()
    try:
        assert started.wait(30)
        exports = [sdk.export(project_id, ExportOptions(stage=["Label", "Complete"])) for _ in range(5)]
    finally:
        stop.set()
        thread.join(30)
    assert outcome["error"] is None

    counts = []
    for records in exports:
        assert sorted(by_name(records)) == names
        for record in records:
            task = record["task"]
            history = [entry["stageId"] for entry in task["stageHistory"]]
            assert history == (["Start", "Label"] if task["stage"] == "Complete" else ["Start"])
            if task["stage"] == "Complete":
                assert task["stageHistory"][1]["tools"] == task["tools"]
        counts.append(sum(record["task"]["stage"] == "Complete" for record in records))
    assert counts[0] >= 1 and counts == sorted(counts)
    assert len(sdk.export(project_id)) == outcome["submitted"]


# --- raw requests: errors and the older dialects ---------------------------------------------------------------

def test_the_1_3_14_dialect_on_export_v3(live_server, hub):
    params = {"sendEmail": "false", "includeMetadata": "true", "includeHistory": "true",
              "includeSegmentationPoints": "true", "doNotNotify": "true", "project": hub.pid, "format": "json",
              "type": "None", "includeOnlyKeyFrames": "false", "stage": json.dumps("Complete")}

    names, content = download(export_path(live_server, hub.key, params, path="/v2/exportV3"))

    assert names == [f"{hub.pid}.json"]
    records = by_name(json.loads(content))
    assert sorted(records) == list(COMPLETE)
    assert [len(r["task"]["stageHistory"]) for r in records.values()] == [3, 3, 3]


def test_an_unknown_format_is_a_400(live_server, hub):
    response = raw_export(live_server, hub.key, query(hub.pid, format="xml"))

    assert refusal(response) == (400, "format: must be json or ndjson")


def test_an_unknown_project_is_a_400_through_the_sdk_and_on_the_wire(sdk, live_server, api_key):
    with pytest.raises(requests.HTTPError) as exc_info:
        sdk.exportV3(UNKNOWN_PROJECT)

    assert refusal(exc_info.value.response) == (400, f"Invalid project: {UNKNOWN_PROJECT}.")
    assert refusal(raw_export(live_server, api_key, query(UNKNOWN_PROJECT), path="/v2/exportV3")) == \
        (400, f"Invalid project: {UNKNOWN_PROJECT}.")


def test_another_organizations_key_cannot_export_the_project(live_server, hub):
    stranger = SDK(f"{hub.key}-stranger", host=live_server.url)

    with pytest.raises(requests.HTTPError) as exc_info:
        stranger.export(hub.pid)

    assert refusal(exc_info.value.response) == (400, f"Invalid project: {hub.pid}.")


def test_the_0_1_18_legacy_dialect_filters_by_batch_name_across_all_stages(live_server, hub):
    flags = "&".join(f"{flag}=true" for flag in (
        "labeledAt", "reviewedAt", "completion", "duration", "skip", "reviewConf"))
    more = "&".join(f"{flag}=true" for flag in (
        "consensus", "assetStatus", "labelDuration", "updateInfo", "issues", "mask", "segmentationPoints",
        "annotationMetadata", "benchmark", "labelStatus"))
    url = (f"{live_server.url}/v2/export?project={hub.pid}&{flags}&format=json&{more}&sendEmail=false"
           f"&doNotNotify=true&batches=true&tag={json.dumps(['alpha'])}")

    response = requests.get(url, headers={"apikey": hub.key})

    assert response.status_code == 200, response.text
    _, content = download(response.json()["data"]["exportPath"])
    records = by_name(json.loads(content))
    # the legacy (June 2023) record shape that ango 0.1.18 users get: tasks[] with objects
    assert {name: r["status"] for name, r in records.items()} == {"a": "Reviewed", "d": "Labeled"}
    assert {name: r["tasks"][0]["status"] for name, r in records.items()} == {"a": "Completed", "d": "TODO"}
    assert [r["tags"] for r in records.values()] == [["alpha"], ["alpha"]]
    assert all("objects" in r["tasks"][0] and r["labeledAt"] for r in records.values())
    assert all(shape_errors("legacy_export_record", r) == {} for r in records.values())
