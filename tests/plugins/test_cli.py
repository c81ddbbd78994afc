"""`mockhub plugin SCRIPT` with imerit-ango 1.4.10: registers the plugin, runs the unmodified script against a
running server or one it starts, prints the plugin's sessions, stops both on Ctrl-C, and fails in one line."""
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time

import pytest
from mockhub_client import AngoClient

from tests.plugins.projects import SCRIPTS, gone, make_project
from tests.plugins.releases import python_of

EXPORT = str(SCRIPTS / "export_1x.py")


class Cli:
    """`python -m mockhub plugin ...` in a subprocess, its output read line by line."""

    def __init__(self, *args):
        self.process = subprocess.Popen([sys.executable, "-m", "mockhub", "plugin", *args], stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, env=dict(os.environ, PYTHONUNBUFFERED="1"))
        self.lines, self._queue = [], queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self.process.stdout.close()
        self._queue.put(None)

    def expect(self, pattern, timeout=60):
        """The first match of `pattern` in the next lines (fail with the output so far if none comes)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
            match = re.search(pattern, line)
            if match:
                return match
        raise AssertionError(f"no line matching {pattern!r}; output:\n" + "\n".join(self.lines))

    def interrupt(self):
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=30)

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        self._reader.join(timeout=10)


@pytest.fixture
def cli():
    started = []

    def run(*args):
        started.append(Cli(*args))
        return started[-1]

    yield run
    for process in started:
        process.kill()


@pytest.mark.slow
def test_runs_the_script_against_a_running_server_and_prints_its_sessions(cli, mockhub):
    project_id = make_project(mockhub.sdk(), ["a", "b"])
    command = cli(EXPORT, "--url", mockhub.url, "--api-key", mockhub.api_key, "--type", "Export")
    registered = command.expect(r"registered: id (\w+), secret \S+; starting .* \(pid (\d+)\)")
    plugin_id, plugin_pid = registered.group(1), int(registered.group(2))
    command.expect(rf"plugin {plugin_id} is live on {re.escape(mockhub.url)}")

    session = mockhub.client.run_plugin(plugin_id, project_id, stage=["Label"], wait=60)

    assert session["status"] == "completed", session
    command.expect(rf"\[session {session['_id']}\] INFO exporting 2 tasks of {project_id}")
    command.expect(rf"\[session {session['_id']}\] completed: download {re.escape(session['download'])}")
    assert command.interrupt() == 0
    command.expect("^stopped$")
    assert gone(plugin_pid)


@pytest.mark.slow
def test_without_url_it_starts_a_server_with_the_demo_and_runs_on_request(cli):
    command = cli(EXPORT)
    url = command.expect(r"is live on (http://\S+) \(API key 'mockhub-demo-key'\)").group(1)
    demo_project = command.expect(r"^  project (\w+)  Vehicle detection").group(1)

    client = AngoClient("mockhub-demo-key", url)
    plugin_id = client.list_plugins()[0]["_id"]
    session = client.run_plugin(plugin_id, demo_project, stage=["Label", "Review", "Complete"], wait=60)
    assert session["status"] == "completed", session
    command.expect(rf"\[session {session['_id']}\] completed: download")
    assert command.interrupt() == 0
    with pytest.raises(OSError):
        client.health()  # the server went with it


@pytest.mark.slow
def test_python_runs_the_script_in_an_older_releases_environment(cli, mockhub):
    project_id = make_project(mockhub.sdk(), ["a"])
    command = cli(str(SCRIPTS / "export_0118.py"), "--url", mockhub.url, "--api-key", mockhub.api_key,
                  "--python", python_of("ango==0.1.18"), "--id", "my-plugin-id", "--secret", "my-secret",
                  "--run", project_id, "--config", '{"from": "cli"}')
    command.expect(r"registered: id my-plugin-id, secret my-secret;")
    command.expect(r"plugin my-plugin-id is live")
    session_id = command.expect(r"\[session (\w+)\] completed: download").group(1)
    session = mockhub.client.get_plugin_session(session_id)
    assert session["plugin"] == "my-plugin-id"
    assert f"exporting 1 tasks of {project_id}" in [entry["msg"] for entry in session["logs"]]
    assert command.interrupt() == 0


@pytest.mark.slow
def test_a_refused_run_is_one_line_and_stops_the_plugin(cli, mockhub):
    command = cli(EXPORT, "--url", mockhub.url, "--api-key", mockhub.api_key, "--run", "0" * 24)
    pid = int(command.expect(r"\(pid (\d+)\)").group(1))
    command.expect(r"^Error: the run on project 0{24} was refused: ")
    assert command.process.wait(timeout=30) == 1
    assert gone(pid)


@pytest.mark.parametrize("args, message", [
    (["missing.py"], "File 'missing.py' does not exist"),
    ([EXPORT, "--url", "http://127.0.0.1:9"], "cannot reach mockhub at http://127.0.0.1:9"),
    ([EXPORT, "--id", "only-an-id"], "--id and --secret go together"),
    ([EXPORT, "--type", "Exporter"], "Invalid value for '--type'"),
])
def test_errors_are_one_line(args, message):
    result = subprocess.run([sys.executable, "-m", "mockhub", "plugin", *args], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode != 0 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not result.stdout


def test_a_script_that_ends_before_going_live_is_reported(tmp_path, mockhub):
    broken = tmp_path / "broken.py"
    broken.write_text("raise SystemExit('config file missing')\n")
    result = subprocess.run([sys.executable, "-m", "mockhub", "plugin", str(broken), "--url", mockhub.url,
                             "--api-key", mockhub.api_key], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result
    assert "config file missing" in result.stdout  # the script's own output is shown
    assert re.search(r"Error: plugin script .*broken.py exited with code 1 before going live", result.stderr)
