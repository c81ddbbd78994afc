"""The bundled client: every v2 operation under the SDK's names, typed errors, and no import of mockhub."""
import subprocess
import sys
import uuid

import pytest

from mockhub.coverage import SDK_CALLS
from mockhub_client import AngoClient, ApiError

# SDK methods that are client-side compositions of calls the client has under their own names.
COMPOSED = {"upload_files": "getUploadUrl + PUT + upload_files_cloud", "exportV3": "export",
            "upload_files_with_asset_builder": "a CSV read + upload_files_cloud", "create_batches": "create_batch",
            "upload_brush_array": "getUploadUrl + PUT"}


def test_the_client_has_every_sdk_operation():
    public = {name for name in SDK_CALLS if not name.startswith("_")} - set(COMPOSED)
    assert sorted(name for name in public if not callable(getattr(AngoClient, name, None))) == []


def test_the_client_never_imports_mockhub():
    code = "import sys, mockhub_client; print(any(m.split('.')[0] == 'mockhub' for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.fixture
def client(live_server):
    return AngoClient(f"client-{uuid.uuid4().hex[:12]}", live_server.url)


def test_errors_carry_status_message_and_body(client):
    with pytest.raises(ApiError) as error:
        client.get_project("nope")
    assert (error.value.status, error.value.message) == (400, "Invalid project: nope.")
    assert error.value.body == {"status": "fail", "message": "Invalid project: nope."}


def test_organization_calls(client):
    org = client.get_organization_id()
    me = client.whoami()["user"]["email"]
    assert [u["email"] for u in client.get_organization_members(org)["users"]] == [me]
    client.invite_members_to_org(org, ["new@client.test"], "member")
    assert [i["to"] for i in client.get_organization_invites(org)["invites"]] == ["new@client.test"]
    client.accept_invite("new@client.test")
    assert client.update_organization_members_role(org, [{"email": "new@client.test",
                                                          "organizationRole": "admin"}])["users"]["updated"] == 1
    client.send_notification(["new@client.test"], "hello", title="Hi")
    assert [(n["sender"], n["message"]) for n in client.notifications()] == [(me, "hello")]
    assert client.delete_organization_members(org, ["new@client.test"])["deleted"] == 1


def test_storage_and_llm_calls(client):
    storage = client.create_storage({"name": "s", "provider": "GCP", "credentials": {"k": "secret"}})["storage"]
    assert [s["_id"] for s in client.get_storages()["storages"]] == [storage["_id"]]
    assert client.list_storage_files(storage["_id"], "elsewhere")["files"] == []
    assert client.file_explorer("elsewhere", storage["_id"])["files"] == []
    client.delete_storage(storage["_id"])
    llm = client.create_llm({"name": "l", "provider": "openai", "model": "m", "configuration": {"apiKey": "k"}})
    assert client.get_llms(llm["llm"]["_id"])["llms"][0]["model"] == "m"
    client.delete_llm(llm["llm"]["_id"])
    assert client.get_storages()["storages"] == [] and client.get_llms()["llms"] == []


def test_project_extra_calls(client, tmp_path):
    project_id = client.create_project("extras")["project"]["_id"]
    client.upload_files_cloud(project_id, [{"data": "https://x/1.png"}])
    task_id = client.get_tasks(project_id)["tasks"][0]["_id"]
    client.set_tasks_as_benchmark(project_id, [task_id])
    assert client.get_task(task_id)["task"]["isBenchmark"] is True
    client.update_label_validation(project_id, customValidationEnabled=True)
    client.update_benchmark_settings(project_id, True, benchmark_ratio=10)
    project = client.get_project(project_id)["project"]
    assert project["labelValidation"] == {"customValidationEnabled": True} and project["benchmarkRatio"] == 10
    client.create_asset_builder_template(project_id, {"name": "t", "template": "<p>{{c}}</p>",
                                                      "selectedExternalId": "c", "dataConfig": {"c": {"type": "text"}}})
    assert [t["name"] for t in client.get_asset_builder_templates(project_id)] == ["t"]
    guide = tmp_path / "guide.txt"
    guide.write_text("label every car")
    url = client.upload_instructions(project_id, str(guide))["instructions"]
    assert client.session.get(url, timeout=10).text == "label every car"
    assert client.upload_chat_assets(project_id, number_of_assets=2)["assets"]["assetsCreated"] == 2
    assert client.get_tasks(project_id)["total"] == 3


def test_every_public_method_of_the_bundled_client_is_type_hinted():
    """Parameters and return types, resolvable at run time (editors and type checkers read the same)."""
    import inspect
    import typing

    from mockhub_client import AngoClient

    missing = []
    for name, method in inspect.getmembers(AngoClient, inspect.isfunction):
        if name.startswith("_") and name != "__init__":
            continue
        hints = typing.get_type_hints(method)
        params = [p for p in inspect.signature(method).parameters if p != "self"]
        missing += [f"{name}({p})" for p in params if p not in hints]
        if "return" not in hints:
            missing.append(f"{name} -> ?")
    assert missing == []
