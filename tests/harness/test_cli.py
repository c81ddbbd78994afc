"""The `mockhub` command through click's CliRunner: help, serve's fixture errors (before any server starts),
seed and snapshot against a live server, the coverage check, an unreachable server, and `python -m mockhub`."""
import hashlib
import json
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from imerit_ango.sdk import SDK
from mockhub_client import AngoClient

from mockhub.app import create_app
from mockhub.server import LiveServer
from tests.harness.commands import invoke

ROOT = Path(__file__).resolve().parents[2]


def write_json(path, document):
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def fixture_document(tag):
    return {"organizations": [{"name": f"CLI {tag}",
                               "users": [{"email": f"admin@{tag}.test", "apiKey": f"{tag}-key", "role": "admin"}],
                               "projects": [{"name": f"From the CLI {tag}", "batches": ["b1"],
                                             "assets": [{"data": "https://cdn.example.com/a.png",
                                                         "externalId": "a.png"}]}]}]}


def unused_port():
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def seeded_keys(live_server):
    keys = []
    yield keys
    for key in keys:
        AngoClient("", live_server.url).reset(api_key=key, missing_ok=True)


# --- help -----------------------------------------------------------------------------------------------------

def test_help_lists_the_commands():
    result = invoke("--help")

    assert result.exit_code == 0
    commands = result.output.split("Commands:", 1)[1].split()
    assert {"serve", "seed", "snapshot", "coverage"} <= set(commands)


def test_serve_help_documents_its_options():
    result = invoke("serve", "--help")

    assert result.exit_code == 0
    for option in ("--fixtures", "--strict-auth", "--seed", "--host", "--port"):
        assert option in result.output


def test_python_dash_m_mockhub_runs_the_cli():
    result = subprocess.run([sys.executable, "-m", "mockhub", "--help"], capture_output=True, text=True,
                            timeout=60, check=False)

    assert result.returncode == 0, result.stderr
    assert "serve" in result.stdout and "snapshot" in result.stdout


# --- serve with bad fixtures ----------------------------------------------------------------------------------

@pytest.mark.parametrize("content, location", [
    ('{"organizations": [\n  {"name": "x",}\n]}',
     "line 2 column 16: Expecting property name enclosed in double quotes"),
    (json.dumps({"organizations": [{"name": "x", "users": [{"email": "nope", "role": "admin"}]}]}),
     "users[0].email: Not a valid email address."),
    pytest.param(json.dumps({"organizations": [{"name": "x", "users": [{"email": "a@b.test", "role": "member"}]}]}),
                 "organizations[0].users: an organization needs at least one admin"),
], ids=["invalid-json", "schema-error", "reference-error"])
def test_serve_with_a_bad_fixture_file_names_it_and_starts_no_server(tmp_path, no_server, content, location):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")

    result = invoke("serve", "--port", 0, "--fixtures", path)

    assert result.exit_code == 1
    assert f"Error: {path}: " in result.output
    assert location in result.output
    assert "listening" not in result.output
    assert no_server == []


def test_serve_with_a_missing_fixture_file_says_it_cannot_read_it(tmp_path, no_server):
    result = invoke("serve", "--fixtures", tmp_path / "absent.json")

    assert result.exit_code == 1
    assert f"{tmp_path / 'absent.json'}: cannot read: No such file or directory" in result.output
    assert no_server == []


SNAP = hashlib.sha1(b"snap-key").hexdigest()[:10]  # how mockhub names a key's own organization and user


def snapshot_document():
    client = create_app().test_client()
    assert client.post("/v2/project", json={"name": "Saved"}, headers={"apikey": "snap-key"}).status_code == 201
    return client.get("/_mockhub/snapshot?scope=server").get_json()


@pytest.mark.parametrize("document, keys", [
    (fixture_document("serve"), ["  API key 'serve-key'  ->  admin@serve.test (CLI serve)"]),
    (snapshot_document(), [f"  API key 'snap-key'  ->  user-{SNAP}@mockhub.local (Organization {SNAP})"]),
], ids=["fixture", "snapshot"])
def test_serve_seeds_its_fixture_file_and_prints_the_keys(tmp_path, serve_once, document, keys):
    path = write_json(tmp_path / "state.json", document)

    result = invoke("serve", "--port", 0, "--strict-auth", "--fixtures", path)

    assert result.exit_code == 0, result.output
    (server,) = serve_once
    lines = result.output.splitlines()
    assert lines[0] == f"mockhub listening on {server.url}  (health: {server.url}/_mockhub/health)"
    assert lines[1:] == keys + [f'  SDK(api_key, host="{server.url}")', "stopped"]
    assert server.app.config["STRICT_AUTH"] is True
    assert server.app.extensions["mockhub"].store.counts()["projects"] == 1


