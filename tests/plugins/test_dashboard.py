"""The dashboard's Plugins page and a Plugin stage on the workflow graph, with a real plugin process behind."""
import io
import zipfile

import pytest
import requests

from tests.dashboard.helpers import elements, stage_counts, table_rows
from tests.plugins.projects import make_project, plugin_stage_workflow, script, submit_box, tasks_by_name
from tests.plugins.releases import CURRENT

pytestmark = pytest.mark.slow


def page(mockhub, path):
    response = requests.get(f"{mockhub.url}{path}", params={"apikey": mockhub.api_key}, timeout=60)
    assert response.status_code == 200, response.text[:500]
    return response


def test_plugins_page_shows_live_plugin_masked_secret_sessions_and_the_export(mockhub, ango_plugin):
    sdk = mockhub.sdk()
    project_id = make_project(sdk, ("a", "b"))
    for task in tasks_by_name(sdk, project_id).values():
        submit_box(sdk, task["_id"])
    plugin = ango_plugin(script("export", CURRENT), type="Export", name="zipper")
    session = plugin.run(project_id)
    assert session["status"] == "completed", session
    html = page(mockhub, "/plugins").text
    assert plugin.secret not in html and plugin.secret[-4:] in html
    [row] = table_rows(html, "plugins")
    assert row[0].endswith("zipper") and row[2] == plugin.id and "websocket" in row[4]
    assert elements(html, "span", class_="plugin-dot live")
    [sessions] = table_rows(html, "sessions")
    assert sessions[4] == "completed" and "lines" in sessions[6]
    [link] = [e for e in elements(html, "a") if e["text"] == "download export"]
    archive = requests.get(mockhub.url + link["attrs"]["href"], cookies={"mockhub_apikey": mockhub.api_key},
                           timeout=60).content
    assert archive == plugin.download(session)
    assert zipfile.ZipFile(io.BytesIO(archive)).namelist()


def test_workflow_graph_shows_the_plugin_stage_state_and_its_waiting_tasks(mockhub):
    sdk = mockhub.sdk()
    plugin = mockhub.client.create_plugin("stage model", "Model")  # registered, never started: tasks wait
    project_id = make_project(sdk, ("a", "b", "c"), plugin_stage_workflow(plugin["_id"]))
    html = page(mockhub, f"/projects/{project_id}").text
    assert stage_counts(html)["Model"] == 3
    [dot] = elements(html, "circle", data_plugin_state=None)
    assert dot["attrs"]["data-plugin-state"] == "offline"
