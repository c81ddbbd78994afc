"""`serve --data-file`: a write answered 2xx survives a SIGKILL (concurrent writers, many rounds), a restart
with `--seed` hands out no id twice, a torn log tail is ignored and a corrupt file is a one-line error."""
import os
import random
import signal
import subprocess
import sys
import threading
import time

import pytest
import requests

KEY = "mockhub-demo-key"


def start(data_file, *extra, env=None):
    """Start `mockhub serve` on a free port (with `env` as its environment, if given); return (process, url).
    The process's output is read to its end by a thread, so the pipe never fills and is closed when the
    process exits."""
    process = subprocess.Popen([sys.executable, "-m", "mockhub", "serve", "--port", "0", "--data-file", data_file,
                                *extra], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    first = process.stdout.readline()
    assert first.startswith("mockhub listening on "), first

    def drain():
        with process.stdout:
            for _ in process.stdout:
                pass

    threading.Thread(target=drain, daemon=True).start()
    return process, first.split()[3]


def stop(process):
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0


def project_of(url, key=KEY):
    response = requests.get(f"{url}/v2/listProjects", headers={"apikey": key}, timeout=30)
    return response.json()["data"]["projects"][0]["_id"]


def all_assets(url, project_id):
    assets, page = [], 1
    while True:
        data = requests.get(f"{url}/v2/project/{project_id}/assets?limit=1000&page={page}",
                            headers={"apikey": KEY}, timeout=30).json()["data"]
        assets += data["assets"]
        if len(assets) >= data["total"]:
            return assets
        page += 1


def writer(url, project_id, name, stop_event, acknowledged):
    """Upload assets with unique external ids until told to stop or the server dies; keep the acknowledged."""
    session, n = requests.Session(), 0
    while not stop_event.is_set():
        external_ids = [f"{name}-{n}-{i}" for i in range(3)]
        n += 1
        try:
            answer = session.post(f"{url}/v2/project/{project_id}/cloud", headers={"apikey": KEY}, timeout=30,
                                  json={"assets": [{"data": f"https://example.com/{e}.png", "externalId": e}
                                                   for e in external_ids]})
        except requests.RequestException:
            return
        if answer.status_code in (200, 201):
            acknowledged.extend(external_ids)


@pytest.mark.slow
def test_no_acknowledged_write_is_lost_over_ten_sigkills(tmp_path):
    data_file = str(tmp_path / "state.log")
    rng = random.Random(15)
    acknowledged = []
    for round_number in range(10):
        process, url = start(data_file)
        try:
            project_id = project_of(url)
            present = {a["externalId"] for a in all_assets(url, project_id)}
            assert set(acknowledged) <= present, f"round {round_number}: lost {set(acknowledged) - present}"
            stop_event = threading.Event()
            writers = [threading.Thread(target=writer, args=(url, project_id, f"r{round_number}w{w}", stop_event,
                                                             acknowledged)) for w in range(4)]
            for thread in writers:
                thread.start()
            time.sleep(0.3 + rng.random())
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
            stop_event.set()
            for thread in writers:
                thread.join(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=30)
    process, url = start(data_file)
    try:
        project_id = project_of(url)
        assets = all_assets(url, project_id)
        assert set(acknowledged) <= {a["externalId"] for a in assets}
        health = requests.get(f"{url}/_mockhub/health", timeout=30).json()
        assert health["counts"]["tasks"] == health["counts"]["assets"] == len(assets)  # no half-applied upload
        assert len(acknowledged) > 10  # the writers did get answers
    finally:
        stop(process)


def every_id(url):
    tables = requests.get(f"{url}/_mockhub/snapshot?scope=server", timeout=30).json()["snapshot"]["tables"]
    return [doc["_id"] for docs in tables.values() for doc in docs]


def test_a_restart_with_seed_hands_out_no_id_twice(tmp_path):
    data_file = str(tmp_path / "state.log")
    process, url = start(data_file, "--seed", "42")
    try:
        requests.get(f"{url}/v2/listProjects", headers={"apikey": "first-key"}, timeout=30)
        requests.post(f"{url}/v2/batches/{project_of(url)}", json={"name": "before"}, headers={"apikey": KEY},
                      timeout=30)
        before = every_id(url)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    process, url = start(data_file, "--seed", "42")
    try:
        assert requests.get(f"{url}/v2/listProjects", headers={"apikey": "second-key"},
                            timeout=30).json()["data"]["projects"] == []  # not the demo organization's project
        project_id = project_of(url)
        requests.post(f"{url}/v2/project/{project_id}/cloud", json={"assets": [{"data": "https://x/after.png"}]},
                      headers={"apikey": KEY}, timeout=30)
        after = every_id(url)
        assert set(before) <= set(after) and len(after) > len(before)
        assert len(after) == len(set(after))
    finally:
        stop(process)


def end_of_log(data_file):
    with open(data_file, "rb") as handle:
        data = handle.read()
    return data.find(b"\0") if b"\0" in data else len(data)


def test_a_torn_last_line_is_ignored(tmp_path):
    data_file = str(tmp_path / "state.log")
    process, url = start(data_file)
    project_id = project_of(url)
    requests.post(f"{url}/v2/batches/{project_id}", json={"name": "kept"}, headers={"apikey": KEY}, timeout=30)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    with open(data_file, "r+b") as handle:  # a crash in mid-append: half a line, then the file's zeroed room
        handle.seek(end_of_log(data_file))
        handle.write(b'{"t":{"projects":{"' + project_id.encode() + b'":{"_id":')
    process, url = start(data_file)
    try:
        project = requests.get(f"{url}/v2/project/{project_id}", headers={"apikey": KEY}, timeout=30).json()
        assert "kept" in [b["name"] for b in project["data"]["project"]["batches"]]
    finally:
        stop(process)


def serve_error(data_file):
    result = subprocess.run([sys.executable, "-m", "mockhub", "serve", "--port", "0", "--data-file", data_file],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and result.stdout == ""
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    return result.stderr.strip()


def test_a_corrupt_or_unreadable_data_file_is_a_one_line_error(tmp_path):
    data_file = str(tmp_path / "state.log")
    process, url = start(data_file)
    requests.post(f"{url}/v2/batches/{project_of(url)}", json={"name": "b"}, headers={"apikey": KEY}, timeout=30)
    stop(process)
    with open(data_file, "rb") as handle:
        lines = handle.read().rstrip(b"\0").split(b"\n")
    with open(data_file, "wb") as handle:  # a line in the middle damaged
        handle.write(b"\n".join(lines[:2] + [b'{"t": {"tasks": nope}}'] + lines[2:]))
    assert serve_error(data_file) == f"Error: {data_file}: line 3 is not a mockhub data-file record (Expecting " \
                                     f"value)"
    fixture = tmp_path / "fixture.json"
    fixture.write_text('{"organizations": []}\n')
    assert serve_error(str(fixture)) == f"Error: {fixture}: not a mockhub data file (no data-file header on line 1)"
    newer = tmp_path / "newer.log"
    newer.write_text('{"mockhub":"data-file","version":99}\n')
    assert serve_error(str(newer)) == f"Error: {newer}: a data file of version 99, this mockhub reads version 2"


def test_a_clean_stop_keeps_the_last_change(tmp_path):
    data_file = str(tmp_path / "state.log")
    process, url = start(data_file)
    project_id = project_of(url)
    requests.post(f"{url}/v2/batches/{project_id}", json={"name": "saved-at-exit"}, headers={"apikey": KEY},
                  timeout=30)
    stop(process)
    process, url = start(data_file)
    try:
        project = requests.get(f"{url}/v2/project/{project_id}", headers={"apikey": KEY}, timeout=30).json()
        assert "saved-at-exit" in [b["name"] for b in project["data"]["project"]["batches"]]
    finally:
        stop(process)


@pytest.mark.slow  # a real plugin process, two servers
def test_a_registered_plugin_survives_a_sigkill_and_its_script_goes_live_again(tmp_path):
    """A plugin script with hard-coded credentials (id and secret) works after `serve --data-file` is killed
    and restarted, without registering the plugin again; its sessions (running jobs) are not kept."""
    from mockhub.plugin_tools.process import PluginHandle, PluginProcess, start_plugin
    from tests.plugins.projects import SCRIPTS

    data_file = str(tmp_path / "state.jsonl")
    process, url = start(data_file)
    plugin = start_plugin(url, KEY, SCRIPTS / "export_1x.py", "Export", name="nightly export",
                          plugin_id="nightly-export", secret="hard-coded-secret")
    try:
        first = plugin.run(project_of(url))
        assert first["status"] == "completed", first
    finally:
        plugin.stop()
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    process, url = start(data_file)
    try:
        record = {"_id": "nightly-export", "secret": "hard-coded-secret", "name": "nightly export", "type": "Export"}
        script = PluginProcess(SCRIPTS / "export_1x.py", url, record["_id"], record["secret"])
        again = PluginHandle(url, KEY, record, script).start(live=True, timeout=60)
        try:
            (listed,) = again.client.list_plugins()
            assert {k: listed[k] for k in record} == record and listed["live"]
            assert again.sessions() == []
            session = again.run(project_of(url))
            assert session["status"] == "completed", session
        finally:
            again.stop()
    finally:
        stop(process)
