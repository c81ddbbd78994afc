"""Storages, LLM connections, bucket listing and the file explorer through the official SDK against a live
mockhub. Secrets given to create_storage / create_llm must never come back: not in an answer, an export,
the snapshot or the journal."""
import io
import json
import uuid
import zipfile
from types import SimpleNamespace

import pytest
import requests
from imerit_ango.models.enums import LlmProvider, StorageProvider
from imerit_ango.models.llm import LLM
from imerit_ango.models.storage import Storage
from imerit_ango.sdk import SDK

from mockhub.seed import seed
from tests.sdk.helpers import error_of

UNKNOWN_ID = "0" * 24
STORAGE_FIELDS = {"_id", "id", "name", "provider", "type", "region", "bucket", "organization", "createdAt"}


# --- helpers ----------------------------------------------------------------------------------------------

def unique(label):
    return f"{label}-{uuid.uuid4().hex}"


def other_sdk(live_server):
    """An SDK whose key has an organization of its own."""
    return SDK(unique("integrations-other"), host=live_server.url)


def org_of(live_server, key):
    response = requests.get(f"{live_server.url}/_mockhub/whoami", headers={"apikey": key})
    return response.json()["data"]["user"]["organization"]


def raw(live_server, key, method, path, body=None):
    """Call the v2 API as the SDK does and return the response (its raw text is what a leak check reads)."""
    return requests.request(method, f"{live_server.url}/v2{path}", json=body, headers={"apikey": key})


def storages(sdk):
    return sdk.get_storages()["data"]["storages"]


def llms(sdk):
    return sdk.get_llms()["data"]["llms"]


def make_storage(sdk, name="bucket", provider=StorageProvider.AWS, **keys):
    return sdk.create_storage(Storage(name, provider, **keys))["data"]["storage"]


def make_llm(sdk, name="assistant", api_key="sk-test", base_url="https://llm.example.com/v1"):
    return sdk.create_llm(LLM(name, LlmProvider.OPENAI, "gpt-4o", api_key=api_key, base_url=base_url,
                              is_streamable=True))["data"]["llm"]


def put_object(live_server, key, name, content, project_id=None):
    """Upload bytes the way the SDK's upload_files does: getUploadUrl, then an unauthenticated PUT."""
    query = f"name={name}&type=assets" + (f"&project={project_id}" if project_id else "")
    issued = requests.get(f"{live_server.url}/v2/getUploadUrl?{query}", headers={"apikey": key})
    assert issued.status_code == 201, issued.text
    url = issued.json()["data"]["uploadUrl"]
    assert requests.put(url, data=content).status_code == 200
    return url


def export_text(live_server, key, project_id):
    """The export's zip member, as text."""
    answer = requests.get(f"{live_server.url}/v2/export?project={project_id}", headers={"apikey": key})
    assert answer.status_code == 200, answer.text
    archive = requests.get(answer.json()["data"]["exportPath"])
    with zipfile.ZipFile(io.BytesIO(archive.content)) as zipped:
        return answer.text + "".join(zipped.read(name).decode() for name in zipped.namelist())


def control_text(live_server, path, key):
    response = requests.get(f"{live_server.url}/_mockhub/{path}", headers={"apikey": key})
    assert response.status_code == 200
    return response.text


def assert_no_secret(texts, secrets):
    for where, text in texts.items():
        for secret in secrets:
            assert secret not in text, f"{secret} leaked in {where}"


@pytest.fixture
def storage(sdk):
    return make_storage(sdk, "assets-bucket")


# --- storages ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("provider, kind", [(StorageProvider.AWS, "aws"), (StorageProvider.GCP, "gcs"),
                                            (StorageProvider.AZURE, "azure")])
def test_a_created_storage_is_listed_with_its_fields(sdk, live_server, api_key, provider, kind):
    created = make_storage(sdk, "primary", provider, public_key="pk", private_key="sk", region="us-east-1")

    (listed,) = storages(sdk)
    assert listed == created
    assert STORAGE_FIELDS <= set(listed)
    assert (listed["name"], listed["provider"], listed["type"], listed["region"]) == ("primary", provider.value,
                                                                                      kind, "us-east-1")
    assert listed["id"] == listed["_id"] and len(listed["_id"]) == 24
    assert listed["organization"] == org_of(live_server, api_key)
    assert listed["createdAt"].endswith("Z")


def test_the_default_region_is_eu_central_1(sdk):
    make_storage(sdk, "defaulted")

    assert [s["region"] for s in storages(sdk)] == ["eu-central-1"]


