"""The plugin control plane: registration, runs and sessions through HTTP, bad input refused with a 400 JSON
error that changes nothing, and no organization reaching another's plugins or sessions."""
import pytest


def created(api, **fields):
    response = api("POST", "/_mockhub/plugins", {"name": "exporter", "type": "Export", **fields})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["data"]["plugin"]


def queued_session(api, plugin):
    """A run of a plugin that is not live: its session stays queued."""
    response = api("POST", f"/_mockhub/plugins/{plugin['_id']}/runs", {"projectId": project_of(api)})
    return response.get_json()["data"]["session"]


def project_of(api):
    return api("POST", "/v2/project", {"name": "p"}).get_json()["data"]["project"]["_id"]


def test_create_plugin_keeps_a_given_id_and_secret(api):
    plugin = created(api, id="my-plugin", secret="s3cret")
    assert (plugin["_id"], plugin["secret"], plugin["type"], plugin["live"]) == ("my-plugin", "s3cret", "Export", False)
    listed = api("GET", "/_mockhub/plugins").get_json()["data"]
    assert [p["_id"] for p in listed["plugins"]] == ["my-plugin"] and listed["total"] == 1
    one = api("GET", "/_mockhub/plugins/my-plugin").get_json()["data"]["plugin"]
    assert one["connections"] == [] and one["rejected"] == [] and one["organization"] == plugin["organization"]


def test_create_plugin_makes_an_id_and_a_secret(api):
    plugin = created(api)
    assert len(plugin["_id"]) == 24 and len(plugin["secret"]) >= 16


@pytest.mark.parametrize("body, field", [
    ({"type": "Export"}, "name"),
    ({"name": "x", "type": "Exporter"}, "type"),
    ({"name": "x"}, "type"),
    ({"name": "x", "type": "Model", "id": "a/b"}, "id"),
    ({"name": "", "type": "Model"}, "name"),
    ({"name": "x", "type": "Model", "unknown": 1}, "unknown"),
])
def test_bad_plugin_is_refused_and_nothing_is_registered(api, body, field):
    response = api("POST", "/_mockhub/plugins", body)
    assert response.status_code == 400
    error = response.get_json()
    assert error["status"] == "fail" and field in error["message"]
    assert api("GET", "/_mockhub/plugins").get_json()["data"]["plugins"] == []


def test_the_same_id_with_another_secret_is_a_conflict_and_the_same_credentials_the_same_plugin(api):
    created(api, id="twice", secret="s")
    for body in ({"id": "twice"}, {"id": "twice", "secret": "other"}, {"id": "twice", "secret": "s", "type": "Model"}):
        response = api("POST", "/_mockhub/plugins", {"name": "again", "type": "Export", **body})
        assert response.status_code == 409 and "twice" in response.get_json()["message"]
    again = api("POST", "/_mockhub/plugins", {"name": "again", "type": "Export", "id": "twice", "secret": "s"})
    assert again.status_code == 200 and again.get_json()["data"]["plugin"]["name"] == "exporter"
    assert api("GET", "/_mockhub/plugins").get_json()["data"]["total"] == 1


@pytest.mark.parametrize("body, field", [
    ({}, "projectId"),
    ({"projectId": "P", "configJSON": "{not json"}, "configJSON"),
    ({"projectId": "P", "timeout": 0}, "timeout"),
    ({"projectId": "P", "wait": -1}, "wait"),
    ({"projectId": "P", "stage": "Complete"}, "stage"),
    ({"projectId": "P", "batches": [1]}, "batches"),
])
def test_bad_run_is_refused_and_starts_no_session(api, body, field):
    plugin = created(api)
    body = {key: project_of(api) if value == "P" else value for key, value in body.items()}
    response = api("POST", f"/_mockhub/plugins/{plugin['_id']}/runs", body)
    assert response.status_code == 400 and field in response.get_json()["message"]
    assert api("GET", "/_mockhub/plugin-sessions").get_json()["data"]["sessions"] == []


def test_run_on_an_unknown_project_or_plugin(api):
    plugin = created(api)
    response = api("POST", f"/_mockhub/plugins/{plugin['_id']}/runs", {"projectId": "0" * 24})
    assert response.status_code == 400 and response.get_json()["message"] == f"Invalid project: {'0' * 24}."
    response = api("POST", "/_mockhub/plugins/nope/runs", {"projectId": project_of(api)})
    assert response.status_code == 404 and "nope" in response.get_json()["message"]


def test_a_model_plugin_needs_a_task(api):
    plugin = created(api, type="Model")
    response = api("POST", f"/_mockhub/plugins/{plugin['_id']}/runs", {"projectId": project_of(api)})
    assert response.status_code == 400 and "taskId" in response.get_json()["message"]


