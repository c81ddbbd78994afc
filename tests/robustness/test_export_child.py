"""Exports built in a child process forked under the organization's lock (`mockhub.export.forked`, what big
projects get on Linux): the same records as in-process, while another organization writes; if the child dies,
the export is built in the server instead; no process, pipe, `--data-file` write or process-wide setting (the
collector's pause, the GIL switch interval of in-process builds) is left behind."""
import gc
import json
import os
import signal
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from imerit_ango.sdk import SDK

from mockhub.export import forked, records
from tests.sdk.helpers import download

pytestmark = pytest.mark.skipif(not forked.available(), reason="exports fork on Linux only")


@pytest.fixture
def in_child(monkeypatch):
    monkeypatch.setattr(forked, "MIN_TASKS", 0)


def _project(sdk, count, name="child export"):
    project_id = sdk.create_project(name, "")["data"]["project"]["_id"]
    sdk.upload_files_cloud(project_id, [{"data": f"https://x/{i}.png", "externalId": f"{i}.png"} for i in range(count)])
    return project_id


def _export(url, key, project_id, **params):
    response = requests.get(f"{url}/v2/export", params={"project": project_id, **params}, headers={"apikey": key},
                            timeout=120)
    assert response.status_code == 200, response.text
    (name,), content = download(response.json()["data"]["exportPath"])
    return name, content


def _children():
    """Processes whose parent is this one (zombies included: an unreaped child is a leak too)."""
    found = set()
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == os.getpid():
            found.add(int(entry))
    return found


def _pipes():
    pipes = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{fd}").startswith("pipe:"):
                pipes.add(fd)
        except OSError:
            pass
    return pipes


def test_an_export_in_a_child_has_the_records_of_one_built_in_the_server(live_server, monkeypatch):
    key = "export-child-same-records"
    project_id = _project(SDK(key, host=live_server.url), 40)
    for params in ({}, {"format": "ndjson"}, {"type": "issue"}, {"batches": "true"}):
        in_server = _export(live_server.url, key, project_id, stage='["Label"]', **params)
        assert params.get("type") == "issue" or len(in_server[1]) > 40 * 50  # every task is in there
        monkeypatch.setattr(forked, "MIN_TASKS", 0)
        assert _export(live_server.url, key, project_id, stage='["Label"]', **params) == in_server
        monkeypatch.setattr(forked, "MIN_TASKS", None)


def test_exports_while_another_organization_writes_lose_no_record_and_no_write(live_server, in_child):
    exporter, other = SDK("export-child-a", host=live_server.url), SDK("export-child-b", host=live_server.url)
    project_id, other_project = _project(exporter, 50), _project(other, 1, "writes meanwhile")
    stop, written, errors = threading.Event(), [], []

    def write():
        session = requests.Session()
        while not stop.is_set() and len(written) < 200:
            external_id = f"w{len(written)}.png"
            answer = session.post(f"{live_server.url}/v2/project/{other_project}/cloud", headers={"apikey": "export-child-b"},
                                  json={"assets": [{"data": "https://x/w.png", "externalId": external_id}]}, timeout=60)
            (written.append(external_id) if answer.ok else errors.append(answer.text[:300]))

    thread = threading.Thread(target=write)
    thread.start()
    try:
        exports = [json.loads(_export(live_server.url, "export-child-a", project_id, stage='["Label"]')[1])
                   for _ in range(5)]
    finally:
        stop.set()
        thread.join(60)
    assert errors == [] and written
    for exported in exports:
        assert sorted(r["externalId"] for r in exported) == sorted(f"{i}.png" for i in range(50))
    assets = other.get_assets(other_project, limit=1000)["data"]
    assert {a["externalId"] for a in assets["assets"]} == {"0.png", *written}