def test_get_storages_with_an_id_returns_that_storage_only(sdk):
    first, second = make_storage(sdk, "first"), make_storage(sdk, "second")

    assert sdk.get_storages(second["_id"]) == second
    assert sdk.get_storages(first["_id"]) == first
    assert [s["name"] for s in storages(sdk)] == ["first", "second"]


def test_storage_and_llm_secrets_appear_in_no_answer_export_snapshot_or_journal(sdk, live_server, api_key,
                                                                                project_id):
    secrets = [unique("AKIA-public"), unique("private-key"), unique("gcp-credentials"), unique("sk-llm")]
    public, private, credentials, llm_key = secrets
    created = raw(live_server, api_key, "POST", "/storages/",
                  Storage("s3", StorageProvider.AWS, public_key=public, private_key=private).to_dict())
    gcp = raw(live_server, api_key, "POST", "/storages/",
              Storage("gcp", StorageProvider.GCP, credentials=credentials).to_dict())
    llm = raw(live_server, api_key, "POST", "/llms/",
              LLM("chat", LlmProvider.OPENROUTER, "m", api_key=llm_key, base_url="https://or.example.com").to_dict())
    assert (created.status_code, gcp.status_code, llm.status_code) == (201, 201, 201)
    storage_id, llm_id = created.json()["data"]["storage"]["_id"], llm.json()["data"]["llm"]["_id"]
    assert created.json()["data"]["storage"]["credentialsFingerprint"] != gcp.json()["data"]["storage"][
        "credentialsFingerprint"]
    sdk.upload_files_cloud(project_id, [{"data": "https://cdn.example.com/x.png", "externalId": "x"}],
                           storage_id=storage_id)

    texts = {"create storage": created.text, "create gcp storage": gcp.text, "create llm": llm.text,
             "get storages": raw(live_server, api_key, "GET", "/storages").text,
             "get storage": raw(live_server, api_key, "GET", f"/storages?_id={storage_id}").text,
             "get llms": raw(live_server, api_key, "GET", f"/llms?_id={llm_id}").text,
             "assets": raw(live_server, api_key, "GET", f"/project/{project_id}/assets").text,
             "export": export_text(live_server, api_key, project_id),
             "delete storage": raw(live_server, api_key, "DELETE", f"/storages/{storage_id}").text,
             "delete llm": raw(live_server, api_key, "DELETE", f"/llms/{llm_id}").text}
    texts["snapshot"] = control_text(live_server, "snapshot", api_key)
    texts["journal"] = control_text(live_server, "journal", api_key)

    assert "x.png" in texts["export"] and storage_id in texts["snapshot"]  # the checks read real content
    assert_no_secret(texts, secrets)


def test_credentials_given_as_an_object_are_accepted_and_not_echoed(sdk, live_server, api_key):
    secret = unique("service-account-private-key")

    response = raw(live_server, api_key, "POST", "/storages/",
                   Storage("gcp", StorageProvider.GCP, credentials={"type": "service_account",
                                                                     "private_key": secret}).to_dict())

    assert response.status_code == 201, response.text
    assert secret not in response.text
    assert [s["type"] for s in storages(sdk)] == ["gcs"]


def test_a_deleted_storage_is_gone(sdk, storage):
    kept = make_storage(sdk, "kept")

    answer = sdk.delete_storage(storage["_id"])

    assert answer["data"]["storage"]["_id"] == storage["_id"]
    assert storages(sdk) == [kept]
    assert error_of(sdk.delete_storage, storage["_id"])["message"] == f"Storage not found: {storage['_id']}"


def test_deleting_an_unknown_storage_is_404(sdk, live_server, api_key, storage):
    response = raw(live_server, api_key, "DELETE", f"/storages/{UNKNOWN_ID}")

    assert (response.status_code, response.json()["message"]) == (404, f"Storage not found: {UNKNOWN_ID}")
    assert storages(sdk) == [storage]


@pytest.mark.parametrize("provider", ["S3", "", None, "gcs"])
def test_an_unknown_provider_is_400_and_creates_nothing(sdk, live_server, api_key, provider):
    response = raw(live_server, api_key, "POST", "/storages/",
                   {"name": "bad", "provider": provider, "publicKey": "a", "privateKey": "b"})

    assert response.status_code == 400
    assert response.json()["message"].startswith("Validation failed: provider:")
    assert storages(sdk) == []


def test_another_organization_can_neither_see_nor_delete_a_storage(sdk, live_server, storage):
    stranger = other_sdk(live_server)

    assert storages(stranger) == []
    assert stranger.get_storages(storage["_id"])["data"]["storages"] == []  # no match: the SDK returns the body
    assert error_of(stranger.delete_storage, storage["_id"])["message"] == f"Storage not found: {storage['_id']}"
    assert storages(sdk) == [storage]


