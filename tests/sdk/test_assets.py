"""Assets through the official SDK against a live mockhub: cloud upload, listing filters, delete, attachments."""
import json
import re
import uuid

import pytest
import requests
from imerit_ango.models.task_filter import TaskFilter
from imerit_ango.sdk import SDK
from tests.sdk.helpers import shifted_clock


# --- helpers ----------------------------------------------------------------------------------------------

def upload(sdk, project_id, assets, **kwargs):
    """Cloud-upload `assets` and return the `data.assets` counts (the SDK returns errors instead of raising)."""
    result = sdk.upload_files_cloud(project_id, assets, **kwargs)
    assert result["status"] == "success", result
    return result["data"]["assets"]


def list_assets(sdk, project_id, filters=None, limit=100):
    """Walk every page of get_assets; return (assets, total as the server reported it)."""
    collected, page = [], 1
    while True:
        data = sdk.get_assets(project_id, page=page, limit=limit, filters=filters or {})["data"]
        collected += data["assets"]
        if not data["assets"] or len(collected) >= data["total"]:
            return collected, data["total"]
        page += 1


def by_external_id(docs):
    return {doc["externalId"]: doc for doc in docs}


def make_batches(sdk, project_id, *names):
    """Create batches and return {name: id}."""
    sdk.create_batches(project_id, list(names))
    return {batch["name"]: batch["_id"] for batch in sdk.get_batches(project_id)}


def error_body(exc_info):
    """The SDK raises Exception(response.text): parse the API's error envelope back out of it."""
    return json.loads(str(exc_info.value))


def asset_url(name):
    return f"https://cdn.example.com/images/{name}"


ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
ASSET_KEYS = {"_id", "project", "organization", "externalId", "data", "metadata", "contextData", "batches",
              "attachments", "isPreLabeled", "priority", "createdAt", "createdBy", "deleted"}


# --- upload_files_cloud -----------------------------------------------------------------------------------

def test_cloud_upload_reports_counts_and_stores_every_field(sdk, project_id):
    counts = upload(sdk, project_id, [
        {"data": asset_url("one.png"), "externalId": "ext-1", "metadata": {"width": 640, "height": 480},
         "contextData": {"source": "camera-7", "tags": ["a", "b"]},
         "attachments": [{"type": "IMAGE", "value": "https://cdn.example.com/att/one-side.png"},
                         {"type": "TEXT", "value": "shot at night"}]},
        {"data": asset_url("two.png"), "externalId": "ext-2"},
    ])

    assert counts == {"assetsCreated": 2, "tasksCreated": 2, "preLabelsCount": 0, "validPreLabelsCount": 0}
    assets, total = list_assets(sdk, project_id)
    assert total == 2
    stored = by_external_id(assets)
    assert set(stored) == {"ext-1", "ext-2"}
    one, two = stored["ext-1"], stored["ext-2"]
    assert one["data"] == asset_url("one.png")
    assert one["metadata"] == {"width": 640, "height": 480}
    assert one["contextData"] == {"source": "camera-7", "tags": ["a", "b"]}
    assert one["attachments"] == [{"type": "IMAGE", "value": "https://cdn.example.com/att/one-side.png"},
                                  {"type": "TEXT", "value": "shot at night"}]
    assert one["batches"] == []
    assert one["project"] == project_id
    assert ASSET_KEYS <= set(one), ASSET_KEYS - set(one)
    assert ISO_MS.match(one["createdAt"]), one["createdAt"]
    assert one["deleted"] is False
    assert one["isPreLabeled"] is False
    assert two["data"] == asset_url("two.png")
    assert (two["metadata"], two["contextData"], two["attachments"]) == ({}, {}, [])
    assert one["_id"] != two["_id"]


def test_cloud_upload_counts_pre_labelled_assets(sdk, project_id):
    counts = upload(sdk, project_id, [
        {"data": asset_url("pre.png"), "classifications": [{"schemaId": "c1", "answer": "yes"}]},
        {"data": asset_url("plain.png")},
    ])

    assert (counts["assetsCreated"], counts["preLabelsCount"]) == (2, 1)
    stored = by_external_id(list_assets(sdk, project_id)[0])
    assert stored["pre.png"]["isPreLabeled"] is True
    assert stored["plain.png"]["isPreLabeled"] is False


