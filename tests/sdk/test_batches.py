"""Batches through the official SDK (imerit-ango 1.4.10) and the older bodies via requests, against a live mockhub.

`POST /v2/batches/{pid}` takes `{name}` (append), `{batches: "<name>"}` (append), and `{batches|tags: [...]}`
(full replacement); `POST /v2/assignBatches` adds batches to assets and their tasks.
"""
import json
import re

import pytest
import requests
from imerit_ango.models.task_filter import TaskFilter
from imerit_ango.sdk import SDK

OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")


# --- helpers ---------------------------------------------------------------------------------------------

@pytest.fixture
def statuses(sdk):
    """HTTP status codes of every answer the SDK's session receives, in order."""
    seen = []
    sdk.session.hooks["response"].append(lambda response, *args, **kwargs: seen.append(response.status_code))
    return seen


@pytest.fixture
def raw(live_server, api_key):
    """POST a JSON body straight to the API with the test's key (for bodies the 1.4.10 SDK does not send)."""

    def post(path, body):
        return requests.post(f"{live_server.url}/v2{path}", headers={"apikey": api_key}, json=body)

    return post


def api_error(call, *args, **kwargs):
    """Run an SDK call that must fail; return the JSON error body (the SDK raises Exception(response.text))."""
    with pytest.raises(Exception) as excinfo:
        call(*args, **kwargs)
    return json.loads(str(excinfo.value))


def batch_ids(sdk, project_id):
    """{name: _id} of the project's batches, in stored order."""
    return {b["name"]: b["_id"] for b in sdk.get_batches(project_id)}


def upload_assets(sdk, project_id, *external_ids):
    """Upload one cloud asset per external id; return {externalId: asset _id}."""
    answer = sdk.upload_files_cloud(project_id, [{"data": f"https://example.com/{e}", "externalId": e}
                                                 for e in external_ids])
    assert answer["status"] == "success", answer
    assets = sdk.get_assets(project_id, limit=100)["data"]["assets"]
    return {a["externalId"]: a["_id"] for a in assets}


def asset_batches(sdk, project_id):
    """{externalId: batch ids} of every asset of the project."""
    return {a["externalId"]: a["batches"] for a in sdk.get_assets(project_id, limit=100)["data"]["assets"]}


def task_external_ids(sdk, project_id, batch_id):
    body = sdk.get_tasks(project_id, limit=100, task_filter=TaskFilter(batches=[batch_id]))["data"]
    assert body["total"] == len(body["tasks"])
    return sorted(t["externalId"] for t in body["tasks"])


def assert_project_answer(answer, expected_names):
    """A batch write answers with the whole project; `batches` and `tags` are the same list."""
    project = answer["data"]["project"]
    assert [b["name"] for b in project["batches"]] == expected_names
    assert project["tags"] == project["batches"]
    return project


@pytest.fixture
def two_batches(sdk, project_id):
    sdk.create_batch(project_id, "alpha")
    sdk.create_batch(project_id, "beta")
    return batch_ids(sdk, project_id)


@pytest.fixture
def assets(sdk, project_id):
    return upload_assets(sdk, project_id, "a1.png", "a2.png", "a3.png")


# --- create_batch (`{name}`) ------------------------------------------------------------------------------

def test_create_batch_adds_one_batch_read_back_by_get_batches(sdk, project_id):
    answer = sdk.create_batch(project_id, "alpha")

    batches = sdk.get_batches(project_id)
    assert [b["name"] for b in batches] == ["alpha"]
    assert set(batches[0]) == {"_id", "name"}
    assert OBJECT_ID.match(batches[0]["_id"])
    assert assert_project_answer(answer, ["alpha"])["batches"] == batches
    assert sdk.get_project(project_id)["data"]["project"]["tags"] == batches


def test_create_batch_appends_and_keeps_existing_ids(sdk, project_id):
    sdk.create_batch(project_id, "alpha")
    first = batch_ids(sdk, project_id)

    sdk.create_batch(project_id, "beta")

    after = batch_ids(sdk, project_id)
    assert list(after) == ["alpha", "beta"]
    assert after["alpha"] == first["alpha"]
    assert after["beta"] != after["alpha"]


def test_create_batch_with_a_duplicate_name_is_rejected(sdk, project_id, two_batches, statuses):
    error = api_error(sdk.create_batch, project_id, "alpha")

    assert statuses[-1] == 400
    assert error == {"status": "fail", "message": "name: a batch named alpha already exists"}
    assert batch_ids(sdk, project_id) == two_batches


