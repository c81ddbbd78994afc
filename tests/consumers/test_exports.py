"""Export consumers: walk every classification recursively, build per-stage rows, run the v3 export plugin
sample's conversion; JSON and NDJSON, through the real SDK. Every record also has its response schema's shape."""
import pytest
import requests
from imerit_ango.models.enums import ExportFormats
from imerit_ango.models.export_options import ExportOptions

from mockhub.schemas.responses import shape_errors
from tests.consumers import ontology
from tests.consumers.conftest import ASSETS
from tests.consumers.readers import download_export, stage_rows, walk_answer, yolo_lines

pytestmark = pytest.mark.usefixtures("export_both_ways")  # tests/conftest.py


def _json(hub):
    return hub.sdk.export(hub.pid)


def _ndjson(hub):
    lines, count = hub.sdk.exportV3(hub.pid, ExportOptions(export_format=ExportFormats.NDJSON))
    records = list(lines)
    assert count == len(records)
    return records


@pytest.fixture(params=[_json, _ndjson], ids=["json", "ndjson"])
def records(request, hub):
    return request.param(hub)


def test_every_record_has_the_export_record_shape(records):
    assert sorted(r["externalId"] for r in records) == sorted(ASSETS)
    for record in records:
        assert shape_errors("export_record", record) == {}


def test_every_classification_at_every_depth_reads_tool_schema_id_title_and_answer(records):
    titles = {}
    for item in [*ontology.category_schema()["tools"], *ontology.category_schema()["classifications"],
                 *ontology.category_schema()["relations"]]:
        pending = [item]
        while pending:
            current = pending.pop()
            titles[current["schemaId"]] = (current["tool"], current["title"])
            pending += current.get("classifications", [])
    for record in records:
        labeled = [e for e in record["task"]["stageHistory"] if e["stage"] in ("Label", "Review")]
        assert len(labeled) == 4
        for holder in [record["task"], *labeled]:
            rows = walk_answer(holder)
            assert {depth for depth, *_ in rows} == {1, 2, 3, 4}  # top level and three nested levels
            assert {tool for _, tool, *_ in rows} == ontology.expected_types()
            for _, tool, schema_id, title, answer in rows:
                assert (tool, title) == titles[schema_id] and answer is not None
        consensus, = (e for e in record["task"]["stageHistory"] if e["stage"] == "Consensus")
        assert [row[1:4] for row in walk_answer(consensus)] == [("radio", "cls-radio", "radio question")]


def test_each_tool_type_is_exported_with_its_title_geometry_and_nested_classifications(records):
    for record in records:
        tools = {tool["title"]: tool for tool in record["task"]["tools"]}
        assert sorted(tools) == sorted(f"{kind} tool" for kind in ontology.TOOLS)
        for kind, geometry in ontology.TOOLS.items():
            exported = tools[f"{kind} tool"]
            assert exported["objectId"].endswith("second") and exported["metadata"]["createdIn"] == "Label"
            assert exported.get(kind) == geometry
            assert exported["classifications"][0]["classifications"][0]["classifications"][0]["answer"] == "deep second"
        relations = {relation["title"]: relation for relation in record["task"]["relations"]}
        assert set(relations) == {f"{kind} relation" for kind in ontology.RELATIONS}
        assert {"from", "to", "direction"} <= set(relations["one-to-one relation"])
        assert len(relations["group relation"]["group"]) == 3
        assert record["task"]["brushDataUrl"] == ontology.BRUSH_URL


def test_per_stage_rows_show_consensus_the_rejection_and_the_accepted_relabel(records, hub):
    rows = stage_rows(records)
    me = hub.sdk.get_project(hub.pid)["data"]["project"]["owner"]
    for external_id in ASSETS:
        mine = [row for row in rows if row["externalId"] == external_id]
        assert [row["stage"] for row in mine] == ["Start", "Consensus", "Label", "Review", "Label", "Review"]
        assert [row["review"] for row in mine if row["stage"] == "Review"] == ["Rejected", "Accepted"]
        assert all(row["completedBy"] == me for row in mine if row["stage"] in ("Label", "Review"))
        assert [row["objects"] for row in mine if row["stage"] == "Label"] == [len(ontology.TOOLS)] * 2
        assert all(row["durationMs"] >= 0 and row["completedAt"].endswith("Z") for row in mine)
        assert mine[0]["batches"] == [ASSETS[external_id]]
    label_rows = [e for r in records for e in r["task"]["stageHistory"] if e["stage"] == "Label"]
    assert {walk_answer(e)[0][4] for e in label_rows} == {"Red"}  # the radio answer, both submissions
    marks = [e["tools"][0]["objectId"].rsplit("-", 1)[-1] for e in label_rows[:2]]
    assert marks == ["first", "second"]  # each entry holds the answer as that stage was left


def test_the_export_plugin_sample_converts_the_boxes(records):
    box = ontology.TOOLS["bounding-box"]
    assert yolo_lines(records) == {name: [f"bounding-box tool {box['x']} {box['y']} {box['width']} {box['height']}"]
                                   for name in ASSETS}


def test_the_api_task_and_its_history_hold_the_nested_answers_as_stored(hub):
    task = hub.sdk.get_task(hub.tasks["car-1.png"])["data"]["task"]
    history = hub.sdk.get_task_history(task_id=hub.tasks["car-1.png"])["data"]["taskHistory"]

    assert shape_errors("task", task) == {}
    assert all(shape_errors("task_history", record) == {} for record in history)
    deep = task["answer"]["tools"][0]["classifications"][0]["classifications"][0]["classifications"][0]
    assert deep["answer"] == "deep second"
    assert [record["stage"] for record in history] == ["Start", "Consensus", "Label", "Review", "Label", "Review"]


def test_the_legacy_export_plugin_sample_reads_titled_objects(hub, live_server):
    """angoai/plugin-samples v3/export_plugin.py reads the legacy record: tasks[0].objects[].title and boxes."""
    flags = "&".join(f"{flag}=true" for flag in ("labeledAt", "reviewedAt", "completion", "duration", "skip"))
    url = f"{live_server.url}/v2/export?project={hub.pid}&{flags}&format=json&sendEmail=false&batches=true"
    records = download_export(requests.get(url, headers={"apikey": hub.key}))

    assert all(shape_errors("legacy_export_record", record) == {} for record in records)
    box = ontology.TOOLS["bounding-box"]
    for asset in records:
        objects = asset["tasks"][0]["objects"]
        lines = [" ".join([obj["title"], *(str(obj["bounding-box"][k]) for k in ("x", "y", "width", "height"))])
                 for obj in objects if "bounding-box" in obj]
        assert lines == [f"bounding-box tool {box['x']} {box['y']} {box['width']} {box['height']}"]
        assert {row[1] for row in walk_answer({"tools": objects, "classifications": asset["tasks"][0][
            "classifications"], "relations": asset["tasks"][0]["relations"]})} == ontology.expected_types()

