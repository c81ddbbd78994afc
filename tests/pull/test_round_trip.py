"""`mockhub pull` from one mockhub (it speaks the hub's API), `mockhub seed` into a fresh one: the official SDK
sees the same project, tasks with answers, task history, issues and export, once ids and times are set aside."""
import json
import re

import pytest
from click.testing import CliRunner
from imerit_ango.models.enums import TaskType
from imerit_ango.sdk import SDK

from mockhub.app import create_app
from mockhub.cli import demo_fixture, main
from mockhub.server import LiveServer
from mockhub_client import AngoClient
from tests.pull import scenario

OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
# Fields that name the copy's own documents or people rather than the project: ids, owners, counters.
VOLATILE = {"_id", "organization", "user", "project", "asset", "assetId", "taskId", "labelTask", "task",
            "parentTask", "batches", "createdAt", "updatedAt", "completedAt", "resolvedAt", "stageEnteredAt", "__v"}


def normalize(value, people):
    """Blank out ids and times, and name people by their role in the scenario (the copy's admin is another)."""
    if isinstance(value, dict):
        return {key: "<volatile>" if key in VOLATILE else normalize(item, people) for key, item in value.items()}
    if isinstance(value, list):
        return [normalize(item, people) for item in value]
    if isinstance(value, str):
        if OBJECT_ID.match(value):
            return "<id>"
        if TIME.match(value):
            return "<time>"
        return people.get(value, value)
    return value


def seen_by_sdk(sdk, project_id, people):
    """Everything the SDK shows of one project, keyed by external id where the order is the hub's own."""
    project = sdk.get_project(project_id)["data"]["project"]
    tasks, page = [], 1
    while True:  # paged, as a consumer reads them
        data = sdk.get_tasks(project_id, page=page, limit=2, include_answer=True,
                             task_filter=scenario.TaskFilter(task_type=TaskType.DEFAULT))["data"]
        tasks += data["tasks"]
        if page * 2 >= data["total"]:
            break
        page += 1
    history = {t["externalId"]: sdk.get_task_history(task_id=t["_id"])["data"]["taskHistory"] for t in tasks}
    externals = {t["_id"]: t["externalId"] for t in tasks}
    issues = sorted(([externals[i["labelTask"]], i] for i in sdk.get_issues(project_id)["data"]["issue"]),
                    key=lambda pair: pair[0])
    stage_ids = [s["id"] for s in project["stages"]]
    exported = sorted(sdk.exportV3(project_id, options=scenario.export_options(stage_ids)),
                      key=lambda r: r["externalId"])
    return normalize({"project": project, "tasks": sorted(tasks, key=lambda t: t["externalId"]),
                      "history": history, "issues": issues, "export": exported}, people)


@pytest.fixture(scope="module")
def source():
    with LiveServer(create_app()) as server:
        sdk = SDK("pull-source-key", host=server.url)
        project_id, admin = scenario.build(sdk)
        yield server, sdk, project_id, admin


def pull(source_url, project_id, output, *extra):
    result = CliRunner().invoke(main, ["pull", "--host", source_url, "--api-key", "pull-source-key",
                                       "--project", project_id, "-o", str(output), *extra])
    assert result.exit_code == 0, result.output
    return result


def test_a_pulled_project_seeded_into_a_fresh_mockhub_looks_the_same_to_the_sdk(source, tmp_path):
    server, sdk, project_id, admin = source
    control = AngoClient("pull-source-key", server.url)
    control.clear_journal()
    output = tmp_path / "pulled.json"
    pull(server.url, project_id, output, "--all", "--key", "copy-key")
    paths = {entry["path"] for entry in control.journal()}
    assert all(path.startswith("/v2/") for path in paths), paths
    assert {f"/v2/project/{project_id}", f"/v2/project/{project_id}/assets", f"/v2/project/{project_id}/tasks",
            "/v2/issues"} <= paths

    with LiveServer(create_app()) as target:
        seeded = CliRunner().invoke(main, ["seed", str(output), "--url", target.url])
        assert seeded.exit_code == 0, seeded.output
        copy = SDK("copy-key", host=target.url)
        (copied,) = copy.list_projects()["data"]["projects"]
        copy_admin = copy.get_project(copied["_id"])["data"]["project"]["assignedTo"][0]["assignee"]
        expected = seen_by_sdk(sdk, project_id, {admin: "<admin>"})
        actual = seen_by_sdk(copy, copied["_id"], {copy_admin: "<admin>"})

    for part in ("project", "tasks", "history", "issues", "export"):
        assert actual[part] == expected[part], part



def test_a_project_seeded_from_a_fixture_survives_a_pull_and_a_seed(tmp_path):
    with LiveServer(create_app({"FIXTURES": [demo_fixture()]})) as server:
        sdk = SDK("mockhub-demo-key", host=server.url)
        (project,) = sdk.list_projects()["data"]["projects"]
        pull_result = CliRunner().invoke(main, ["pull", "--host", server.url, "--api-key", "mockhub-demo-key",
                                                "--project", project["_id"], "-o", str(tmp_path / "demo.json"),
                                                "--all", "--key", "demo-copy"])
        assert pull_result.exit_code == 0, pull_result.output
        admin = sdk.get_project(project["_id"])["data"]["project"]["owner"]
        expected = seen_by_sdk(sdk, project["_id"], {admin: "<admin>"})
    with LiveServer(create_app()) as target:
        assert CliRunner().invoke(main, ["seed", str(tmp_path / "demo.json"), "--url", target.url]).exit_code == 0
        copy = SDK("demo-copy", host=target.url)
        (copied,) = copy.list_projects()["data"]["projects"]
        actual = seen_by_sdk(copy, copied["_id"], {admin: "<admin>"})

    assert actual == expected


def test_a_sample_keeps_every_stage_and_batch(source, tmp_path):
    server, sdk, project_id, _ = source
    output = tmp_path / "sample.json"
    pull(server.url, project_id, output, "--assets", "5")

    (project,) = json.loads(output.read_text())["organizations"][0]["projects"]
    stages = {t["stage"] for t in scenario.tasks(sdk, project_id).values()}
    assert len(project["assets"]) == 5
    assert {a["task"]["stage"] for a in project["assets"]} == stages
    assert {b for a in project["assets"] for b in a["batches"]} == {"b1", "b2"}
