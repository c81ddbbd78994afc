"""Real plugin processes (imerit-ango 1.4.10, this Python) against the test server: what each plugin type
gets and what its session shows; killed by PID after each test (the `ango_plugin` fixture)."""
import io
import json
import os
import signal
import time
import zipfile
from pathlib import Path

import pytest
from imerit_ango.models.annotate import AnnotationPayload, Answer

from tests.plugins.projects import BOX, make_project, script
from tests.plugins.releases import CURRENT

SCRIPTS = Path(__file__).with_name("scripts")
MODEL = script("model", CURRENT)  # one box of the first tool; Config JSON {"fail": msg} raises, {"sleep": s} waits
pytestmark = pytest.mark.slow


def project_with_tasks(sdk, count):
    return make_project(sdk, [f"img-{i}" for i in range(count)])


def task_ids(sdk, project_id):
    return [t["_id"] for t in sdk.get_tasks(project_id, limit=1000)["data"]["tasks"]]


def test_export_plugin_zip_matches_the_project_export(mockhub, ango_plugin):
    sdk = mockhub.sdk()
    project_id = project_with_tasks(sdk, 5)
    for task_id in task_ids(sdk, project_id):
        sdk._annotate_task(task_id, AnnotationPayload(answer=Answer()), overwrite=True, send_to_next_stage=True)
    plugin = ango_plugin(SCRIPTS / "export_plugin.py", type="Export")
    session = plugin.run(project_id, configJSON=json.dumps({"include_key_frames_only": False}))
    assert session["status"] == "completed", session
    with zipfile.ZipFile(io.BytesIO(plugin.download(session))) as archive:
        rows = json.loads(archive.read("export.json"))
    expected = sdk.exportV3(project_id)
    assert len(rows) == 5 and rows == json.loads(json.dumps(expected))
    assert any("exporting 5 tasks" in line["msg"] for line in session["logs"])
    assert mockhub.client.download_plugin_export(session) == plugin.download(session)


def test_model_plugin_on_one_task_answers_in_the_session_and_leaves_the_task(mockhub, ango_plugin):
    sdk = mockhub.sdk()
    project_id = project_with_tasks(sdk, 1)
    task_id = task_ids(sdk, project_id)[0]
    before = sdk.get_task(task_id)["data"]["task"]
    plugin = ango_plugin(MODEL, type="Model")
    session = plugin.run(project_id, taskId=task_id)
    assert session["status"] == "completed", session
    assert [o["schemaId"] for o in session["response"]["objects"]] == [BOX]
    assert session["response"]["objects"][0]["objectId"] == f"box-{task_id}"
    assert any(line["msg"] == f"predicting task {task_id}" and line["level"] == "INFO" for line in session["logs"])
    after = sdk.get_task(task_id)["data"]["task"]
    assert (after["stage"], after["answer"]) == (before["stage"], before["answer"])


def test_a_callback_that_raises_fails_the_session_with_its_error(mockhub, ango_plugin):
    sdk = mockhub.sdk()
    project_id = project_with_tasks(sdk, 1)
    plugin = ango_plugin(MODEL, type="Model")
    session = plugin.run(project_id, taskId=task_ids(sdk, project_id)[0], configJSON='{"fail": "the model is not loaded"}')
    assert session["status"] == "failed" and "the model is not loaded" in session["error"], session


def test_wrong_secret_is_never_live_and_never_gets_a_job(mockhub, ango_plugin):
    sdk = mockhub.sdk()
    project_id = project_with_tasks(sdk, 1)
    plugin = ango_plugin(SCRIPTS / "export_plugin.py", type="Export", script_secret="not-the-secret", live=False)
    info = plugin.info()
    for _ in range(100):
        if info["rejected"]:
            break
        info = plugin.info(wait_live=0.2)
    assert info["rejected"] and info["rejected"][0]["reason"] == "wrong secret" and not info["live"]
    session = plugin.run(project_id, wait=2)
    assert session["status"] == "queued" and plugin.process.returncode() is None  # kept connected, not sent
    assert not plugin.info()["live"]


