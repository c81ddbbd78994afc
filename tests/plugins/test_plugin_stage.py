"""A Plugin workflow stage served by a real Model plugin (imerit-ango 1.4.10): tasks wait in it, are sent in
workflow mode and leave by next[0] with the plugin's annotation; requeue sends nothing, Re-Run sends all."""
import pytest

from tests.plugins.projects import (BOX, held_in_start, make_project, plugin_stage_workflow, script, stage,
                                    tasks_by_name, upload, wait_until)
from tests.plugins.releases import CURRENT

pytestmark = pytest.mark.slow
NAMES = [f"img-{i}" for i in range(6)]


def in_stage(sdk, project_id, stage_id, count):
    def check():
        tasks = tasks_by_name(sdk, project_id)
        return tasks if sum(t["stage"] == stage_id for t in tasks.values()) == count else None
    return check


def test_model_plugin_moves_every_task_through_its_plugin_stage(mockhub, ango_plugin):
    sdk = mockhub.sdk()
    plugin = ango_plugin(script("model", CURRENT), type="Model")
    project_id = make_project(sdk, NAMES, plugin_stage_workflow(plugin.id))
    tasks = wait_until(in_stage(sdk, project_id, "Label", len(NAMES)), timeout=120)
    for name, task in tasks.items():
        objects = task["answer"]["tools"]
        assert [o["schemaId"] for o in objects] == [BOX] and objects[0]["objectId"] == f"box-{task['_id']}", name
    history = sdk.get_task_history(task_id=tasks["img-0"]["_id"])["data"]["taskHistory"]
    assert [h["stage"] for h in history][:2] == ["Start", "Model"]
    sessions = plugin.sessions()
    assert len(sessions) == len(NAMES) and {s["status"] for s in sessions} == {"completed"}
    assert {s["taskId"] for s in sessions} == {t["_id"] for t in tasks.values()}
    assert all(s["mode"] == "workflow" for s in sessions)


def test_requeue_into_the_plugin_stage_sends_nothing_and_rerun_sends_every_waiting_task(mockhub, ango_plugin):
    sdk = mockhub.sdk()
    plugin = ango_plugin(script("model", CURRENT), type="Model")
    project_id = make_project(sdk, ("one",), plugin_stage_workflow(plugin.id))
    wait_until(in_stage(sdk, project_id, "Label", 1), timeout=60)
    sdk.requeue_tasks(project_id, "Model", filters={})
    assert tasks_by_name(sdk, project_id)["one"]["stage"] == "Model"
    assert len(plugin.sessions()) == 1
    assert mockhub.client.rerun_plugin_stage(project_id, "Model") == {"stageId": "Model", "sent": 1}
    wait_until(in_stage(sdk, project_id, "Label", 1), timeout=60)
    assert [s["status"] for s in plugin.sessions()] == ["completed", "completed"]


def test_a_failing_plugin_leaves_its_tasks_in_the_plugin_stage(mockhub, ango_plugin):
    sdk = mockhub.sdk()
    plugin = ango_plugin(script("model", CURRENT), type="Model")
    stages = plugin_stage_workflow(plugin.id)
    stages[1]["configJSON"] = '{"fail": "no weights"}'  # the script's callback raises (1.4.10 logs only that it did)
    project_id = make_project(sdk, ("a", "b"), stages)
    sessions = wait_until(lambda: [s for s in plugin.sessions(status="failed")] if len(
        plugin.sessions(status="failed")) == 2 else None, timeout=60)
    assert all("Workflow plugin failed" in s["error"] for s in sessions), [s["error"] for s in sessions]
    assert {t["stage"] for t in tasks_by_name(sdk, project_id).values()} == {"Model"}


def test_a_plugin_stage_whose_plugin_is_not_registered_passes_tasks_through(mockhub):
    sdk = mockhub.sdk()
    project_id = make_project(sdk, ("a", "b"), plugin_stage_workflow("not-registered"))
    assert {t["stage"] for t in tasks_by_name(sdk, project_id).values()} == {"Label"}


def test_batch_model_plugin_imports_pre_labels_into_start(mockhub, ango_plugin):
    sdk = mockhub.sdk()
    project_id = make_project(sdk, NAMES[:3], held_in_start())
    plugin = ango_plugin(script("batch", CURRENT), type="BatchModel")
    session = plugin.run(project_id)
    assert session["status"] == "completed" and session["response"] == "3 assets pre-labeled", session
    tasks = tasks_by_name(sdk, project_id)
    assert {t["stage"] for t in tasks.values()} == {"Start"}
    assert all([o["schemaId"] for o in t["answer"]["tools"]] == [BOX] for t in tasks.values())
    assert any(line["msg"] == "imported 3 pre-labels" for line in session["logs"])


def test_a_consensus_child_of_type_plugin_is_voted_by_the_plugin(mockhub, ango_plugin):
    from imerit_ango.models.enums import TaskType
    from imerit_ango.models.task_filter import TaskFilter

    from tests.plugins.projects import submit_box

    sdk = mockhub.sdk()
    plugin = ango_plugin(script("model", CURRENT), type="Model")
    stages = [stage("Start", "Start", "Consensus"), stage("Consensus", "Consensus", "Complete", "Disputed"),
              stage("Judge1", "Label", "Consensus", consensusId="Consensus", assignedTo=[]),
              stage("Judge2", "Plugin", "Consensus", consensusId="Consensus", pluginId=plugin.id),
              stage("Disputed", "Hold", "Complete"), stage("Complete", "Complete")]
    project_id = make_project(sdk, ("one",), stages)

    def children():
        found = sdk.get_tasks(project_id, limit=100, include_answer=True,
                              task_filter=TaskFilter(task_type=TaskType.CONSENSUS))["data"]["tasks"]
        return {task["stage"]: task for task in found}

    voted = wait_until(lambda: children() if children().get("Judge2", {}).get("status") == "Completed" else None)
    assert [o["schemaId"] for o in voted["Judge2"]["answer"]["tools"]] == [BOX]
    [session] = plugin.sessions()
    assert session["status"] == "completed" and session["taskId"] == voted["Judge2"]["_id"]
    assert tasks_by_name(sdk, project_id)["one"]["stage"] == "Consensus"  # still waiting for the person
    submit_box(sdk, voted["Judge1"]["_id"], size=10)  # not the plugin's box: x=5 vs x=1, but overlapping
    assert tasks_by_name(sdk, project_id)["one"]["stage"] in ("Complete", "Disputed")
