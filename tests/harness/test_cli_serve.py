"""`mockhub serve` as people run it: every option also from a MOCKHUB_* variable (and --help says which),
fixture names where paths go, --log-requests, the stopped line on Ctrl-C, and `python -m mockhub` == `mockhub`."""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from imerit_ango.sdk import SDK

from mockhub.demo.setup import DEMO_KEY
from tests.harness.commands import invoke

VARIABLES = {"--host": "MOCKHUB_HOST", "--port": "MOCKHUB_PORT", "--fixtures": "MOCKHUB_FIXTURES",
             "--strict-auth": "MOCKHUB_STRICT_AUTH", "--seed": "MOCKHUB_SEED", "--data-file": "MOCKHUB_DATA_FILE",
             "--control-key": "MOCKHUB_CONTROL_KEY", "--log-requests": "MOCKHUB_LOG_REQUESTS"}


def fixture(tmp_path, name, key):
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps({"organizations": [{"name": name, "users": [{"email": f"a@{name}.test",
                                                                             "apiKey": key, "role": "admin"}]}]}),
                    encoding="utf-8")
    return path


def test_serve_help_names_the_variable_of_every_option():
    result = invoke("serve", "--help")

    assert result.exit_code == 0
    options = set(re.findall(r"^\s+(--[a-z-]+)", result.output, re.MULTILINE)) - {"--help"}
    assert options == set(VARIABLES)
    text = " ".join(result.output.split())
    for option, variable in VARIABLES.items():
        assert re.search(rf"{option}\b[^\[]*\[env var: {variable}\b", text), (option, variable)


def test_every_serve_option_can_come_from_the_environment(tmp_path, serve_once):
    first, second = fixture(tmp_path, "first", "first-key"), fixture(tmp_path, "second", "second-key")
    env = {"MOCKHUB_HOST": "127.0.0.1", "MOCKHUB_PORT": "0", "MOCKHUB_FIXTURES": f"{first}{os.pathsep}{second}",
           "MOCKHUB_STRICT_AUTH": "1", "MOCKHUB_SEED": "7", "MOCKHUB_DATA_FILE": str(tmp_path / "state.json"),
           "MOCKHUB_LOG_REQUESTS": "true"}

    result = invoke("serve", env=env)

    assert result.exit_code == 0, result.output
    (server,) = serve_once
    assert server.host == "127.0.0.1" and server.port != 0
    assert (server.app.config["STRICT_AUTH"], server.app.config["SEED"]) == (True, 7)
    assert "  API key 'first-key'  ->  a@first.test (first)" in result.output
    assert "  API key 'second-key'  ->  a@second.test (second)" in result.output
    assert f"  state kept in {tmp_path / 'state.json'}" in result.output
    assert (tmp_path / "state.json").exists()  # saved at the stop
    assert "finish" in [f.__name__ for f in server.app.after_request_funcs[None]]  # the request log is on


def test_the_command_line_wins_over_the_environment(serve_once):
    result = invoke("serve", "--seed", 3, env={"MOCKHUB_SEED": "9", "MOCKHUB_PORT": "0"})

    assert result.exit_code == 0, result.output
    assert serve_once[0].app.config["SEED"] == 3


def test_serve_takes_a_shipped_fixture_by_name(serve_once):
    result = invoke("serve", "--port", 0, "--fixtures", "demo", "--strict-auth")

    assert result.exit_code == 0, result.output
    assert f"  API key '{DEMO_KEY}'  ->  admin@demo.mockhub (Demo Organization)" in result.output
    store = serve_once[0].app.extensions["mockhub"].store
    assert store.counts()["projects"] == 1


def test_seed_takes_a_shipped_fixture_by_name(live_server):
    from mockhub_client import AngoClient

    AngoClient("", live_server.url).reset(api_key=DEMO_KEY, missing_ok=True)
    try:
        result = invoke("seed", "demo", "--url", live_server.url)

        assert result.exit_code == 0, result.output
        assert result.output == "seeded fixtures/demo.json: 1 organization(s), 1 project(s)\n"
        assert SDK(DEMO_KEY, host=live_server.url).list_projects()["data"]["projects"]
    finally:
        AngoClient("", live_server.url).reset(api_key=DEMO_KEY, missing_ok=True)