def test_create_batch_with_an_empty_name_is_rejected(sdk, project_id, two_batches, statuses):
    error = api_error(sdk.create_batch, project_id, "")

    assert statuses[-1] == 400
    assert error["message"].startswith("Validation failed: name:")
    assert batch_ids(sdk, project_id) == two_batches


def test_create_batch_on_an_unknown_project_fails(sdk):
    error = api_error(sdk.create_batch, "0123456789abcdef01234567", "alpha")

    assert error == {"status": "fail", "message": "Invalid project: 0123456789abcdef01234567."}


# --- create_batches (bulk: full list) ---------------------------------------------------------------------

def test_create_batches_adds_only_new_names(sdk, project_id):
    sdk.create_batch(project_id, "alpha")
    alpha = batch_ids(sdk, project_id)["alpha"]

    answer = sdk.create_batches(project_id, ["alpha", "beta", "gamma"])

    assert_project_answer(answer, ["alpha", "beta", "gamma"])
    after = batch_ids(sdk, project_id)
    assert list(after) == ["alpha", "beta", "gamma"]
    assert after["alpha"] == alpha
    assert len(set(after.values())) == 3


def test_create_batches_with_nothing_new_returns_empty_list(sdk, project_id, two_batches):
    assert sdk.create_batches(project_id, ["beta", "alpha"]) == []

    assert batch_ids(sdk, project_id) == two_batches


# --- legacy bodies ----------------------------------------------------------------------------------------

def test_legacy_batches_string_body_appends_one_batch(sdk, project_id, two_batches, raw):
    response = raw(f"/batches/{project_id}", {"batches": "delta"})

    assert response.status_code == 200
    assert_project_answer(response.json(), ["alpha", "beta", "delta"])
    after = batch_ids(sdk, project_id)
    assert list(after) == ["alpha", "beta", "delta"]
    assert (after["alpha"], after["beta"]) == (two_batches["alpha"], two_batches["beta"])


def test_legacy_batches_string_body_with_a_duplicate_name_is_rejected(sdk, project_id, two_batches, raw):
    response = raw(f"/batches/{project_id}", {"batches": "beta"})

    assert response.status_code == 400
    assert response.json() == {"status": "fail", "message": "name: a batch named beta already exists"}
    assert batch_ids(sdk, project_id) == two_batches


@pytest.mark.parametrize("key", ["batches", "tags"])
def test_legacy_list_body_replaces_all_batches_and_strips_dropped_ones_from_assets(sdk, project_id, two_batches,
                                                                                   assets, raw, key):
    alpha, beta = two_batches["alpha"], two_batches["beta"]
    sdk.assign_batches(project_id, [assets["a1.png"], assets["a2.png"]], [alpha, beta])
    sdk.assign_batches(project_id, [assets["a3.png"]], [beta])

    response = raw(f"/batches/{project_id}", {key: [{"_id": alpha, "name": "alpha"}, {"name": "x"}]})

    assert response.status_code == 200
    assert_project_answer(response.json(), ["alpha", "x"])
    after = batch_ids(sdk, project_id)
    assert list(after) == ["alpha", "x"]
    assert after["alpha"] == alpha and after["x"] not in (alpha, beta)
    assert asset_batches(sdk, project_id) == {"a1.png": [alpha], "a2.png": [alpha], "a3.png": []}
    assert task_external_ids(sdk, project_id, beta) == []
    assert task_external_ids(sdk, project_id, alpha) == ["a1.png", "a2.png"]


def test_legacy_list_body_can_rename_a_batch_keeping_its_id_on_assets(sdk, project_id, two_batches, assets, raw):
    alpha, beta = two_batches["alpha"], two_batches["beta"]
    sdk.assign_batches(project_id, [assets["a1.png"]], ["alpha"])

    response = raw(f"/batches/{project_id}", {"batches": [{"_id": alpha, "name": "renamed"},
                                                          {"_id": beta, "name": "beta"}]})

    assert response.status_code == 200
    assert batch_ids(sdk, project_id) == {"renamed": alpha, "beta": beta}
    assert asset_batches(sdk, project_id)["a1.png"] == [alpha]


def test_legacy_empty_list_body_removes_every_batch(sdk, project_id, two_batches, assets, raw):
    sdk.assign_batches(project_id, list(assets.values()), ["alpha", "beta"])

    response = raw(f"/batches/{project_id}", {"tags": []})

    assert response.status_code == 200
    assert_project_answer(response.json(), [])
    assert sdk.get_batches(project_id) == []
    assert set(map(tuple, asset_batches(sdk, project_id).values())) == {()}