def test_a_run_for_a_plugin_that_is_not_live_is_queued(api):
    plugin = created(api)
    project = project_of(api)
    response = api("POST", f"/_mockhub/plugins/{plugin['_id']}/runs", {"projectId": project, "configJSON": "{}"})
    assert response.status_code == 201
    session = response.get_json()["data"]["session"]
    assert (session["status"], session["plugin"], session["projectId"]) == ("queued", plugin["_id"], project)
    listed = api("GET", f"/_mockhub/plugin-sessions?plugin={plugin['_id']}&status=queued").get_json()["data"]
    assert [s["_id"] for s in listed["sessions"]] == [session["_id"]]
    assert api("GET", "/_mockhub/plugin-sessions?status=completed").get_json()["data"]["sessions"] == []
    assert api("GET", "/_mockhub/plugin-sessions?status=done").status_code == 400
    one = api("GET", f"/_mockhub/plugin-sessions/{session['_id']}").get_json()["data"]["session"]
    assert one["status"] == "queued" and one["download"] is None


def test_deleting_a_plugin_fails_its_queued_sessions(api):
    plugin = created(api)
    session = queued_session(api, plugin)
    assert api("DELETE", f"/_mockhub/plugins/{plugin['_id']}").status_code == 200
    assert api("GET", f"/_mockhub/plugins/{plugin['_id']}").status_code == 404
    ended = api("GET", f"/_mockhub/plugin-sessions/{session['_id']}").get_json()["data"]["session"]
    assert ended["status"] == "failed" and "deleted" in ended["error"]


def test_another_organization_cannot_see_run_or_delete_a_plugin(api):
    plugin = created(api, id="mine")
    session = api("POST", "/_mockhub/plugins/mine/runs", {"projectId": project_of(api)}).get_json()["data"]["session"]
    other = "another-organization-key"
    assert api("GET", "/_mockhub/plugins", key=other).get_json()["data"]["plugins"] == []
    assert api("GET", "/_mockhub/plugins/mine", key=other).status_code == 404
    assert api("POST", "/_mockhub/plugins/mine/runs", {"projectId": project_of(api)}, key=other).status_code == 404
    assert api("DELETE", "/_mockhub/plugins/mine", key=other).status_code == 404
    assert api("GET", f"/_mockhub/plugin-sessions/{session['_id']}", key=other).status_code == 404
    assert api("GET", "/_mockhub/plugin-sessions", key=other).get_json()["data"]["sessions"] == []
    assert api("GET", f"/_mockhub/plugin-sessions/{session['_id']}/download", key=other).status_code == 404
    assert api("GET", "/_mockhub/plugins/mine").get_json()["data"]["plugin"]["secret"] == plugin["secret"]
    # the other organization may register its own plugin with the same id (scripts hard-code ids)
    assert api("POST", "/_mockhub/plugins", {"name": "x", "type": "Model", "id": "mine"}, key=other).status_code == 201


def test_control_plane_needs_a_key(api):
    response = api("GET", "/_mockhub/plugins", key=None)
    assert response.status_code == 401 and response.get_json()["status"] == "fail"


def test_rerun_refuses_a_stage_that_is_not_a_plugin_stage(api):
    project = project_of(api)
    response = api("POST", f"/_mockhub/projects/{project}/stages/Label/rerun")
    assert response.status_code == 400 and "not a Plugin stage" in response.get_json()["message"]


def test_a_session_without_an_export_has_no_download(api):
    plugin = created(api)
    session = queued_session(api, plugin)
    response = api("GET", f"/_mockhub/plugin-sessions/{session['_id']}/download")
    assert response.status_code == 404 and "no export" in response.get_json()["message"]


def test_rest_plugin_log_and_response_land_in_the_session_of_the_callers_organization(api):
    plugin = created(api)
    session = queued_session(api, plugin)
    line = {"session": session["_id"], "level": "WARNING", "msg": "half done", "pluginId": plugin["_id"]}
    assert api("POST", "/v2/pluginLog", line).status_code == 200
    assert api("POST", "/v2/pluginLog", dict(line, msg="from elsewhere"), key="intruder-key").status_code == 200
    assert api("POST", "/v2/pluginResponse", {"session": session["_id"], "error": True}, key="intruder-key")
    path = f"/_mockhub/plugin-sessions/{session['_id']}"
    still = api("GET", path).get_json()["data"]["session"]
    assert still["status"] == "queued" and [(x["level"], x["msg"]) for x in still["logs"]] == [("WARNING", "half done")]
    assert api("POST", "/v2/pluginResponse", {"session": session["_id"], "error": True}).status_code == 200
    ended = api("GET", path).get_json()["data"]["session"]
    assert ended["status"] == "failed" and ended["error"] == "the plugin reported an error (its callback raised)"
