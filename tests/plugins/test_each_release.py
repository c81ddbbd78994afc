"""Real plugin processes of imerit-ango 1.3.14 and ango 0.1.18, each in its own environment, served by mockhub
(issue #12): export, model on a task and behind a Plugin stage, batch pre-labels, and the ways a run fails;
and of 1.4.10 for the two that tests/plugins/test_plugin_processes.py leaves out (a Plugin stage, batch
pre-labels). The scripts (tests/plugins/scripts) are written as users write them and run unmodified."""
import json

import pytest

from tests.plugins.projects import (
    BOX,
    exported_rows,
    held_in_start,
    make_project,
    plugin_stage_workflow,
    script,
    submit_box,
    tasks_by_name,
    upload,
    wait_until,
)
from tests.plugins.releases import CURRENT, LEGACY, python_of

pytestmark = pytest.mark.slow  # real plugin processes, a few seconds each
older = pytest.mark.parametrize("release", LEGACY)
every = pytest.mark.parametrize("release", [CURRENT, *LEGACY])


@pytest.fixture
def start(ango_plugin, release):
    """Start one of this release's scripts: start("export"), start("model", type="Model", ...)."""
    def start_script(kind, type="Export", **options):
        return ango_plugin(script(kind, release), type, python_of(release), **options)

    return start_script


def expected_box(task_id):
    return {"schemaId": BOX, "objectId": f"box-{task_id}", "bounding-box": {"x": 1, "y": 2, "width": 10, "height": 10}}


@older
def test_export_zip_holds_one_row_per_exported_task(start, mockhub, release):
    sdk = mockhub.sdk()
    project_id = make_project(sdk, ["a", "b", "c", "d"])
    tasks = tasks_by_name(sdk, project_id)
    submit_box(sdk, tasks["a"]["_id"])
    submit_box(sdk, tasks["c"]["_id"])
    plugin = start("export")

    session = plugin.run(project_id, configJSON=json.dumps({"separator": ";"}), stage=["Label", "Complete"])

    assert session["status"] == "completed", session
    zipped = exported_rows(plugin.download(session))
    assert zipped["config"] == {"separator": ";"}  # configJSON reached the callback as a string
    export = {r["externalId"]: r for r in mockhub.client.export(project_id, stage=["Label", "Complete"])}
    assert sorted(row["externalId"] for row in zipped["rows"]) == sorted(export) == ["a", "b", "c", "d"]
    for row in zipped["rows"]:
        record = export[row["externalId"]]
        assert row["asset"] == record["asset"]
        assert row["boxes"] == len(record["task"]["tools"]) == (1 if row["externalId"] in "ac" else 0)
        if release != "ango==0.1.18":  # the legacy export of 0.1.18 has no stage per record
            assert row["stage"] == record["task"]["stage"]
    messages = [entry["msg"] for entry in session["logs"]]
    assert f"exporting 4 tasks of {project_id}" in messages and "wrote 4 rows" in messages


@older
def test_model_on_one_task_answers_without_changing_the_task(start, mockhub):
    sdk = mockhub.sdk()
    project_id = make_project(sdk, ["a", "b"])
    task = tasks_by_name(sdk, project_id)["a"]
    plugin = start("model", "Model")

    session = plugin.run(project_id, taskId=task["_id"])

    assert session["status"] == "completed", session
    assert session["response"]["objects"] == [expected_box(task["_id"])]
    assert f"predicting task {task['_id']}" in [entry["msg"] for entry in session["logs"]]
    after = tasks_by_name(sdk, project_id)["a"]
    assert after["stage"] == task["stage"] and not after["answer"].get("tools")


@every
def test_model_behind_a_plugin_stage_moves_every_task_on_with_its_answer(start, mockhub):
    sdk = mockhub.sdk()
    plugin = start("model", "Model")
    project_id = make_project(sdk, stages=plugin_stage_workflow(plugin.id))
    names = ["a", "b", "c", "d", "e"]
    upload(sdk, project_id, *names)

    def all_labeled():
        """every task left the Plugin stage for Label"""
        tasks = tasks_by_name(sdk, project_id)
        return tasks if all(task["stage"] == "Label" for task in tasks.values()) else None

    tasks = wait_until(all_labeled, timeout=90)
    assert sorted(tasks) == names
    for task in tasks.values():
        assert [(o["schemaId"], o["objectId"], o["bounding-box"]) for o in task["answer"]["tools"]] == [
            (BOX, f"box-{task['_id']}", expected_box(task["_id"])["bounding-box"])]


