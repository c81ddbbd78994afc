"""Project extras through the official SDK against a live mockhub: instructions, asset-builder templates (and
uploads through them), label validation, benchmark settings and tasks, chat assets, and the plugin sinks."""
import json
import uuid

import pytest
import requests
from imerit_ango.models.asset_builder_template import AssetBuilderTemplate, DataConfigItem
from imerit_ango.models.chat_asset_creation_config import ChatAssetCreationConfig, LLMConfig, NamingStrategy
from imerit_ango.models.enums import LlmProvider
from imerit_ango.models.llm import LLM
from imerit_ango.models.task_filter import TaskFilter
from tests.sdk.helpers import error_of

UNKNOWN_ID = "0" * 24
TEMPLATE_BODY = {"description": "", "name": "rows", "template": "<div><p>{{text}}</p></div>", "batchColumn": "",
                 "selectedExternalId": "id", "preLabelConfig": {},
                 "dataConfig": {"id": {"type": "text", "includeInExport": False},
                                "text": {"type": "text", "includeInExport": True}}}
CONVERSATIONS = [[{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}],
                 [{"role": "user", "content": "What is 2+2?"}]]


# --- helpers ----------------------------------------------------------------------------------------------

def raw(live_server, key, method, path, body=None, **kwargs):
    """Call the v2 API with only the apikey header and return the response."""
    return requests.request(method, f"{live_server.url}/v2{path}", json=body, headers={"apikey": key}, **kwargs)


def project(sdk, project_id):
    return sdk.get_project(project_id)["data"]["project"]


def assets_of(sdk, project_id):
    data = sdk.get_assets(project_id, limit=100)["data"]
    assert data["total"] == len(data["assets"])
    return data["assets"]


def upload(sdk, project_id, *names):
    result = sdk.upload_files_cloud(project_id, [{"data": f"https://cdn.example.com/{n}.png", "externalId": n}
                                                 for n in names])
    assert result["status"] == "success", result
    return task_ids(sdk, project_id)


def task_ids(sdk, project_id, task_filter=None):
    tasks = sdk.get_tasks(project_id, limit=100, task_filter=task_filter)["data"]["tasks"]
    return {task["externalId"]: task["_id"] for task in tasks}


def benchmark_state(sdk, project_id):
    """{externalId: (isBenchmark, type)} for every task of the project."""
    tasks = sdk.get_tasks(project_id, limit=100)["data"]["tasks"]
    return {task["externalId"]: (task["isBenchmark"], task["type"]) for task in tasks}