# --- a real `mockhub serve` process -------------------------------------------------------------------------------

def test_log_requests_prints_a_line_per_request_and_ctrl_c_prints_stopped():
    process = subprocess.Popen([sys.executable, "-m", "mockhub", "serve", "--port", "0", "--log-requests"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = re.match(r"mockhub listening on (\S+)", process.stdout.readline()).group(1)
        sdk = SDK(DEMO_KEY, host=url)
        project_id = sdk.list_projects()["data"]["projects"][0]["_id"]
        organization = SDK(DEMO_KEY, host=url).get_project(project_id)["data"]["project"]["organization"]
        with pytest.raises(Exception, match="Invalid project"):
            sdk.get_project("0" * 24)
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)

    assert process.returncode == 0, err
    lines = out.splitlines()
    assert lines[-1] == "stopped"
    logged = [line for line in lines if line.startswith(("GET ", "POST "))]
    pattern = r"(GET) (\S+) (\d{3}) \d+\.\d ms org (\S+)"
    found = [re.fullmatch(pattern, line).groups() for line in logged]
    assert found == [("GET", "/v2/listProjects?page=1&limit=10", "200", organization),
                     ("GET", f"/v2/project/{project_id}", "200", organization),
                     ("GET", f"/v2/project/{'0' * 24}", "400", organization)]


def _run(*command):
    return subprocess.run(list(command), capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("args", [[], ["--help"], ["serve", "--port", "-1"], ["nosuchcommand"]],
                         ids=["no-subcommand", "help", "usage-error", "unknown-command"])
def test_python_dash_m_mockhub_behaves_exactly_like_mockhub(args):
    script = shutil.which("mockhub", path=str(Path(sys.executable).parent)) or shutil.which("mockhub")
    if script is None:
        pytest.skip("the mockhub console script is not installed")

    as_module, as_script = _run(sys.executable, "-m", "mockhub", *args), _run(script, *args)

    assert (as_module.returncode, as_module.stdout, as_module.stderr) == \
           (as_script.returncode, as_script.stdout, as_script.stderr)
    assert "Usage: mockhub" in as_module.stdout + as_module.stderr or "Error:" in as_module.stderr


# --- the snapshot round trip of docs/testing.md, as written ----------------------------------------------------

def _documented_round_trip():
    """The `mockhub snapshot ...` and `mockhub seed ... --replace` commands of docs/testing.md, as argument lists."""
    text = " ".join((Path(__file__).resolve().parents[2] / "docs" / "testing.md").read_text(encoding="utf-8").split())
    commands = re.findall(r"`mockhub (snapshot [^`]+|seed state\.json [^`]+)`", text)
    assert [c.split()[0] for c in commands] == ["snapshot", "seed"], commands
    return [c.split() for c in commands]


def test_the_documented_snapshot_round_trip_restores_the_server_it_came_from(tmp_path, monkeypatch):
    from mockhub.app import create_app
    from mockhub.server import LiveServer

    monkeypatch.chdir(tmp_path)
    snapshot_args, seed_args = _documented_round_trip()
    with LiveServer(create_app()) as server:
        sdk = SDK("round-trip-key", host=server.url)
        project_id = sdk.create_project("Kept", "")["data"]["project"]["_id"]
        url = lambda args: [server.url if a == "URL" else a for a in args]
        saved = invoke(*url(snapshot_args))
        sdk.create_project("Made after the snapshot", "")
        sdk.create_batch(project_id, "made after the snapshot")
        restored = invoke(*url(seed_args))

        assert saved.exit_code == 0 and restored.exit_code == 0, saved.output + restored.output
        assert restored.output.startswith("seeded state.json: ")
        projects = sdk.list_projects()["data"]["projects"]
        assert [(p["_id"], p["name"]) for p in projects] == [(project_id, "Kept")]
        assert sdk.get_project(project_id)["data"]["project"]["batches"] == []
