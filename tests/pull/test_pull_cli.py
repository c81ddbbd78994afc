"""`mockhub pull` as a user meets it: filters, --anonymize, --download-assets, and one-line errors (wrong key,
unknown project, a host that is no hub, rate limiting, an interrupted pull)."""
import http.server
import json
import urllib.request

import pytest
from click.testing import CliRunner
from imerit_ango.sdk import SDK
from mockhub_client import AngoClient

from mockhub.app import create_app
from mockhub.cli import main
from mockhub.server import LiveServer
from tests.loopback import serving
from tests.pull import scenario
from tests.sdk.helpers import sdk_upload_files

KEY = "pull-cli-source-key"


@pytest.fixture(scope="module")
def source():
    with LiveServer(create_app()) as server:
        sdk = SDK(KEY, host=server.url)
        project_id, admin = scenario.build(sdk)
        yield server, sdk, project_id, admin


def pull(url, project_id, output, *extra, key=KEY):
    return CliRunner().invoke(main, ["pull", "--host", url, "--api-key", key, "--project", project_id,
                                     "-o", str(output), *extra])


def fixture_project(path):
    return json.loads(path.read_text(encoding="utf-8"))["organizations"][0]["projects"][0]


def test_stage_and_batch_filters_keep_only_those_tasks(source, tmp_path):
    server, sdk, project_id, _ = source
    output = tmp_path / "label.json"

    result = pull(server.url, project_id, output, "--stage", "Label", "--batch", "b2")

    assert result.exit_code == 0, result.output
    assert sorted(a["externalId"] for a in fixture_project(output)["assets"]) == ["draft", "fresh"]


def test_an_unknown_stage_names_the_ones_the_project_has(source, tmp_path):
    server, _, project_id, _ = source
    result = pull(server.url, project_id, tmp_path / "x.json", "--stage", "Lable")

    assert result.exit_code == 1
    assert result.output.splitlines()[-1].startswith("Error: the project has no stage 'Lable' (it has: Start, Label,")
    assert not (tmp_path / "x.json").exists()


@pytest.mark.slow
def test_anonymize_replaces_people_and_free_text_stably_and_keeps_the_structure(source, tmp_path):
    server, sdk, project_id, admin = source
    plain, hidden = tmp_path / "plain.json", tmp_path / "hidden.json"
    assert pull(server.url, project_id, plain, "--all").exit_code == 0
    assert pull(server.url, project_id, hidden, "--all", "--anonymize").exit_code == 0

    text = hidden.read_text(encoding="utf-8")
    for secret in (admin, KEY, "first try on", "red hatchback", "The box is loose", "agreed, tightening"):
        assert secret not in text
    assert KEY not in plain.read_text(encoding="utf-8")  # the source key is never written, anonymized or not
    before, after = fixture_project(plain), fixture_project(hidden)
    assert after["stages"] == before["stages"] and after["categorySchema"] == before["categorySchema"]
    people = {a["task"].get("assignee") for a in after["assets"]} - {None}
    owner = after["owner"]
    assert people == {owner} and owner.endswith("@anonymized.invalid")
    def boxes(project):
        return [(t["schemaId"], t["bounding-box"], t["objectId"])
                for a in project["assets"] for t in a["task"]["answer"]["tools"]]

    assert boxes(after) == boxes(before)
    review = next(a for a in after["assets"] if a["externalId"] == "review")
    (issue,) = review["task"]["issues"]
    assert issue["createdBy"] == owner and issue["comments"][0]["createdBy"] == owner
    assert issue["content"].startswith("issue ") and issue["position"] == "[5, 6]"
    with LiveServer(create_app()) as target:  # the anonymized fixture still loads
        assert CliRunner().invoke(main, ["seed", str(hidden), "--url", target.url]).exit_code == 0