def test_an_export_whose_child_dies_is_built_in_the_server_and_leaves_no_process_or_pipe(live_server, in_child,
                                                                                         monkeypatch):
    key = "export-child-dies"
    project_id = _project(SDK(key, host=live_server.url), 30)
    monkeypatch.setattr(forked, "MIN_TASKS", None)
    expected = _export(live_server.url, key, project_id, stage='["Label"]')
    monkeypatch.setattr(forked, "MIN_TASKS", 0)
    server, build = os.getpid(), records.build

    def dies_in_the_child(snapshot, options):
        if os.getpid() != server:
            os.kill(os.getpid(), signal.SIGKILL)
        return build(snapshot, options)

    children, pipes = _children(), _pipes()
    monkeypatch.setattr(records, "build", dies_in_the_child)
    assert _export(live_server.url, key, project_id, stage='["Label"]') == expected
    monkeypatch.setattr(records, "build", build)
    assert _export(live_server.url, key, project_id, stage='["Label"]') == expected  # the next one forks again
    assert _children() <= children and _pipes() <= pipes


def test_a_refused_export_in_child_mode_is_a_4xx_json_error(live_server, in_child):
    key = "export-child-refused"
    project_id = _project(SDK(key, host=live_server.url), 3)
    children = _children()
    for params in ({"project": project_id, "stage": '{"a": 1}'}, {"project": "0123456789abcdef01234567"},
                   {"project": project_id, "type": "everything"}):
        answer = requests.get(f"{live_server.url}/v2/export", params=params, headers={"apikey": key}, timeout=60)
        assert 400 <= answer.status_code < 500 and answer.json()["status"] == "fail", answer.text
    assert _children() <= children


def test_an_export_child_writes_nothing_to_the_data_file(tmp_path):
    from tests.robustness.test_persistence import KEY, project_of, start, stop

    data_file = str(tmp_path / "hub.log")
    env = dict(os.environ, MOCKHUB_EXPORT_FORK_FROM="0")
    process, url = start(data_file, env=env)
    try:
        project_id = project_of(url)
        with open(data_file, "rb") as handle:
            before = handle.read().rstrip(b"\0")  # the log grows in zeroed chunks
        name, _ = _export(url, KEY, project_id)
        assert name.startswith(project_id)
        with open(data_file, "rb") as handle:
            assert handle.read().startswith(before)  # nothing overwritten: only the server appended (the zip)
        answer = requests.post(f"{url}/v2/project/{project_id}/cloud", headers={"apikey": KEY}, timeout=60,
                               json={"assets": [{"data": "https://x/after.png", "externalId": "after.png"}]})
        assert answer.status_code == 201
    finally:
        stop(process)
    process, url = start(data_file, env=env)
    try:
        assets = requests.get(f"{url}/v2/project/{project_id}/assets?limit=1000", headers={"apikey": KEY},
                              timeout=60).json()["data"]["assets"]
        assert "after.png" in {a["externalId"] for a in assets}
        assert _export(url, KEY, project_id)[0] == name
    finally:
        stop(process)


def test_overlapping_exports_leave_the_collector_and_the_switch_interval_as_they_were(live_server, monkeypatch):
    keys = [f"export-overlap-{n}" for n in range(4)]
    projects = [_project(SDK(key, host=live_server.url), 20) for key in keys]
    before = gc.isenabled(), sys.getswitchinterval()
    monkeypatch.setattr(forked, "MIN_TASKS", 21)  # two organizations' projects are built in a child, two in-process
    for key in keys[:2]:
        SDK(key, host=live_server.url).upload_files_cloud(projects[keys.index(key)], [
            {"data": "https://x/more.png", "externalId": "more.png"}])
    with ThreadPoolExecutor(4) as pool:
        names = list(pool.map(lambda n: _export(live_server.url, keys[n % 4], projects[n % 4])[0], range(12)))
    assert names == [f"{projects[n % 4]}.json" for n in range(12)]
    assert (gc.isenabled(), sys.getswitchinterval()) == before


def test_an_export_that_cannot_fork_is_built_in_the_server(live_server, monkeypatch):
    key = "export-child-no-fork"
    project_id = _project(SDK(key, host=live_server.url), 10)
    expected = _export(live_server.url, key, project_id, stage='["Label"]')
    pipes = _pipes()

    def no_fork():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(forked, "MIN_TASKS", 0)
    monkeypatch.setattr(os, "fork", no_fork)
    assert _export(live_server.url, key, project_id, stage='["Label"]') == expected
    assert _pipes() <= pipes
