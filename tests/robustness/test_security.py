"""Tenancy over the whole route table: key A gets an error (never 2xx, never 5xx) for every route aimed at
organization B's ids, and B's data is unchanged afterwards; without a key every v2 route answers 401."""
import re

import pytest

from mockhub.app import create_app
from mockhub.store.core import TABLES

AGNOSTIC = {  # routes that name no other organization's resource: they may succeed, for A's own organization
    "v2.projects.list_projects", "v2.projects.create_project", "v2.extras.plugin_log", "v2.extras.plugin_response",
    "v2.file_urls.get_signed_url", "v2.integrations.get_storages", "v2.integrations.create_storage",
    "v2.integrations.get_llms", "v2.integrations.create_llm", "v2.legacy.get_integrations",
}


@pytest.fixture(scope="module")
def world():
    """Organization B with one of everything; A is a bare key. Returns (client, ids of B, B's key)."""
    app = create_app()
    client = app.test_client()
    b = {"apikey": "security-key-b"}

    def call(method, path, **kwargs):
        response = client.open(path, method=method, headers=b, **kwargs)
        assert response.status_code < 300, response.get_data(as_text=True)
        return response.get_json()["data"]

    pid = call("POST", "/v2/project", json={"name": "B's project"})["project"]["_id"]
    call("POST", f"/v2/batches/{pid}", json={"name": "b-batch"})
    call("POST", f"/v2/project/{pid}/cloud", json={"assets": [{"data": "https://b/1.png"}]})
    task = call("GET", f"/v2/project/{pid}/tasks")["tasks"][0]
    issue = call("POST", "/v2/issues", json={"content": "B's issue", "labelTask": task["_id"]})["issue"]
    storage = call("POST", "/v2/storages/", json={"name": "s", "provider": "AWS"})["storage"]
    llm = call("POST", "/v2/llms/", json={"name": "l", "provider": "openai", "model": "m",
                                         "configuration": {"apiKey": "k"}})["llm"]
    history = call("GET", f"/v2/task/{task['_id']}/history")["taskHistory"][0]
    org = call("GET", "/_mockhub/whoami")["user"]["organization"]
    ids = {"project_id": pid, "task_id": task["_id"], "asset_id": task["asset"]["_id"], "issue_id": issue["_id"],
           "storage_id": storage["_id"], "llm_id": llm["_id"], "history_id": history["_id"], "org_id": org,
           "metric": "LabelStageGroups"}
    return app, client, ids


def owned_by(app, org):
    snapshot = app.extensions["mockhub"].store.snapshot()["snapshot"]["tables"]
    return {name: [d for d in snapshot[name] if d.get("organization") == org or d.get("_id") == org]
            for name in TABLES}


def body_for(endpoint, ids):
    """A body aimed at B's resources (the ids come from B)."""
    return {
        "v2.batches.assign_batches": {"assets": [ids["asset_id"]], "batches": ["b-batch"]},
        "v2.assets.create_attachment": {"project": ids["project_id"], "attachments": [
            {"assetId": ids["asset_id"], "attachments": [{"type": "TEXT", "value": "x"}]}]},
        "v2.issues.create_issue": {"content": "A was here", "labelTask": ids["task_id"]},
        "v2.tasks.assign_task": {"project": ids["project_id"], "tasks": [ids["task_id"]], "user": "a@x.com",
                                 "stage": "Label"},
        "v2.legacy.assign_task_by_user": {"task": ids["task_id"], "username": "a@x.com"},
        "v2.workflow.import_labels": {"project": ids["project_id"], "jsonContent": [{"assetId": ids["asset_id"]}]},
        "v2.integrations.file_explorer": {"bucket": "mockhub", "storageId": ids["storage_id"]},
        "v2.legacy.create_webhook": {"url": "http://127.0.0.1:9/h", "types": ["COMPLETED"],
                                     "project": ids["project_id"]},
        "v2.organization.send_notification": {"receivers": ["user@b.test"], "message": "hi"},
    }.get(endpoint, {"name": "A was here", "assets": [ids["asset_id"]], "users": ["x@y.z"], "invites": ["x@y.z"],
                     "to": ["x@y.z"], "organizationRole": "member", "toStageId": "Label", "priority": 1,
                     "reviewStatus": "Accepted", "answer": {"objects": []}, "stageId": "Label", "content": "A",
                     "tasks": [ids["task_id"]], "confirmName": "B's project", "categorySchema": {},
                     "assignees": ["x@y.z"], "role": "Labeler", "template": "t", "selectedExternalId": "c",
                     "dataConfig": {"c": {"type": "text"}}})


def routes():
    app = create_app()
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.rule.startswith("/v2/"):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield pytest.param(method, rule.rule, rule.endpoint, id=f"{method} {rule.rule}")


def fill(rule, ids):
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: ids[m.group(1)], rule)
    query = f"project={ids['project_id']}&name=x.png&type=assets"
    return f"{path}?{query}"


@pytest.mark.parametrize("method, rule, endpoint", list(routes()))
def test_key_a_cannot_reach_organization_b(world, method, rule, endpoint):
    app, client, ids = world
    before = owned_by(app, ids["org_id"])
    response = client.open(fill(rule, ids), method=method, json=body_for(endpoint, ids),
                           headers={"apikey": "security-key-a"})
    assert response.status_code < 500, response.get_data(as_text=True)
    if endpoint not in AGNOSTIC:
        assert response.status_code in (400, 403, 404), (response.status_code, response.get_data(as_text=True))
    assert owned_by(app, ids["org_id"]) == before


@pytest.mark.parametrize("method, rule, endpoint", list(routes()))
def test_every_v2_route_needs_a_key(world, method, rule, endpoint):
    app, client, ids = world
    response = client.open(fill(rule, ids), method=method, json={})
    assert response.status_code == 401
    assert response.get_json() == {"status": "fail", "message": "Invalid API KEY"}