@every
def test_what_a_plugin_stage_stamps_is_in_the_organizations_frozen_time(start, mockhub):
    """The task leaves the Plugin stage by the plugin's answer (1.x annotates over REST; 0.1.18 answers in the
    ack, and mockhub applies it from the Socket.IO thread): the history record, the task and the session all
    carry the organization's frozen time, not the server's."""
    frozen = "2030-01-02T03:04:05.000Z"
    sdk = mockhub.sdk()
    plugin = start("model", "Model")
    project_id = make_project(sdk, stages=plugin_stage_workflow(plugin.id))
    mockhub.freeze_clock(frozen)
    upload(sdk, project_id, "a")

    task = wait_until(lambda: next((t for t in tasks_by_name(sdk, project_id).values() if t["stage"] == "Label"),
                                   None), timeout=90)
    history = sdk.get_task_history(task_id=task["_id"])["data"]["taskHistory"]
    (model,) = [h for h in history if h["stage"] == "Model"]
    assert (model["completedAt"], task["updatedAt"]) == (frozen, frozen)
    (session,) = plugin.sessions()
    assert {session[k] for k in ("createdAt", "startedAt", "endedAt")} == {frozen}, session


@every
def test_batch_model_imports_prelabels_into_start(start, mockhub):
    sdk = mockhub.sdk()
    project_id = make_project(sdk, ["a", "b", "c"], stages=held_in_start())
    plugin = start("batch", "BatchModel")

    session = plugin.run(project_id, configJSON="{}")

    assert session["status"] == "completed", session
    assert session["response"] == "3 assets pre-labeled"
    tasks = tasks_by_name(sdk, project_id)
    assert {task["stage"] for task in tasks.values()} == {"Start"}
    for name, task in tasks.items():
        assert [(o["schemaId"], o["bounding-box"]["width"]) for o in task["answer"]["tools"]] == [(BOX, 10)], name


@older
def test_a_wrong_secret_is_never_live_and_never_gets_a_job(start, mockhub):
    project_id = make_project(mockhub.sdk(), ["a"])
    plugin = start("export", script_secret="not-the-secret", live=False)

    def rejected():
        """the server recorded the plugin's heartbeat as rejected"""
        record = plugin.info()
        return record if record["rejected"] else None

    record = wait_until(rejected, timeout=60)
    assert record["live"] is False and record["rejected"][0]["reason"]

    session = plugin.run(project_id, wait=3)
    assert session["status"] == "queued", session
    assert plugin.process.returncode() is None  # kept connected (1.x would reconnect in a loop otherwise)
    assert [s["status"] for s in plugin.sessions()] == ["queued"]


@older
def test_a_callback_that_raises_fails_the_session(start, mockhub, release):
    sdk = mockhub.sdk()
    project_id = make_project(sdk, ["a"])
    task_id = tasks_by_name(sdk, project_id)["a"]["_id"]
    plugin = start("model", "Model")

    session = plugin.run(project_id, taskId=task_id, configJSON=json.dumps({"fail": "model exploded"}), timeout=4)

    # 1.3.14 answers {"error": true}; 0.1.18's handler dies without a word, so the session times out
    assert session["status"] == ("failed" if release.startswith("imerit") else "timeout"), session
    assert session["error"]
    assert plugin.process.returncode() is None  # the plugin keeps serving
    assert plugin.run(project_id, taskId=task_id)["status"] == "completed"


@older
def test_a_plugin_killed_mid_run_fails_its_session(start, mockhub):
    sdk = mockhub.sdk()
    project_id = make_project(sdk, ["a"])
    task_id = tasks_by_name(sdk, project_id)["a"]["_id"]
    plugin = start("model", "Model")

    queued = plugin.run(project_id, taskId=task_id, configJSON=json.dumps({"sleep": 120}), timeout=90, wait=0)
    wait_until(lambda: plugin.session(queued["_id"])["status"] == "running", timeout=30)
    plugin.stop()

    session = plugin.session(queued["_id"], wait=90)
    assert session["status"] == "failed", session
    assert session["error"]


@older
def test_a_run_queued_before_the_plugin_starts_is_sent_once_it_is_live(start, mockhub):
    sdk = mockhub.sdk()
    project_id = make_project(sdk, ["a", "b"])
    task_id = tasks_by_name(sdk, project_id)["b"]["_id"]
    plugin = start("model", "Model", start=False)

    queued = plugin.run(project_id, taskId=task_id, wait=0)
    assert queued["status"] == "queued"
    plugin.start()

    session = plugin.session(queued["_id"], wait=60)
    assert session["status"] == "completed", session
    assert session["response"]["objects"] == [expected_box(task_id)]
