"""`--data-file` keeps state across restarts; a SIGKILL in the middle of a write storm leaves a file that the
restarted server loads into a consistent state."""
import json
import os
import signal
import subprocess
import sys
import threading
import time

import requests

KEY = "mockhub-demo-key"


def start(data_file):
    """Start `mockhub serve` on a free port; return (process, url). The process's output is read to its end
    by a thread, so the pipe never fills and is closed when the process exits."""
    process = subprocess.Popen([sys.executable, "-m", "mockhub", "serve", "--port", "0", "--data-file", data_file],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    first = process.stdout.readline()
    assert first.startswith("mockhub listening on "), first

    def drain():
        with process.stdout:
            for _ in process.stdout:
                pass

    threading.Thread(target=drain, daemon=True).start()
    return process, first.split()[3]


def project_of(url):
    response = requests.get(f"{url}/v2/listProjects", headers={"apikey": KEY}, timeout=10)
    return response.json()["data"]["projects"][0]["_id"]


def storm(url, project_id, stop, sent):
    """Upload small batches of assets until told to stop (or the server dies)."""
    session = requests.Session()
    while not stop.is_set():
        assets = [{"data": f"https://example.com/{len(sent)}-{i}.png"} for i in range(5)]
        try:
            session.post(f"{url}/v2/project/{project_id}/cloud", json={"assets": assets},
                         headers={"apikey": KEY}, timeout=5)
            sent.append(5)
        except requests.RequestException:
            return


def all_tasks(url, project_id):
    tasks, page = [], 1
    while True:
        data = requests.get(f"{url}/v2/project/{project_id}/tasks?limit=1000&page={page}",
                            headers={"apikey": KEY}, timeout=10).json()["data"]
        tasks += data["tasks"]
        if len(tasks) >= data["total"]:
            return tasks
        page += 1


def test_state_survives_a_sigkill_during_a_write_storm(tmp_path):
    data_file = str(tmp_path / "state.json")
    process, url = start(data_file)
    try:
        project_id = project_of(url)
        stop, sent = threading.Event(), []
        writers = [threading.Thread(target=storm, args=(url, project_id, stop, sent)) for _ in range(4)]
        for writer in writers:
            writer.start()
        time.sleep(1.5)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        stop.set()
        for writer in writers:
            writer.join(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    with open(data_file, encoding="utf-8") as handle:
        json.load(handle)  # whole, never torn
    restarted, url = start(data_file)
    try:
        health = requests.get(f"{url}/_mockhub/health", timeout=10).json()
        tasks = all_tasks(url, project_of(url))
        assert health["counts"]["tasks"] == health["counts"]["assets"] == len(tasks)
        assert 6 < len(tasks) <= 6 + sum(sent)  # the demo's six plus some of the storm, nothing invented
        assert all(task["asset"]["data"] and task["stage"] == "Label" for task in tasks)
        history = requests.get(f"{url}/v2/task/{tasks[0]['_id']}/history", headers={"apikey": KEY}, timeout=10)
        assert [h["stage"] for h in history.json()["data"]["taskHistory"]] == ["Start"]
    finally:
        restarted.send_signal(signal.SIGINT)
        restarted.wait(timeout=10)


def test_a_clean_stop_saves_the_last_change(tmp_path):
    data_file = str(tmp_path / "state.json")
    process, url = start(data_file)
    project_id = project_of(url)
    requests.post(f"{url}/v2/batches/{project_id}", json={"name": "saved-at-exit"}, headers={"apikey": KEY},
                  timeout=10)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 0
    process, url = start(data_file)
    try:
        project = requests.get(f"{url}/v2/project/{project_id}", headers={"apikey": KEY}, timeout=10).json()
        assert "saved-at-exit" in [b["name"] for b in project["data"]["project"]["batches"]]
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)