def write_json(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(json.dumps(content))
    return str(path)


def chat(sdk, project_id, **config):
    return sdk.upload_chat_assets(project_id, ChatAssetCreationConfig(**config))


# --- instructions -----------------------------------------------------------------------------------------

def test_uploaded_instructions_are_served_from_the_projects_instructions_url(sdk, project_id, tmp_path):
    content = b"%PDF-1.4\n" + bytes(range(256)) * 8
    path = tmp_path / "labeling guide.pdf"
    path.write_bytes(content)

    answer = sdk.upload_instructions(project_id, str(path))["data"]

    url = project(sdk, project_id)["instructions"]
    assert answer == {"instructions": url, "name": "labeling guide.pdf", "size": len(content)}
    served = requests.get(url)
    assert (served.status_code, served.content) == (200, content)
    assert served.headers["Content-Type"] == "application/pdf"


def test_new_instructions_replace_the_old_url(sdk, project_id, tmp_path):
    first, second = tmp_path / "v1.txt", tmp_path / "v2.txt"
    first.write_bytes(b"version one")
    second.write_bytes(b"version two")

    old = sdk.upload_instructions(project_id, str(first))["data"]["instructions"]
    new = sdk.upload_instructions(project_id, str(second))["data"]["instructions"]

    assert project(sdk, project_id)["instructions"] == new != old
    assert (requests.get(old).content, requests.get(new).content) == (b"version one", b"version two")


def test_instructions_for_an_unknown_project_are_refused(sdk, project_id, tmp_path):
    path = tmp_path / "guide.txt"
    path.write_bytes(b"guide")

    with pytest.raises(requests.HTTPError) as exc_info:
        sdk.upload_instructions(UNKNOWN_ID, str(path))

    assert exc_info.value.response.status_code == 400
    assert exc_info.value.response.json()["message"] == f"Invalid project: {UNKNOWN_ID}."
    assert project(sdk, project_id)["instructions"] is None


# --- asset-builder templates ------------------------------------------------------------------------------

def make_template(sdk, project_id):
    template = AssetBuilderTemplate(name="rows", template="<div><p>{{text}}</p></div>", external_id_column="id",
                                    data_config={"id": DataConfigItem("text"),
                                                 "text": DataConfigItem("text", include_in_export=True)})
    return sdk.create_asset_builder_template(project_id, template)["data"]["template"]


def test_a_created_template_is_listed_with_an_id(sdk, project_id):
    created = make_template(sdk, project_id)

    (listed,) = sdk.get_asset_builder_templates(project_id)
    assert listed == created
    assert len(listed["_id"]) == 24
    assert {key: listed[key] for key in TEMPLATE_BODY} == TEMPLATE_BODY


@pytest.mark.parametrize("change, problem", [
    ({"selectedExternalId": "missing"}, "selectedExternalId: missing is not a column of dataConfig"),
    ({"dataConfig": {"id": {"type": "text"}, "photo": {"type": "image", "includeInExport": False}}},
     "Validation failed: dataConfig.photo.storage: required for type image"),
    ({"name": None}, "Validation failed: name:"),
    ({"dataConfig": {"id": {"type": "hologram"}}}, "Validation failed: dataConfig.id.value.type:"),
], ids=["external-id-not-a-column", "media-without-storage", "missing-name", "unknown-type"])
def test_an_invalid_template_is_400_and_stores_nothing(sdk, live_server, api_key, project_id, change, problem):
    body = {key: value for key, value in dict(TEMPLATE_BODY, **change).items() if value is not None}

    response = raw(live_server, api_key, "POST", f"/project/{project_id}/assetBuilderTemplates", body)

    assert response.status_code == 400
    assert response.json()["message"].startswith(problem), response.json()
    assert sdk.get_asset_builder_templates(project_id) == []


def test_a_media_column_with_a_storage_is_accepted(sdk, project_id):
    template = AssetBuilderTemplate(name="images", template='<div><img src="{{photo}}"/></div>',
                                    external_id_column="photo",
                                    data_config={"photo": DataConfigItem("image", storage="Public")})

    sdk.create_asset_builder_template(project_id, template)

    (listed,) = sdk.get_asset_builder_templates(project_id)
    assert listed["dataConfig"] == {"photo": {"type": "image", "includeInExport": False, "storage": "Public"}}


def test_upload_with_asset_builder_fills_the_template_per_csv_row(sdk, project_id, tmp_path):
    template = make_template(sdk, project_id)
    csv_path = tmp_path / "rows.csv"
    csv_path.write_text("id,text\nrow-1,hello\nrow-2,good bye\n")

    sdk.upload_files_with_asset_builder(project_id, template["_id"], str(csv_path))

    assets = {a["externalId"]: a for a in assets_of(sdk, project_id)}
    assert set(assets) == {"row-1", "row-2"}
    assert assets["row-1"]["data"] == "<div><p>\n\nhello\n\n</p></div>"
    assert assets["row-2"]["data"] == "<div><p>\n\ngood bye\n\n</p></div>"
    assert assets["row-2"]["contextData"] == {"text": "good bye"}
    assert set(task_ids(sdk, project_id)) == {"row-1", "row-2"}


# --- label validation and benchmark settings --------------------------------------------------------------

def test_label_validation_settings_are_read_back_and_merged(sdk, project_id):
    external = {"url": "https://validator.example.com/check", "enabled": True}

    sdk.update_label_validation(project_id, custom_validation_enabled=True,
                                validation_function="function validate(answer) { return []; }")
    sdk.update_label_validation(project_id, external_validation=external)
    sdk.update_label_validation(project_id)  # the SDK may send `{}`: nothing changes

    assert project(sdk, project_id)["labelValidation"] == {
        "customValidationEnabled": True, "validationFunction": "function validate(answer) { return []; }",
        "externalValidation": external}

    sdk.update_label_validation(project_id, custom_validation_enabled=False)

    assert project(sdk, project_id)["labelValidation"]["customValidationEnabled"] is False
    assert project(sdk, project_id)["labelValidation"]["externalValidation"] == external


def test_invalid_label_validation_is_400_and_changes_nothing(sdk, live_server, api_key, project_id):
    response = raw(live_server, api_key, "POST", f"/project/{project_id}/labelValidation",
                   {"customValidationEnabled": "sometimes"})

    assert response.status_code == 400
    assert response.json()["message"].startswith("Validation failed: customValidationEnabled:")
    assert project(sdk, project_id)["labelValidation"] == {}


def test_benchmark_settings_are_read_back(sdk, project_id):
    sdk.update_benchmark_settings(project_id, True, benchmark_ratio=20, benchmark_cutoff=True)

    settings = project(sdk, project_id)
    assert (settings["benchmarkEnabled"], settings["benchmarkRatio"], settings["benchmarkCutoff"]) == (True, 20, True)

    sdk.update_benchmark_settings(project_id, False)

    settings = project(sdk, project_id)
    assert (settings["benchmarkEnabled"], settings["benchmarkRatio"], settings["benchmarkCutoff"]) == (False, 20, True)


# --- benchmark tasks --------------------------------------------------------------------------------------

def test_tasks_set_as_benchmark_are_selected_by_the_benchmark_filter_and_can_be_reverted(sdk, project_id):
    ids = upload(sdk, project_id, "a", "b", "c")

    sdk.set_tasks_as_benchmark(project_id, [ids["a"], ids["c"]])

    assert benchmark_state(sdk, project_id) == {"a": (True, "benchmark"), "b": (False, "default"),
                                                "c": (True, "benchmark")}
    assert task_ids(sdk, project_id, TaskFilter(is_benchmark=True)) == {"a": ids["a"], "c": ids["c"]}

    sdk.set_tasks_as_benchmark(project_id, [ids["c"]], is_benchmark=False)

    assert benchmark_state(sdk, project_id) == {"a": (True, "benchmark"), "b": (False, "default"),
                                                "c": (False, "default")}
    assert task_ids(sdk, project_id, TaskFilter(is_benchmark=True)) == {"a": ids["a"]}


def test_an_unknown_task_refuses_the_whole_benchmark_call(sdk, live_server, project_id):
    ids = upload(sdk, project_id, "a")
    other_project = sdk.create_project("Other")["data"]["project"]["_id"]
    foreign = upload(sdk, other_project, "elsewhere")["elsewhere"]

    for stranger in (UNKNOWN_ID, foreign):
        body = error_of(sdk.set_tasks_as_benchmark, project_id, [ids["a"], stranger])
        assert body["message"] == f"Tasks not found in project {project_id}: {stranger}"

    assert benchmark_state(sdk, project_id) == {"a": (False, "default")}
    assert benchmark_state(sdk, other_project) == {"elsewhere": (False, "default")}


# --- chat assets ------------------------------------------------------------------------------------------

def test_chat_assets_without_a_file_create_that_many_empty_conversations(sdk, project_id):
    answer = chat(sdk, project_id, number_of_assets=3)

    assert answer["status"] == "success" and "error" not in answer
    assert answer["data"]["assets"]["assetsCreated"] == 3
    assets = assets_of(sdk, project_id)
    assert len(assets) == 3 and len({a["externalId"] for a in assets}) == 3
    for asset in assets:
        assert asset["externalId"].endswith(".json")
        assert requests.get(asset["data"]).json() == []
    assert len(task_ids(sdk, project_id)) == 3


def test_chat_assets_from_a_conversation_file_serve_each_conversation(sdk, project_id, tmp_path):
    path = write_json(tmp_path, "conversations.json", CONVERSATIONS)

    answer = chat(sdk, project_id, conversation_json=path, naming_strategy=NamingStrategy("sequential"),
                  number_of_assets=7)  # the file's conversations decide the count

    assert answer["data"]["assets"]["assetsCreated"] == 2
    assets = {a["externalId"]: a for a in assets_of(sdk, project_id)}
    assert set(assets) == {"chat-1.json", "chat-2.json"}
    for number, conversation in enumerate(CONVERSATIONS, start=1):
        served = requests.get(assets[f"chat-{number}.json"]["data"])
        assert (served.status_code, served.json()) == (200, conversation)


def test_chat_assets_accept_a_wrapped_conversation_list_and_an_llm(sdk, project_id, tmp_path):
    llm = sdk.create_llm(LLM("chat", LlmProvider.OPENAI, "gpt-4o", api_key="sk-x"))["data"]["llm"]
    path = write_json(tmp_path, "wrapped.json", {"conversations": CONVERSATIONS[:1]})

    answer = chat(sdk, project_id, conversation_json=path, llm_config=LLMConfig(llm["_id"]))

    assert answer["data"]["assets"]["assetsCreated"] == 1
    (asset,) = assets_of(sdk, project_id)
    assert asset["metadata"]["llm"] == llm["_id"]
    assert requests.get(asset["data"]).json() == CONVERSATIONS[0]


@pytest.mark.parametrize("config, message", [({"llm_config": LLMConfig(UNKNOWN_ID)}, f"LLM not found: {UNKNOWN_ID}"),
                                             ({"storage_id": UNKNOWN_ID}, f"Storage not found: {UNKNOWN_ID}")],
                         ids=["llm", "storage"])
def test_chat_assets_with_an_unknown_reference_answer_404_in_the_routes_shape(sdk, project_id, config, message):
    answer = chat(sdk, project_id, number_of_assets=2, **config)

    assert answer["error"] == {"statusCode": 404}
    assert answer["message"] == message
    assert assets_of(sdk, project_id) == []


def test_chat_assets_with_no_conversations_and_no_file_are_400(sdk, live_server, api_key, project_id):
    response = raw(live_server, api_key, "POST", f"/project/{project_id}/chat", None,
                   data={"projectId": project_id, "priority": "0", "numberOfConversations": "0",
                         "namingStrategy": json.dumps({"type": "random"})})

    assert response.status_code == 400
    body = response.json()
    assert body["error"] == {"statusCode": 400}
    assert body["message"].startswith("numberOfConversations:")
    assert assets_of(sdk, project_id) == []


@pytest.mark.parametrize("content", [[], {"conversations": []}, {"other": 1}, "not json"])
def test_a_conversation_file_without_conversations_is_400(sdk, project_id, tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))

    answer = chat(sdk, project_id, conversation_json=str(path))

    assert answer["error"] == {"statusCode": 400}
    assert answer["message"].startswith("file:")
    assert assets_of(sdk, project_id) == []


# --- plugin sinks -----------------------------------------------------------------------------------------

def test_plugin_logs_and_responses_are_accepted_and_kept(sdk, live_server, api_key):
    session = uuid.uuid4().hex
    organization = requests.get(f"{live_server.url}/_mockhub/whoami",
                                headers={"apikey": api_key}).json()["data"]["user"]["organization"]

    logged = sdk._plugin_log({"level": "INFO", "msg": "started", "pluginId": "p1", "session": session})
    responded = sdk._plugin_response({"response": {"answer": 42}, "session": session})

    assert logged["data"] == responded["data"] == {"received": True}
    kept = [m for m in live_server.app.extensions["mockhub"].store.plugin_messages if m.get("session") == session]
    assert [(m["kind"], m["organization"]) for m in kept] == [("log", organization), ("response", organization)]
    assert (kept[0]["msg"], kept[0]["level"], kept[1]["response"]) == ("started", "INFO", {"answer": 42})