@pytest.mark.parametrize("body_of, message", [
    (lambda ids: {"batches": [{"_id": "ffffffffffffffffffffffff", "name": "ghost"}]},
     "batches[0]._id: batch ffffffffffffffffffffffff not found in project {pid}"),
    (lambda ids: {"batches": [{"_id": ids["alpha"], "name": "alpha"}, {"name": "alpha"}]},
     "batches[1].name: the name alpha is used twice"),
    (lambda ids: {"batches": [{"_id": ids["alpha"]}]},
     "Validation failed: batches[0].name: Missing data for required field."),
    (lambda ids: {"tags": [{"name": "alpha"}, {"name": "alpha"}]},
     "tags[1].name: the name alpha is used twice"),
    (lambda ids: {"name": "new", "batches": "other"},
     "Validation failed: body: give exactly one of name, batches (a name or a list) or tags"),
    (lambda ids: {"batches": 7},
     "Validation failed: batches: must be a batch name or a list of batches"),
], ids=["unknown-id", "duplicate-name", "missing-name", "tags-duplicate-name", "two-forms", "not-a-list"])
def test_invalid_batch_bodies_are_rejected_and_change_nothing(sdk, project_id, two_batches, assets, raw,
                                                              body_of, message):
    sdk.assign_batches(project_id, [assets["a1.png"]], ["beta"])

    response = raw(f"/batches/{project_id}", body_of(two_batches))

    assert response.status_code == 400
    assert response.json() == {"status": "fail", "message": message.format(pid=project_id)}
    assert batch_ids(sdk, project_id) == two_batches
    assert asset_batches(sdk, project_id)["a1.png"] == [two_batches["beta"]]


@pytest.mark.parametrize("key", ["name", "batches", "tags"])
def test_null_batch_body_is_rejected(sdk, project_id, two_batches, raw, key):
    response = raw(f"/batches/{project_id}", {key: None})

    assert response.status_code == 400
    assert response.json() == {"status": "fail", "message": f"Validation failed: {key}: Field may not be null."}
    assert batch_ids(sdk, project_id) == two_batches


def test_replacement_with_the_same_id_twice_is_rejected(sdk, project_id, two_batches, raw):
    alpha = two_batches["alpha"]

    response = raw(f"/batches/{project_id}", {"batches": [{"_id": alpha, "name": "alpha"},
                                                          {"_id": alpha, "name": "alpha-2"}]})

    assert response.status_code == 400
    assert batch_ids(sdk, project_id) == two_batches


# --- assign_batches ---------------------------------------------------------------------------------------

def test_assign_batches_by_name_and_by_id_marks_assets_and_tasks(sdk, project_id, two_batches, assets):
    alpha, beta = two_batches["alpha"], two_batches["beta"]

    first = sdk.assign_batches(project_id, [assets["a1.png"], assets["a2.png"]], ["alpha"])
    second = sdk.assign_batches(project_id, [assets["a2.png"]], [beta])

    assert first["data"] == {"assets": 2} and second["data"] == {"assets": 1}
    assert asset_batches(sdk, project_id) == {"a1.png": [alpha], "a2.png": [alpha, beta], "a3.png": []}
    assert task_external_ids(sdk, project_id, alpha) == ["a1.png", "a2.png"]
    assert task_external_ids(sdk, project_id, beta) == ["a2.png"]


def test_assign_batches_twice_does_not_duplicate(sdk, project_id, two_batches, assets):
    sdk.assign_batches(project_id, [assets["a1.png"]], ["alpha", two_batches["alpha"]])
    sdk.assign_batches(project_id, [assets["a1.png"]], ["alpha"])

    assert asset_batches(sdk, project_id)["a1.png"] == [two_batches["alpha"]]
    assert task_external_ids(sdk, project_id, two_batches["alpha"]) == ["a1.png"]


def _by_task_filter(sdk, live_server, api_key, project_id, batch_id):
    return sdk.get_tasks(project_id, limit=100, task_filter=TaskFilter(batches=[batch_id]))["data"]


def _by_raw_filter(sdk, live_server, api_key, project_id, batch_id):
    response = requests.get(f"{live_server.url}/v2/project/{project_id}/tasks", headers={"apikey": api_key},
                            params={"limit": 100, "filter": json.dumps({"batches": {"$in": [batch_id]}})})
    assert response.status_code == 200
    return response.json()["data"]