@pytest.mark.parametrize("data, expected", [
    ("https://cdn.example.com/a/b/cat.jpg", "cat.jpg"),
    ("https://cdn.example.com/a/b/dog.jpeg?X-Amz-Signature=abc&x=1", "dog.jpeg"),
    ("gs://bucket/deep/folder/scan.dcm", "scan.dcm"),
])
def test_default_external_id_is_the_url_file_name(sdk, project_id, data, expected):
    upload(sdk, project_id, [{"data": data}])

    (asset,), total = list_assets(sdk, project_id)
    assert total == 1
    assert (asset["externalId"], asset["data"]) == (expected, data)


def test_batches_argument_applies_to_all_and_asset_batches_override(sdk, project_id):
    ids = make_batches(sdk, project_id, "train", "val", "test")

    upload(sdk, project_id, [
        {"data": asset_url("a.png"), "externalId": "uses-call-batches"},
        {"data": asset_url("b.png"), "externalId": "own-batches", "batches": ["test"]},
        {"data": asset_url("c.png"), "externalId": "own-batch-by-id", "batches": [ids["val"]]},
    ], batches=["train", "val"])

    stored = by_external_id(list_assets(sdk, project_id)[0])
    assert stored["uses-call-batches"]["batches"] == [ids["train"], ids["val"]]
    assert stored["own-batches"]["batches"] == [ids["test"]]
    assert stored["own-batch-by-id"]["batches"] == [ids["val"]]


def test_priority_argument_applies_unless_the_asset_has_its_own(sdk, project_id):
    upload(sdk, project_id, [
        {"data": asset_url("a.png"), "externalId": "call-priority"},
        {"data": asset_url("b.png"), "externalId": "own-priority", "priority": -4},
    ], priority=7)

    stored = by_external_id(list_assets(sdk, project_id)[0])
    assert stored["call-priority"]["priority"] == 7
    assert stored["own-priority"]["priority"] == -4
    tasks = by_external_id(sdk.get_tasks(project_id)["data"]["tasks"])
    assert (tasks["call-priority"]["priority"], tasks["own-priority"]["priority"]) == (7, -4)


@pytest.mark.parametrize("where", ["call", "asset"])
def test_unknown_batch_name_raises_client_side_and_creates_nothing(sdk, project_id, where):
    make_batches(sdk, project_id, "train")
    asset = {"data": asset_url("a.png")}
    kwargs = {}
    if where == "call":
        kwargs["batches"] = ["train", "nope"]
    else:
        asset["batches"] = ["nope"]

    with pytest.raises(Exception, match="^Batch nope not found$"):
        sdk.upload_files_cloud(project_id, [asset], **kwargs)

    assert list_assets(sdk, project_id) == ([], 0)


def test_asset_without_data_fails_naming_the_field_and_creates_nothing(sdk, project_id):
    upload(sdk, project_id, [{"data": asset_url("first.png")}])

    result = sdk.upload_files_cloud(project_id, [{"data": asset_url("ok.png")}, {"externalId": "no-data"}])

    assert result["status"] == "fail"
    assert "assets[1].data" in result["message"]
    assert "data" not in result
    assets, total = list_assets(sdk, project_id)
    assert total == 1
    assert [a["externalId"] for a in assets] == ["first.png"]
    assert sdk.get_tasks(project_id)["data"]["total"] == 1


def test_cloud_upload_answers_201(live_server, api_key, project_id, sdk):
    response = requests.post(f"{live_server.url}/v2/project/{project_id}/cloud", headers={"apikey": api_key},
                             json={"assets": [{"data": asset_url("raw.png")}], "uploadLocal": None, "priority": 0})

    assert response.status_code == 201
    assert response.json()["data"]["assets"]["assetsCreated"] == 1
    assert [a["externalId"] for a in list_assets(sdk, project_id)[0]] == ["raw.png"]