def test_a_run_queued_before_the_plugin_starts_is_sent_when_it_goes_live(mockhub, ango_plugin):
    sdk = mockhub.sdk()
    project_id = project_with_tasks(sdk, 1)
    task_id = task_ids(sdk, project_id)[0]
    registered = mockhub.client.create_plugin("late", "Model")
    queued = mockhub.client.run_plugin(registered["_id"], project_id, taskId=task_id)
    assert queued["status"] == "queued"
    ango_plugin(MODEL, type="Model", id=registered["_id"], secret=registered["secret"])
    ended = mockhub.client.get_plugin_session(queued["_id"], wait=60)
    assert ended["status"] == "completed" and ended["response"]["objects"][0]["objectId"] == f"box-{task_id}", ended


def test_a_plugin_killed_mid_run_fails_its_session(mockhub, ango_plugin):
    sdk = mockhub.sdk()
    project_id = project_with_tasks(sdk, 1)
    plugin = ango_plugin(MODEL, type="Model")
    session = plugin.run(project_id, taskId=task_ids(sdk, project_id)[0], configJSON='{"sleep": 60}', wait=0,
                         timeout=120)
    for _ in range(300):  # sent to the plugin (whose callback sleeps first)
        if session["status"] == "running":
            break
        time.sleep(0.1)
        session = plugin.session(session["_id"])
    os.kill(plugin.pid, signal.SIGKILL)
    ended = plugin.session(session["_id"], wait=110)
    assert ended["status"] == "failed" and "disconnected" in ended["error"], ended


def test_no_answer_within_the_timeout_says_what_it_waited_for(mockhub, ango_plugin):
    sdk = mockhub.sdk()
    project_id = project_with_tasks(sdk, 1)
    plugin = ango_plugin(MODEL, type="Model")
    session = plugin.run(project_id, taskId=task_ids(sdk, project_id)[0], configJSON='{"sleep": 30}', timeout=1)
    assert session["status"] == "timeout" and "within 1 s" in session["error"]
    assert f"response to session {session['_id']}" in session["error"]


def test_stopping_the_server_disconnects_every_plugin_and_leaves_no_thread():
    import threading

    from mockhub.app import create_app
    from mockhub.plugin_tools.process import start_plugin
    from mockhub.server import LiveServer

    before = set(threading.enumerate())
    server = LiveServer(create_app()).start()
    plugin = start_plugin(server.url, "stop-test-key", SCRIPTS / "export_plugin.py", "Export")
    try:
        assert plugin.info()["live"]
        server.stop()
        deadline = time.monotonic() + 60
        while plugin.process.returncode() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert plugin.process.returncode() == 1  # 1.x: its reconnect fails, it exits (os._exit(1))
        left = [t for t in set(threading.enumerate()) - before if t.is_alive()]
        assert left == [] or all(t.name.startswith("plugin-output") for t in left), left
    finally:
        plugin.stop()


BASE_PLUGIN = '''
import sys
from imerit_ango.plugins import FileExplorerPlugin, InputPlugin, MarkdownPlugin, run

KINDS = {"Input": InputPlugin, "Markdown": MarkdownPlugin, "FileExplorer": FileExplorerPlugin}


def answer(data):
    data["logger"].info("config %s", data["configJSON"])
    return {"markdown": "# " + data["projectId"], "kind": sys.argv[1]}


run(KINDS[sys.argv[1]](id="<ID>", secret="<SECRET>", callback=answer), host="https://imeritapi.ango.ai")
'''


@pytest.mark.parametrize("kind", ["Input", "Markdown", "FileExplorer"])
def test_base_plugins_answer_in_the_session(mockhub, ango_plugin, tmp_path, kind):
    script_file = tmp_path / "base_plugin.py"
    script_file.write_text(BASE_PLUGIN)
    project_id = project_with_tasks(mockhub.sdk(), 1)
    plugin = ango_plugin(script_file, type=kind, args=[kind])
    session = plugin.run(project_id, configJSON='{"lang": "en"}')
    assert session["status"] == "completed", session
    assert session["response"] == {"markdown": f"# {project_id}", "kind": kind}
    assert [line["msg"] for line in session["logs"] if line["level"] == "INFO"] == ['config {"lang": "en"}']
