"""A project that uses everything a pull must carry, built through the official SDK: every stage type, nested
classifications, consensus, a review rejection and rework, a draft, issues with comments, two batches."""
from imerit_ango.models.annotate import AnnotationPayload, Answer
from imerit_ango.models.enums import ReviewStatus, TaskType
from imerit_ango.models.export_options import ExportOptions
from imerit_ango.models.task_filter import TaskFilter

BOX, KIND, DETAIL, TAGS, NOTES = "box0000000000000000001", "kind000000000000000001", "detail0000000000000001", \
    "tags000000000000000001", "notes00000000000000001"
ONTOLOGY = {
    "tools": [{"schemaId": BOX, "title": "Vehicle", "tool": "bounding-box", "classifications": [
        {"schemaId": KIND, "title": "Kind", "tool": "radio",
         "options": [{"value": "Car", "schemaId": "car"}, {"value": "Bus", "schemaId": "bus"}],
         "classifications": [{"schemaId": DETAIL, "title": "Detail", "tool": "text"}]}]}],
    "classifications": [
        {"schemaId": TAGS, "title": "Tags", "tool": "checkbox",
         "options": [{"value": "Night", "schemaId": "night"}, {"value": "Rain", "schemaId": "rain"}]},
        {"schemaId": NOTES, "title": "Notes", "tool": "text"}],
    "relations": [],
}


def stage(stage_id, kind, *next_ids, **fields):
    return {"id": stage_id, "type": kind, "name": fields.pop("name", stage_id), "next": list(next_ids),
            "position": {"x": 100 * len(stage_id), "y": 40}, **fields}


def stages(batch_id):
    return [
        stage("Start", "Start", "Label", autoForward=True),
        stage("Label", "Label", "Review", assignedTo=[]),
        stage("Review", "Review", "Gate", "Label", assignedTo=[]),
        stage("Gate", "Logic", "Consensus", "Hook",
              logic={"conditions": [{"type": "Batch", "value": [batch_id], "index": 0}]}),
        stage("Consensus", "Consensus", "Complete", "Disputed", threshold=90),
        stage("Judge1", "Label", "Consensus", consensusId="Consensus", assignedTo=[]),
        stage("Judge2", "Label", "Consensus", consensusId="Consensus", assignedTo=[]),
        stage("Disputed", "Hold", "Complete"),
        stage("Hook", "Webhook", "Model", webhook={"url": "http://127.0.0.1:9/closed", "secret": "s"}),
        stage("Model", "Plugin", "Archive", pluginId="not-registered-plugin"),
        stage("Archive", "Archive"),
        stage("Complete", "Complete", preventRequeue=False),
    ]


def export_options(stage_ids):
    """Every task in every stage, with history, as the SDK's exportV3 asks."""
    return ExportOptions(stage=stage_ids)


def vehicle(x, kind="car", detail="red hatchback", object_id=None):
    nested = {"schemaId": KIND, "answer": kind, "classifications": [{"schemaId": DETAIL, "answer": detail}]}
    item = {"schemaId": BOX, "bounding-box": {"x": x, "y": 10, "width": 40, "height": 30},
            "classifications": [nested]}
    return dict(item, objectId=object_id) if object_id else item


def annotate(sdk, task_id, objects, notes=None, submit=True):
    classifications = [{"schemaId": TAGS, "answer": ["night"]}] + \
        ([{"schemaId": NOTES, "answer": notes}] if notes else [])
    payload = AnnotationPayload(Answer(objects=objects, classifications=classifications))
    assert sdk.annotate_task(task_id, payload, overwrite=True, send_to_next_stage=submit) is True


def tasks(sdk, project_id, kind=TaskType.DEFAULT):
    found = sdk.get_tasks(project_id, limit=1000, include_answer=True,
                          task_filter=TaskFilter(task_type=kind))["data"]["tasks"]
    return {(t["externalId"], t["stage"]) if kind == TaskType.CONSENSUS else t["externalId"]: t for t in found}


def build(sdk):
    """Create the project and work its tasks; return its id."""
    project_id = sdk.create_project("Everything a pull carries", "round trip")["data"]["project"]["_id"]
    sdk.create_label_set(project_id, raw_category_schema=ONTOLOGY)
    sdk.create_batch(project_id, "b1")
    sdk.create_batch(project_id, "b2")
    batches = {b["name"]: b["_id"] for b in sdk.get_batches(project_id)}
    sdk.update_workflow_stages(project_id, stages(batches["b1"]))
    assets = [{"data": f"https://cdn.example.com/{n}.png", "externalId": n, "metadata": {"width": 640}}
              for n in ("agree", "dispute", "archive", "review", "draft", "fresh")]
    sdk.upload_files_cloud(project_id, assets[:2], batches=["b1"])
    sdk.upload_files_cloud(project_id, assets[2:], batches=["b2"])
    work = tasks(sdk, project_id)
    for name in ("agree", "dispute", "archive", "review"):
        annotate(sdk, work[name]["_id"], [vehicle(10)], notes=f"first try on {name}")
    me = sdk.get_project(project_id)["data"]["project"]["assignedTo"][0]["assignee"]
    sdk.review_task(work["agree"]["_id"], ReviewStatus.REJECTED)  # rework: back to Label, then through again
    annotate(sdk, work["agree"]["_id"], [vehicle(12, kind="bus", detail="double decker")], notes="fixed")
    for name in ("agree", "dispute", "archive"):
        sdk.review_task(work[name]["_id"], ReviewStatus.ACCEPTED)
    judges = tasks(sdk, project_id, TaskType.CONSENSUS)
    for name, second in (("agree", vehicle(12)), ("dispute", vehicle(400))):
        annotate(sdk, judges[(name, "Judge1")]["_id"], [vehicle(12)])
        annotate(sdk, judges[(name, "Judge2")]["_id"], [second])
    annotate(sdk, work["draft"]["_id"], [vehicle(30, object_id="draft-object")], notes="half done", submit=False)
    issue = sdk.create_issue(work["review"]["_id"], "The box is loose", position=[5, 6])["data"]["issue"]
    sdk.add_comment_to_issue(issue["_id"], "agreed, tightening")
    done = sdk.create_issue(work["fresh"]["_id"], "Wrong asset?")["data"]["issue"]
    sdk.update_issue(done["_id"], status="Resolved")
    return project_id, me