@pytest.mark.parametrize("query, assets, words", [
    ("?batches=" + json.dumps(["f" * 24]), [{"data": asset_url("a.png")}], ["batches", "f" * 24]),
    ("", [{"data": asset_url("a.png")}, {"data": asset_url("b.png"), "batches": ["nope"]}],
     ["assets[1].batches", "nope"]),
    ("", [{"data": asset_url("a.png")}, {"data": asset_url("b.png"), "priority": 5000}], ["assets[1].priority"]),
    ("", [], ["assets"]),
], ids=["unknown-call-batch", "unknown-asset-batch", "priority-out-of-range", "no-assets"])
def test_cloud_upload_checks_everything_before_writing(sdk, project_id, live_server, api_key, query, assets, words):
    """What the SDK would refuse client-side, the server refuses too, and then nothing is written."""
    make_batches(sdk, project_id, "real")
    response = requests.post(f"{live_server.url}/v2/project/{project_id}/cloud{query}", headers={"apikey": api_key},
                             json={"assets": assets, "uploadLocal": None, "priority": 0})

    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "fail"
    for word in words:
        assert word in body["message"]
    assert list_assets(sdk, project_id) == ([], 0)
    assert sdk.get_tasks(project_id)["data"]["total"] == 0


# --- tasks created with the assets ------------------------------------------------------------------------

def test_each_asset_gets_one_task_forwarded_from_start_to_label(sdk, project_id):
    upload(sdk, project_id, [{"data": asset_url(f"{n}.png"), "externalId": f"e{n}"} for n in range(3)])

    assets = by_external_id(list_assets(sdk, project_id)[0])
    data = sdk.get_tasks(project_id, limit=50)["data"]
    assert data["total"] == 3
    tasks = by_external_id(data["tasks"])
    assert set(tasks) == {"e0", "e1", "e2"}
    for external_id, task in tasks.items():
        asset = assets[external_id]
        assert task["asset"] == {"_id": asset["_id"], "externalId": external_id, "data": asset["data"]}
        assert task["project"] == project_id
        assert (task["stage"], task["status"], task["assignee"]) == ("Label", "TODO", None)
        history = sdk.get_task_history(task_id=task["_id"])["data"]["taskHistory"]
        assert [record["stage"] for record in history] == ["Start"]
    assert len({task["_id"] for task in tasks.values()}) == 3


# --- get_assets filters and pagination --------------------------------------------------------------------

@pytest.fixture
def filter_world(sdk, project_id):
    """Four assets: plain, in b1, in b1+b2, pre-labelled in b2. Returns (asset by externalId, batch ids)."""
    ids = make_batches(sdk, project_id, "b1", "b2")
    upload(sdk, project_id, [
        {"data": asset_url("plain.png"), "externalId": "plain"},
        {"data": asset_url("one.png"), "externalId": "only-b1", "batches": ["b1"]},
        {"data": asset_url("both.png"), "externalId": "both", "batches": ["b1", "b2"]},
        {"data": asset_url("pre.png"), "externalId": "pre", "batches": ["b2"],
         "classifications": [{"schemaId": "c1", "answer": "yes"}]},
    ])
    return by_external_id(list_assets(sdk, project_id)[0]), ids


@pytest.mark.parametrize("make_filters, expected", [
    (lambda assets, ids: {"_id": assets["both"]["_id"]}, {"both"}),
    (lambda assets, ids: {"externalId": "only-b1"}, {"only-b1"}),
    (lambda assets, ids: {"externalId": "missing"}, set()),
    (lambda assets, ids: {"isPreLabeled": True}, {"pre"}),
    (lambda assets, ids: {"isPreLabeled": False}, {"plain", "only-b1", "both"}),
    (lambda assets, ids: {"batches": [ids["b1"]]}, {"only-b1", "both"}),
    (lambda assets, ids: {"batches": [ids["b2"]]}, {"both", "pre"}),
    (lambda assets, ids: {"batches": [ids["b1"], ids["b2"]]}, {"both"}),  # AND, not any
    (lambda assets, ids: {"batches": [ids["b2"]], "isPreLabeled": False}, {"both"}),
], ids=["_id", "externalId", "externalId-none", "preLabeled", "not-preLabeled", "batch-b1", "batch-b2",
        "batches-all", "batches-and-preLabeled"])
