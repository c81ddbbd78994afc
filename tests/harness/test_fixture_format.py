"""Fixture files carry QA issues with comments, label validation and asset files served by mockhub's object
store; seeded through `mockhub seed` (HTTP) and read back with the official SDK."""
import json
import urllib.request
import uuid

import pytest
from click.testing import CliRunner
from imerit_ango.sdk import SDK

from mockhub.cli import main
from mockhub.seed import FixtureError, read_fixture

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


def fixture(key, **task):
    return {"organizations": [{"name": "Pulled org", "users": [
        {"email": "admin@org.test", "apiKey": key, "role": "admin"},
        {"email": "labeler@org.test", "role": "member"}],
        "projects": [{"name": "With files", "batches": ["b1"],
                      "members": [{"email": "labeler@org.test", "role": "Labeler"}],
                      "labelValidation": {"customValidation": {"enabled": True, "script": "return []"}},
                      "assets": [{"file": "images/one.png", "externalId": "one.png", "batches": ["b1"],
                                  "task": {"stage": "Label", "assignee": "labeler@org.test", **task}}]}]}]}


ISSUE = {"content": "Box too loose", "createdBy": "admin@org.test", "createdAt": "2025-01-02T03:04:05.000Z",
         "position": "[10, 20]", "status": "Resolved", "resolvedBy": "labeler@org.test",
         "comments": [{"content": "fixed it", "createdBy": "labeler@org.test",
                       "createdAt": "2025-01-03T00:00:00.000Z"}]}


def write(tmp_path, document):
    (tmp_path / "images").mkdir(exist_ok=True)
    (tmp_path / "images" / "one.png").write_bytes(PNG)
    path = tmp_path / "pulled.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def seed(path, url):
    return CliRunner().invoke(main, ["seed", str(path), "--url", url], catch_exceptions=False)


def test_a_fixture_with_issues_files_and_label_validation_seeds_what_the_sdk_reads(tmp_path, live_server):
    key = f"fixture-format-{uuid.uuid4().hex[:8]}"
    result = seed(write(tmp_path, fixture(key, issues=[ISSUE])), live_server.url)
    assert result.exit_code == 0, result.output

    sdk = SDK(key, host=live_server.url)
    project = sdk.list_projects()["data"]["projects"][0]
    details = sdk.get_project(project["_id"])["data"]["project"]
    assert details["labelValidation"]["customValidation"]["enabled"] is True
    asset = sdk.get_assets(project["_id"])["data"]["assets"][0]
    assert asset["data"].startswith(live_server.url + "/files/")
    with urllib.request.urlopen(asset["data"]) as response:  # no key, as a browser or the SDK fetches it
        assert response.read() == PNG
    issue, = sdk.get_issues(project["_id"])["data"]["issue"]
    assert (issue["content"], issue["createdBy"], issue["createdAt"]) == \
           ("Box too loose", "admin@org.test", "2025-01-02T03:04:05.000Z")
    assert (issue["status"], issue["resolvedBy"], issue["position"]) == ("Resolved", "labeler@org.test", "[10, 20]")
    assert [(c["content"], c["createdBy"]) for c in issue["comments"]] == [("fixed it", "labeler@org.test")]
    task = sdk.get_tasks(project["_id"])["data"]["tasks"][0]
    assert issue["labelTask"] == task["_id"] and task["openIssuesCount"] == 0


def test_an_issue_by_a_stranger_is_refused_and_nothing_is_seeded(tmp_path, live_server):
    key = f"fixture-format-{uuid.uuid4().hex[:8]}"
    stranger = dict(ISSUE, createdBy="nobody@elsewhere.test")
    result = seed(write(tmp_path, fixture(key, issues=[stranger])), live_server.url)

    assert result.exit_code == 1
    assert "issues[0].createdBy: nobody@elsewhere.test is not a user of the organization" in result.output
    # Nothing was seeded: the key is unknown, so it gets a new, empty organization of its own.
    assert SDK(key, host=live_server.url).list_projects()["data"]["projects"] == []


def test_an_asset_file_outside_the_fixture_folder_is_refused(tmp_path):
    document = fixture("k")
    document["organizations"][0]["projects"][0]["assets"][0]["file"] = "../secret.png"
    (tmp_path / "inner").mkdir()
    path = tmp_path / "inner" / "f.json"
    path.write_text(json.dumps(document), encoding="utf-8")

    with pytest.raises(FixtureError, match=r"assets\[0\]\.file: \.\./secret\.png is not inside the fixture's folder"):
        read_fixture(str(path))


def test_an_asset_file_that_is_missing_names_it(tmp_path):
    path = tmp_path / "f.json"
    path.write_text(json.dumps(fixture("k")), encoding="utf-8")

    with pytest.raises(FixtureError, match=r"cannot read images/one\.png: No such file or directory"):
        read_fixture(str(path))


def test_a_fixture_posted_without_the_file_bytes_says_how_to_load_it(live_server):
    import requests

    answer = requests.post(f"{live_server.url}/_mockhub/seed", json=fixture("never-used-key"), timeout=30)

    assert answer.status_code == 400
    assert "file: the file's bytes were not read" in answer.json()["message"]


def test_a_fixture_user_may_be_a_guest_as_docs_fidelity_says(live_server):
    """fidelity.md names admin, member and guest (any case); fixture files take the same three."""
    tag = uuid.uuid4().hex[:8]
    users = [{"email": f"boss@{tag}.test", "apiKey": f"boss-{tag}", "role": "Admin"},
             {"email": f"visitor@{tag}.test", "apiKey": f"guest-{tag}", "role": "Guest"}]
    fixture = {"organizations": [{"name": f"Guests {tag}", "users": users}]}
    refused = dict(fixture, organizations=[dict(fixture["organizations"][0], users=[
        users[0], dict(users[1], role="owner")])])
    from mockhub_client import AngoClient, ApiError

    control = AngoClient("", live_server.url)
    with pytest.raises(ApiError) as error:
        control.seed(refused, scope="server")
    assert error.value.message.endswith("users[1].role: Must be one of: admin, member, guest (any case).")
    control.seed(fixture, scope="server")
    try:
        sdk = SDK(f"boss-{tag}", host=live_server.url)
        org_id = AngoClient(f"boss-{tag}", live_server.url).get_organization_id()
        members = sdk.get_organization_members(org_id)["data"]["users"]
        assert sorted((m["email"], m["organizationRole"]) for m in members) == [
            (f"boss@{tag}.test", "admin"), (f"visitor@{tag}.test", "guest")]
    finally:
        control.reset(api_key=f"boss-{tag}", missing_ok=True)