def test_only_an_organization_admin_creates_or_deletes_storages_and_llms(live_server, sdk, storage):
    keys = {role: unique(role) for role in ("admin", "member")}
    seed(live_server.app.extensions["mockhub"].store, {"organizations": [{"name": "Integrations", "users": [
        {"email": f"{role}@integrations.example.com", "apiKey": key, "role": role} for role, key in keys.items()]}]})
    admin, member = (SDK(keys[role], host=live_server.url) for role in ("admin", "member"))
    owned = make_storage(admin, "owned")

    for method, path, body in [("POST", "/storages/", {"name": "m", "provider": "AWS"}),
                               ("DELETE", f"/storages/{owned['_id']}", None),
                               ("POST", "/llms/", {"name": "m", "provider": "openai", "model": "x",
                                                   "configuration": {"apiKey": "k"}})]:
        response = raw(live_server, keys["member"], method, path, body)
        assert response.status_code == 403, (method, path, response.text)
        assert response.json()["message"].startswith("Forbidden")
    assert storages(member) == [owned]  # reading is allowed
    assert llms(admin) == []


# --- LLMs -------------------------------------------------------------------------------------------------

def test_a_created_llm_is_listed_without_its_api_key(sdk, live_server, api_key):
    secret = unique("sk-live")

    created = make_llm(sdk, "assistant", api_key=secret)

    (listed,) = llms(sdk)
    assert listed == created
    assert (listed["name"], listed["provider"], listed["model"], listed["isStreamable"]) == (
        "assistant", "openai", "gpt-4o", True)
    assert listed["configuration"] == {"baseUrl": "https://llm.example.com/v1"}
    assert listed["organization"] == org_of(live_server, api_key) and len(listed["_id"]) == 24
    assert secret not in json.dumps(listed)


def test_get_llms_with_an_id_returns_that_llm_only(sdk):
    first, second = make_llm(sdk, "first"), make_llm(sdk, "second", base_url=None)

    assert sdk.get_llms(second["_id"]) == second
    assert second["configuration"] == {}
    assert [x["name"] for x in llms(sdk)] == ["first", "second"]
    assert sdk.get_llms(first["_id"])["name"] == "first"


def test_a_deleted_llm_is_gone_and_an_unknown_one_is_404(sdk, live_server, api_key):
    gone, kept = make_llm(sdk, "gone"), make_llm(sdk, "kept")

    assert sdk.delete_llm(gone["_id"])["data"]["llm"]["_id"] == gone["_id"]

    assert llms(sdk) == [kept]
    response = raw(live_server, api_key, "DELETE", f"/llms/{gone['_id']}")
    assert (response.status_code, response.json()["message"]) == (404, f"LLM not found: {gone['_id']}")


def test_another_organization_can_neither_see_nor_delete_an_llm(sdk, live_server):
    llm = make_llm(sdk)
    stranger = other_sdk(live_server)

    assert llms(stranger) == []
    assert stranger.get_llms(llm["_id"])["data"]["llms"] == []
    assert error_of(stranger.delete_llm, llm["_id"])["message"] == f"LLM not found: {llm['_id']}"
    assert llms(sdk) == [llm]


@pytest.mark.parametrize("change, field", [({"provider": "anthropic"}, "provider"), ({"name": ""}, "name"),
                                           ({"configuration": {}}, "configuration.apiKey"),
                                           ({"configuration": {"apiKey": "k", "baseUrl": "not a url"}},
                                            "configuration.baseUrl")])
def test_an_invalid_llm_is_400_and_creates_nothing(sdk, live_server, api_key, change, field):
    body = dict({"name": "n", "provider": "openai", "model": "m", "configuration": {"apiKey": "k"}}, **change)

    response = raw(live_server, api_key, "POST", "/llms/", body)

    assert response.status_code == 400
    assert response.json()["message"].startswith(f"Validation failed: {field}:")
    assert llms(sdk) == []


# --- bucket listing ---------------------------------------------------------------------------------------

def listed_files(sdk, storage_id, bucket, path=""):
    return sdk.list_storage_files(storage_id, bucket, path)["data"]["files"]


def test_a_foreign_bucket_lists_no_files(sdk, live_server, api_key, storage):
    put_object(live_server, api_key, "present.txt", b"x")

    data = sdk.list_storage_files(storage["_id"], "customer-bucket", "assets/")["data"]

    assert data == {"files": [], "folders": []}