def test_get_assets_filters(sdk, project_id, filter_world, make_filters, expected):
    assets, ids = filter_world

    found, total = list_assets(sdk, project_id, make_filters(assets, ids))

    assert {a["externalId"] for a in found} == expected
    assert total == len(expected)


@pytest.mark.parametrize("dollar", ["$", ""], ids=["mongo-form", "doc-form"])
def test_get_assets_created_at_filters(sdk, project_id, live_server, dollar):
    upload(sdk, project_id, [{"data": asset_url(f"old{n}.png"), "externalId": f"old{n}"} for n in range(2)])
    with shifted_clock(live_server, 5):
        upload(sdk, project_id, [{"data": asset_url(f"new{n}.png"), "externalId": f"new{n}"} for n in range(3)])
    stored = by_external_id(list_assets(sdk, project_id)[0])
    last_old = max(stored[f"old{n}"]["createdAt"] for n in range(2))
    first_new = min(stored[f"new{n}"]["createdAt"] for n in range(3))
    gt, lt = f"{dollar}gt", f"{dollar}lt"

    def names(condition):
        found, total = list_assets(sdk, project_id, {"createdAt": condition})
        assert total == len(found)
        return {a["externalId"] for a in found}

    assert names({gt: last_old}) == {"new0", "new1", "new2"}
    assert names({lt: first_new}) == {"old0", "old1"}
    assert names({gt: "2000-01-01T00:00:00.000Z", lt: first_new}) == {"old0", "old1"}
    assert names({gt: last_old, lt: first_new}) == set()


def test_get_assets_pages_carry_the_true_total_newest_first(sdk, project_id):
    names = [f"p{n:02d}" for n in range(12)]
    upload(sdk, project_id, [{"data": asset_url(f"{name}.png"), "externalId": name} for name in names])

    pages = [sdk.get_assets(project_id, page=page, limit=5)["data"] for page in (1, 2, 3, 4)]

    assert [p["total"] for p in pages] == [12, 12, 12, 12]
    assert [len(p["assets"]) for p in pages] == [5, 5, 2, 0]
    walked = [a["externalId"] for p in pages for a in p["assets"]]
    assert walked == names[::-1]


def test_get_assets_filtered_pages_carry_the_filtered_total(sdk, project_id):
    ids = make_batches(sdk, project_id, "odd")
    upload(sdk, project_id, [{"data": asset_url(f"f{n}.png"), "externalId": f"f{n}",
                              "batches": ["odd"] if n % 2 else []} for n in range(9)])

    pages = [sdk.get_assets(project_id, page=page, limit=3, filters={"batches": [ids["odd"]]})["data"]
             for page in (1, 2)]

    assert [p["total"] for p in pages] == [4, 4]
    assert [a["externalId"] for p in pages for a in p["assets"]] == ["f7", "f5", "f3", "f1"]


def test_get_assets_legacy_id_and_external_id_params(sdk, project_id, live_server, api_key):
    upload(sdk, project_id, [{"data": asset_url(f"{n}.png"), "externalId": f"l{n}"} for n in range(3)])
    assets = by_external_id(list_assets(sdk, project_id)[0])

    def names(query):
        response = requests.get(f"{live_server.url}/v2/project/{project_id}/assets?{query}",
                                headers={"apikey": api_key})
        data = response.json()["data"]
        return [a["externalId"] for a in data["assets"]], data["total"]

    assert names(f"_id={assets['l1']['_id']}") == (["l1"], 1)
    assert names("externalId=l2") == (["l2"], 1)
    assert names("page=1&limit=10&externalId=nobody") == ([], 0)


