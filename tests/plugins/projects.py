"""Projects for plugin tests (built with the current SDK on the test's side), the scripts of each release, and
what a test reads back: the rows an export plugin zipped, tasks by externalId, waiting for the workflow."""
import io
import json
import os
import time
import zipfile
from pathlib import Path

from imerit_ango.models.annotate import AnnotationPayload, Answer

BOX = "box1"
ONTOLOGY = {"tools": [{"schemaId": BOX, "title": "Box", "tool": "bounding-box"}], "classifications": [],
            "relations": []}
SCRIPTS = Path(__file__).resolve().parent / "scripts"


def script(kind, release):
    """tests/plugins/scripts/<kind>_1x.py for imerit-ango releases, <kind>_0118.py for ango 0.1.18."""
    return SCRIPTS / f"{kind}_{'0118' if release.startswith('ango==') else '1x'}.py"


def stage(stage_id, kind, *next_ids, **fields):
    return {"id": stage_id, "type": kind, "name": stage_id, "next": list(next_ids), "position": {"x": 0, "y": 0},
            **fields}


def plugin_stage_workflow(plugin_id):
    """Start -> Model (a Plugin stage) -> Label -> Complete."""
    return [stage("Start", "Start", "Model", autoForward=True), stage("Model", "Plugin", "Label", pluginId=plugin_id),
            stage("Label", "Label", "Complete", assignedTo=[]), stage("Complete", "Complete")]


def held_in_start():
    """Start (holding its tasks) -> Label -> Complete: where pre-labels are imported."""
    return [stage("Start", "Start", "Label", autoForward=False), stage("Label", "Label", "Complete", assignedTo=[]),
            stage("Complete", "Complete")]


def make_project(sdk, names=(), stages=None):
    project_id = sdk.create_project("plugin test")["data"]["project"]["_id"]
    sdk.create_label_set(project_id, raw_category_schema=ONTOLOGY)
    if stages:
        sdk.update_workflow_stages(project_id, stages)
    if names:
        upload(sdk, project_id, *names)
    return project_id


def upload(sdk, project_id, *names):
    assets = [{"data": f"https://cdn.example.com/{name}.png", "externalId": name} for name in names]
    assert sdk.upload_files_cloud(project_id, assets)["status"] == "success"


def tasks_by_name(sdk, project_id):
    tasks = sdk.get_tasks(project_id, limit=1000, include_answer=True)["data"]["tasks"]
    return {task["externalId"]: task for task in tasks}


def submit_box(sdk, task_id, size=20):
    box = {"schemaId": BOX, "bounding-box": {"x": 5, "y": 5, "width": size, "height": size}}
    assert sdk.annotate_task(task_id, AnnotationPayload(Answer(objects=[box])), send_to_next_stage=True) is True


def exported_rows(zip_bytes):
    """What the export scripts zip: {"config": <their parsed Config JSON>, "rows": [...]}."""
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        return json.loads(archive.read("rows.json"))


def wait_until(check, timeout=60, every=0.2):
    """Poll `check()` until it returns something truthy (returned), or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {timeout} s: {check.__doc__ or check}")
        time.sleep(every)


def alive(pid):
    """Whether a process `pid` exists (signal 0 checks without sending anything)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def gone(pid, timeout=30):
    """Wait until process `pid` no longer exists: True, or an AssertionError after `timeout` seconds."""
    def exited():
        return not alive(pid)

    exited.__doc__ = f"process {pid} has not exited"
    return wait_until(exited, timeout=timeout, every=0.1)