def test_the_mockhub_bucket_lists_the_organizations_uploads_by_path(sdk, live_server, api_key, storage):
    report, photo = unique("report") + ".txt", unique("photo") + ".png"
    put_object(live_server, api_key, report, b"quarterly numbers")
    put_object(live_server, api_key, photo, b"\x89PNG" + b"\0" * 20)
    requests.get(f"{live_server.url}/v2/getUploadUrl?name=never-put.txt&type=assets", headers={"apikey": api_key})
    put_object(live_server, other_sdk(live_server).api_key, "foreign.txt", b"not yours")

    files = {f["key"]: f for f in listed_files(sdk, storage["_id"], "mockhub")}

    assert set(files) == {f"assets/{report}", f"assets/{photo}"}
    assert (files[f"assets/{report}"]["name"], files[f"assets/{report}"]["size"]) == (report, 17)
    assert files[f"assets/{report}"]["contentType"].startswith("text/plain")
    assert sdk.list_storage_files(storage["_id"], "mockhub")["data"]["folders"] == ["assets"]
    assert [f["name"] for f in listed_files(sdk, storage["_id"], "mockhub", "assets/report")] == [report]
    assert [f["name"] for f in listed_files(sdk, storage["_id"], "mockhub", "/assets/photo")] == [photo]
    assert listed_files(sdk, storage["_id"], "mockhub", "exports/") == []


def test_listing_an_unknown_or_foreign_storage_is_404(sdk, live_server, storage):
    stranger = other_sdk(live_server)

    assert error_of(sdk.list_storage_files, UNKNOWN_ID, "mockhub")["message"] == f"Storage not found: {UNKNOWN_ID}"
    assert error_of(stranger.list_storage_files, storage["_id"], "mockhub")["message"] == \
        f"Storage not found: {storage['_id']}"


# --- file explorer ----------------------------------------------------------------------------------------

@pytest.fixture
def bucket(live_server, api_key):
    """Three uploads in the organization's own bucket, by kind."""
    names = {"notes": unique("notes") + ".txt", "draft": unique("draft") + ".TXT", "image": unique("img") + ".png"}
    contents = {kind: f"content of {kind}".encode() for kind in names}
    for kind, name in names.items():
        put_object(live_server, api_key, name, contents[kind])
    return SimpleNamespace(names=names, contents=contents)


def test_the_file_explorer_lists_a_folder_filtered_by_extension(sdk, storage, bucket):
    data = sdk.file_explorer("mockhub", storage["_id"], {"folder": "assets/", "extensions": [".txt"]})["data"]

    assert sorted(f["name"] for f in data["files"]) == sorted([bucket.names["notes"], bucket.names["draft"]])
    assert "upload" not in data
    everything = sdk.file_explorer("mockhub", storage["_id"], {"folder": "assets/"})["data"]["files"]
    assert len(everything) == 3
    assert sdk.file_explorer("mockhub", storage["_id"], {"folder": "brushes/"})["data"]["files"] == []


def test_the_file_explorer_uploads_chosen_files_as_assets(sdk, project_id, storage, bucket):
    chosen = [bucket.names["notes"], bucket.names["image"]]

    data = sdk.file_explorer("mockhub", storage["_id"], {"folder": "assets/", "upload": True,
                                                          "projectId": project_id, "files": chosen})["data"]

    assert data["upload"]["assetsCreated"] == 2
    assets = {a["externalId"]: a for a in sdk.get_assets(project_id, limit=50)["data"]["assets"]}
    assert set(assets) == set(chosen)
    assert {a["storage"] for a in assets.values()} == {storage["_id"]}
    for kind in ("notes", "image"):
        served = requests.get(assets[bucket.names[kind]]["data"])
        assert (served.status_code, served.content) == (200, bucket.contents[kind])
    assert sdk.get_tasks(project_id)["data"]["total"] == 2


def test_the_file_explorer_upload_needs_a_project_and_creates_nothing_without(sdk, project_id, storage, bucket):
    body = error_of(sdk.file_explorer, "mockhub", storage["_id"], {"upload": True})

    assert body["message"].startswith("projectId:")
    assert sdk.get_assets(project_id)["data"]["total"] == 0


def test_the_file_explorer_on_an_unknown_storage_is_404(sdk, project_id, bucket):
    body = error_of(sdk.file_explorer, "mockhub", UNKNOWN_ID, {"upload": True, "projectId": project_id})

    assert body["message"] == f"Storage not found: {UNKNOWN_ID}"
    assert sdk.get_assets(project_id)["data"]["total"] == 0