@pytest.mark.parametrize("kwargs, words", [
    ({"filters": {"color": "red"}}, ["color"]),
    ({"filters": {"isPreLabeled": "yes"}}, ["isPreLabeled"]),
    ({"filters": {"createdAt": {"gt": "last tuesday"}}}, ["createdAt"]),
    ({"limit": 1001}, ["limit", "1000"]),
    ({"page": 0}, ["page"]),
], ids=["unknown-field", "bad-bool", "bad-date", "limit", "page"])
def test_get_assets_bad_queries_are_400(sdk, project_id, live_server, api_key, kwargs, words):
    upload(sdk, project_id, [{"data": asset_url("a.png")}])

    with pytest.raises(Exception) as exc_info:
        sdk.get_assets(project_id, **kwargs)

    body = error_body(exc_info)
    assert body["status"] == "fail"
    for word in words:
        assert word in body["message"]
    params = {"page": kwargs.get("page", 1), "limit": kwargs.get("limit", 10),
              "filters": json.dumps(kwargs.get("filters", {}))}
    response = requests.get(f"{live_server.url}/v2/project/{project_id}/assets", params=params,
                            headers={"apikey": api_key})
    assert (response.status_code, response.json()) == (400, body)


# --- delete_assets ----------------------------------------------------------------------------------------

def test_delete_assets_soft_deletes_assets_and_their_tasks(sdk, project_id):
    upload(sdk, project_id, [{"data": asset_url(f"{n}.png"), "externalId": f"d{n}"} for n in range(3)])
    assets = by_external_id(list_assets(sdk, project_id)[0])
    tasks = by_external_id(sdk.get_tasks(project_id)["data"]["tasks"])
    doomed = [assets["d0"]["_id"], assets["d2"]["_id"]]

    sdk.delete_assets(project_id, doomed)

    remaining, total = list_assets(sdk, project_id)
    assert (total, [a["externalId"] for a in remaining]) == (1, ["d1"])
    assert list_assets(sdk, project_id, {"_id": doomed[0]}) == ([], 0)
    task_data = sdk.get_tasks(project_id)["data"]
    assert (task_data["total"], [t["externalId"] for t in task_data["tasks"]]) == (1, ["d1"])
    in_label = sdk.get_tasks(project_id, task_filter=TaskFilter(stage="Label"))["data"]
    assert (in_label["total"], [t["externalId"] for t in in_label["tasks"]]) == (1, ["d1"])
    with pytest.raises(Exception) as exc_info:
        sdk.get_task(tasks["d0"]["_id"])
    assert error_body(exc_info) == {"status": "fail", "message": f"Task not found: {tasks['d0']['_id']}"}
    assert sdk.get_task(tasks["d1"]["_id"])["data"]["task"]["externalId"] == "d1"


def test_delete_assets_with_an_unknown_id_is_404_and_deletes_nothing(sdk, project_id, live_server, api_key):
    upload(sdk, project_id, [{"data": asset_url(f"{n}.png"), "externalId": f"k{n}"} for n in range(2)])
    known = [a["_id"] for a in list_assets(sdk, project_id)[0]]
    unknown = "0" * 24

    with pytest.raises(Exception) as exc_info:
        sdk.delete_assets(project_id, [known[0], unknown])
    response = requests.delete(f"{live_server.url}/v2/project/{project_id}/assets",
                               json={"project": project_id, "assets": [known[1], unknown]},
                               headers={"apikey": api_key})

    body = error_body(exc_info)
    assert body["status"] == "fail"
    assert unknown in body["message"] and known[0] not in body["message"]
    assert response.status_code == 404
    assert response.json()["status"] == "fail"
    assets, total = list_assets(sdk, project_id)
    assert total == 2 and {a["_id"] for a in assets} == set(known)
    assert sdk.get_tasks(project_id)["data"]["total"] == 2


# --- create_attachment ------------------------------------------------------------------------------------