def _by_deprecated_param(sdk, live_server, api_key, project_id, batch_id):
    with pytest.warns(DeprecationWarning, match="'batches' parameter is deprecated"):
        return sdk.get_tasks(project_id, limit=100, batches=[batch_id])["data"]


@pytest.mark.parametrize("query", [_by_task_filter, _by_raw_filter, _by_deprecated_param],
                         ids=["TaskFilter", "raw-filter", "deprecated-batches"])
def test_get_tasks_filtered_by_batch_returns_exactly_the_assigned_tasks(sdk, project_id, two_batches, assets,
                                                                        live_server, api_key, query):
    sdk.assign_batches(project_id, [assets["a1.png"], assets["a3.png"]], ["beta"])

    body = query(sdk, live_server, api_key, project_id, two_batches["beta"])

    assert body["total"] == 2
    assert sorted(t["asset"]["_id"] for t in body["tasks"]) == sorted([assets["a1.png"], assets["a3.png"]])
    assert all(t["batches"] == [two_batches["beta"]] for t in body["tasks"])
    assert query(sdk, live_server, api_key, project_id, two_batches["alpha"]) == {"tasks": [], "total": 0}


def test_assign_batches_with_an_unknown_batch_changes_nothing(sdk, project_id, two_batches, assets, statuses):
    sdk.assign_batches(project_id, [assets["a2.png"]], ["beta"])
    before = asset_batches(sdk, project_id)

    error = api_error(sdk.assign_batches, project_id, [assets["a1.png"], assets["a2.png"]], ["alpha", "nope"])

    assert statuses[-1] == 400
    assert error == {"status": "fail", "message": f"batches: batch nope not found in project {project_id}"}
    assert asset_batches(sdk, project_id) == before
    assert task_external_ids(sdk, project_id, two_batches["alpha"]) == []


def test_assign_batches_with_an_unknown_asset_changes_nothing(sdk, project_id, two_batches, assets, statuses):
    missing = "ffffffffffffffffffffffff"

    error = api_error(sdk.assign_batches, project_id, [assets["a1.png"], missing], ["alpha"])

    assert statuses[-1] == 404
    assert error == {"status": "fail", "message": f"Assets not found in project {project_id}: {missing}"}
    assert asset_batches(sdk, project_id)["a1.png"] == []


@pytest.mark.parametrize("key", ["batches", "tags"], ids=["1.3.14-body", "0.1.18-body"])
def test_assign_batches_without_project_id_uses_the_assets_project(sdk, project_id, two_batches, assets, raw, key):
    response = raw("/assignBatches", {"assets": [assets["a3.png"]], key: ["alpha"]})

    assert response.status_code == 200
    assert response.json()["data"] == {"assets": 1}
    assert asset_batches(sdk, project_id) == {"a1.png": [], "a2.png": [], "a3.png": [two_batches["alpha"]]}
    assert task_external_ids(sdk, project_id, two_batches["alpha"]) == ["a3.png"]


def test_assign_batches_without_project_id_cannot_reach_another_organization(sdk, project_id, two_batches, assets,
                                                                             live_server, api_key):
    stranger = SDK(f"{api_key}-stranger", host=live_server.url)
    target = assets["a1.png"]

    response = requests.post(f"{live_server.url}/v2/assignBatches", headers={"apikey": stranger.api_key},
                             json={"assets": [target], "batches": ["alpha"]})

    assert response.status_code == 404
    assert response.json() == {"status": "fail", "message": f"Asset not found: {target}"}
    assert asset_batches(sdk, project_id)["a1.png"] == []


def test_upload_with_batches_then_get_tasks_by_batch(sdk, project_id, two_batches):
    answer = sdk.upload_files_cloud(project_id, [{"data": "https://example.com/u1.png", "externalId": "u1.png"},
                                                 {"data": "https://example.com/u2.png", "externalId": "u2.png",
                                                  "batches": ["beta"]}], batches=["alpha"])

    assert answer["status"] == "success"
    assert asset_batches(sdk, project_id) == {"u1.png": [two_batches["alpha"]], "u2.png": [two_batches["beta"]]}
    assert task_external_ids(sdk, project_id, two_batches["alpha"]) == ["u1.png"]
    assert task_external_ids(sdk, project_id, two_batches["beta"]) == ["u2.png"]