@pytest.mark.slow
def test_download_assets_copies_the_files_and_the_fixture_serves_them(tmp_path):
    pictures = {name: bytes([n]) * (100 + n) for n, name in enumerate(("a.png", "b.png"))}
    for name, content in pictures.items():
        (tmp_path / name).write_bytes(content)
    with LiveServer(create_app()) as server:
        sdk = SDK("download-source", host=server.url)
        project_id = sdk.create_project("Local files")["data"]["project"]["_id"]
        sdk_upload_files(sdk, project_id, [str(tmp_path / name) for name in pictures])
        sdk.upload_files_cloud(project_id, [{"data": "https://unreachable.invalid/c.png", "externalId": "c.png"}])
        out = tmp_path / "out"
        out.mkdir()
        result = pull(server.url, project_id, out / "f.json", "--download-assets", str(out / "files"),
                      key="download-source")
    assert result.exit_code == 0, result.output
    assert "2 files in" in result.output and "(1 could not be downloaded)" in result.output

    with LiveServer(create_app()) as target:
        assert CliRunner().invoke(main, ["seed", str(out / "f.json"), "--url", target.url]).exit_code == 0
        copy = SDK("pulled-" + project_id, host=target.url)
        (project,) = copy.list_projects()["data"]["projects"]
        served = {}
        for asset in copy.get_assets(project["_id"])["data"]["assets"]:
            if asset["data"].startswith(target.url):
                with urllib.request.urlopen(asset["data"]) as answer:
                    served[asset["externalId"].rsplit("/", 1)[-1]] = answer.read()
            else:
                served[asset["externalId"]] = asset["data"]
    assert served == {**pictures, "c.png": "https://unreachable.invalid/c.png"}


def test_download_assets_outside_the_fixture_folder_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["pull", "--host", "http://127.0.0.1:9", "--api-key", "k", "--project", "p",
                                       "-o", str(tmp_path / "a" / "f.json"), "--download-assets", str(tmp_path / "b")])

    assert result.exit_code == 2
    assert "must be a folder inside" in result.output


@pytest.mark.slow
def test_a_wrong_key_is_one_line(tmp_path):
    with LiveServer(create_app({"STRICT_AUTH": True})) as server:
        result = pull(server.url, "0" * 24, tmp_path / "x.json", key="nobody")

    assert result.exit_code == 1
    assert result.output == f"Error: {server.url} refused the API key (401: Invalid API KEY)\n"


def test_an_unknown_project_is_one_line(source, tmp_path):
    server = source[0]
    result = pull(server.url, "0" * 24, tmp_path / "x.json")

    assert result.exit_code == 1
    assert result.output.strip() == f"Error: no project {'0' * 24} on {server.url} for this API key (400)"


@pytest.fixture
def html_server():
    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html><body>" + b"a web page " * 500 + b"</body></html>")

        def log_message(self, *args):
            pass

    with serving(Page) as url:
        yield url


def test_a_host_that_is_not_a_hub_is_one_line(html_server, tmp_path):
    result = pull(html_server, "p1", tmp_path / "x.json")

    assert result.exit_code == 1
    assert result.output == (f"Error: {html_server} does not answer like an Ango Hub: GET /v2/project/p1 gave 200 "
                             f"text/html\n")


def test_nothing_listening_is_one_line(tmp_path):
    with LiveServer(create_app()) as server:
        url = server.url
    result = pull(url, "p1", tmp_path / "x.json")

    assert result.exit_code == 1
    assert result.output == f"Error: cannot connect to {url}: is the host right and the hub up?\n"


def test_rate_limiting_is_waited_out_and_said(source, tmp_path):
    server, _, project_id, _ = source
    control = AngoClient(KEY, server.url)
    control.add_fault({"path": f"/v2/project/{project_id}/tasks", "status": 429, "times": 2,
                       "body": {"status": "fail", "message": "Too many requests"}})

    result = pull(server.url, project_id, tmp_path / "x.json")

    assert result.exit_code == 0, result.output
    assert result.output.count("rate limited by the hub (429): waiting") == 2
    assert len(fixture_project(tmp_path / "x.json")["assets"]) == 6


def test_a_pull_that_fails_midway_leaves_no_file(source, tmp_path):
    server, _, project_id, _ = source
    control = AngoClient(KEY, server.url)
    output = tmp_path / "x.json"
    output.write_text("an older pull", encoding="utf-8")
    control.add_fault({"path": "/v2/issues", "status": 403, "times": 1,
                       "body": {"status": "fail", "message": "Forbidden"}})

    result = pull(server.url, project_id, output)

    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "Error: GET /v2/issues failed: 403 Forbidden"
    assert output.read_text(encoding="utf-8") == "an older pull"  # untouched, and no .partial beside it
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]