def test_create_attachment_appends_to_the_assets_matched_by_external_id(sdk, project_id):
    first = {"type": "TEXT", "value": "already here"}
    upload(sdk, project_id, [
        {"data": asset_url("a.png"), "externalId": "target", "attachments": [first]},
        {"data": asset_url("b.png"), "externalId": "twin"},
        {"data": asset_url("c.png"), "externalId": "twin"},
        {"data": asset_url("d.png"), "externalId": "bystander"},
    ])
    image = {"type": "IMAGE", "value": "https://cdn.example.com/att/side.png"}
    video = {"type": "VIDEO", "value": "https://cdn.example.com/att/clip.mp4"}

    sdk.create_attachment(project_id, [{"externalId": "target", "attachments": [image, video]},
                                       {"externalId": "twin", "attachments": [image]}])

    assets = list_assets(sdk, project_id)[0]
    attachments = {a["data"]: a["attachments"] for a in assets}
    assert attachments == {asset_url("a.png"): [first, image, video], asset_url("b.png"): [image],
                           asset_url("c.png"): [image], asset_url("d.png"): []}


@pytest.mark.parametrize("make_item", [
    lambda asset: {"assetId": asset["_id"], "attachments": [{"type": "TEXT", "value": "by id"}]},
    lambda asset: {"data": asset["data"], "attachments": [{"type": "TEXT", "value": "by id"}]},
    lambda asset: {"externalId": asset["externalId"], "attachmentUrl": "by id", "attachmentType": "TEXT"},
], ids=["assetId", "data", "web-api-single-form"])
def test_create_attachment_other_request_forms(sdk, project_id, live_server, api_key, make_item):
    upload(sdk, project_id, [{"data": asset_url("a.png"), "externalId": "a"},
                             {"data": asset_url("b.png"), "externalId": "b"}])
    assets = by_external_id(list_assets(sdk, project_id)[0])

    response = requests.post(f"{live_server.url}/v2/attachments", headers={"apikey": api_key},
                             json={"project": project_id, "attachments": [make_item(assets["b"])]})

    assert response.status_code == 200, response.text
    assert response.json()["data"]["project"] == {"attachmentsImported": 1, "assetsUpdated": 1}
    after = by_external_id(list_assets(sdk, project_id)[0])
    assert after["b"]["attachments"] == [{"type": "TEXT", "value": "by id"}]
    assert after["a"]["attachments"] == []


def test_create_attachment_with_a_bad_type_is_400_and_changes_nothing(sdk, project_id):
    upload(sdk, project_id, [{"data": asset_url("a.png"), "externalId": "a"}])

    with pytest.raises(Exception) as exc_info:
        sdk.create_attachment(project_id, [{"externalId": "a", "attachments": [{"type": "AUDIO", "value": "x"}]}])

    body = error_body(exc_info)
    assert body["status"] == "fail" and "type" in body["message"]
    assert list_assets(sdk, project_id)[0][0]["attachments"] == []


def test_create_attachment_without_a_match_is_400_and_changes_nothing(sdk, project_id, live_server, api_key):
    upload(sdk, project_id, [{"data": asset_url("a.png"), "externalId": "exists"}])
    note = {"type": "TEXT", "value": "note"}
    items = [{"externalId": "exists", "attachments": [note]}, {"externalId": "ghost", "attachments": [note]}]

    with pytest.raises(Exception) as exc_info:
        sdk.create_attachment(project_id, items)
    response = requests.post(f"{live_server.url}/v2/attachments", json={"project": project_id, "attachments": items},
                             headers={"apikey": api_key})

    body = error_body(exc_info)
    assert body["status"] == "fail"
    assert "ghost" in body["message"]
    assert (response.status_code, response.json()) == (400, body)
    (asset,), _ = list_assets(sdk, project_id)
    assert asset["attachments"] == []


# --- isolation --------------------------------------------------------------------------------------------

def test_another_organization_cannot_see_or_add_assets(sdk, project_id, live_server):
    upload(sdk, project_id, [{"data": asset_url("mine.png")}])
    other = SDK(f"sdk-test-key-other-{uuid.uuid4().hex}", host=live_server.url)

    with pytest.raises(Exception) as exc_info:
        other.get_assets(project_id)
    assert error_body(exc_info) == {"status": "fail", "message": f"Invalid project: {project_id}."}

    result = other.upload_files_cloud(project_id, [{"data": asset_url("intruder.png")}])
    assert result == {"status": "fail", "message": f"Invalid project: {project_id}."}
    assets, total = list_assets(sdk, project_id)
    assert (total, [a["externalId"] for a in assets]) == (1, ["mine.png"])