# --- seed and snapshot against a live server ------------------------------------------------------------------

def test_seed_loads_a_fixture_file_into_a_running_server(tmp_path, live_server, seeded_keys):
    tag = f"cli-{uuid.uuid4().hex[:10]}"
    seeded_keys.append(f"{tag}-key")
    path = write_json(tmp_path / "fixture.json", fixture_document(tag))

    result = invoke("seed", path, "--url", live_server.url)

    assert result.exit_code == 0, result.output
    assert result.output == f"seeded {path}: 1 organization(s), 1 project(s)\n"
    sdk = SDK(f"{tag}-key", host=live_server.url)
    (project,) = sdk.list_projects()["data"]["projects"]
    assert project["name"] == f"From the CLI {tag}"
    assert [t["externalId"] for t in sdk.get_tasks(project["_id"])["data"]["tasks"]] == ["a.png"]


def test_seed_reports_what_the_server_refused(tmp_path, live_server, seeded_keys):
    tag = f"cli-{uuid.uuid4().hex[:10]}"
    seeded_keys.append(f"{tag}-key")
    path = write_json(tmp_path / "fixture.json", fixture_document(tag))
    assert invoke("seed", path, "--url", live_server.url).exit_code == 0
    before = AngoClient("", live_server.url).health()["counts"]

    result = invoke("seed", path, "--url", live_server.url)

    assert result.exit_code == 1
    assert f"{live_server.url} refused the fixture: fixture: organizations[0].users[0].apiKey: {tag}-key is " \
           "already in use" in result.output
    assert AngoClient("", live_server.url).health()["counts"] == before


def test_snapshot_writes_a_file_that_seed_loads_into_a_fresh_server(tmp_path):
    key, out = f"cli-snap-{uuid.uuid4().hex[:8]}", tmp_path / "out.json"
    with LiveServer(create_app()) as source:
        project_id = SDK(key, host=source.url).create_project("Saved", "")["data"]["project"]["_id"]
        written = invoke("snapshot", "--url", source.url, "-o", out)
    with LiveServer(create_app()) as target:
        loaded = invoke("seed", out, "--url", target.url)
        project = SDK(key, host=target.url).get_project(project_id)["data"]["project"]

    assert (written.exit_code, written.output) == (0, f"wrote {out}\n")
    assert json.loads(out.read_text(encoding="utf-8"))["snapshot"]["version"] == 1
    assert loaded.exit_code == 0, loaded.output
    assert project["name"] == "Saved"


def test_snapshot_without_output_prints_the_document(live_server):
    result = invoke("snapshot", "--url", live_server.url)

    assert result.exit_code == 0
    assert json.loads(result.output) == AngoClient("", live_server.url).snapshot(scope="server")


# --- coverage and unreachable servers -------------------------------------------------------------------------

def test_coverage_check_passes_for_the_committed_table():
    result = invoke("coverage", "--check", ROOT / "docs" / "coverage.md")

    assert (result.exit_code, result.output) == (0, f"{ROOT / 'docs' / 'coverage.md'} is current\n")


def test_coverage_check_fails_for_a_stale_table(tmp_path):
    stale = tmp_path / "coverage.md"
    stale.write_text("# SDK coverage\n", encoding="utf-8")

    result = invoke("coverage", "--check", stale)

    assert result.exit_code == 1
    assert f"{stale} is stale: run `mockhub coverage > {stale}`" in result.output


@pytest.mark.parametrize("command", ["seed", "snapshot"])
def test_a_server_nobody_runs_cannot_be_reached(tmp_path, command):
    url = f"http://127.0.0.1:{unused_port()}"
    args = [write_json(tmp_path / "f.json", fixture_document("unreached"))] if command == "seed" else []

    result = invoke(command, *args, "--url", url)

    assert result.exit_code == 1
    assert f"Error: cannot reach {url}: " in result.output
