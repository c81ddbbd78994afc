"""A user's plugin script registered on mockhub and running in a subprocess, pointed at it by the launcher.

`start_plugin` registers the plugin (the bundled client's `create_plugin`, for the key's organization);
`PluginProcess` runs the script in the Python given (the SDK release it was written for) through
`launcher.py`, keeps its output, and is stopped by PID; `PluginHandle` ties the two together for tests and
the `mockhub plugin` command: wait until live, run, read sessions, download an export.
"""
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from mockhub_client import AngoClient

LAUNCHER = Path(__file__).with_name("launcher.py")
TYPES = ("Export", "Model", "BatchModel", "FileExplorer", "Markdown", "Input")


class PluginExited(RuntimeError):
    """The plugin process ended (before going live, or while it was expected to run)."""


class PluginProcess:
    """`python launcher.py SCRIPT ARGS...` with the plugin's URL, id and secret in its environment."""

    def __init__(self, script, url, plugin_id, secret, python=None, args=(), env=None, echo=None):
        self.script, self.url, self.plugin_id, self.secret = str(script), url, plugin_id, secret
        self.python, self.args, self.env, self.echo = python or sys.executable, list(args), env or {}, echo
        self._lines, self._lock, self._process, self._reader = [], threading.Lock(), None, None

    def start(self):
        env = dict(os.environ, **self.env, MOCKHUB_PLUGIN_URL=self.url, MOCKHUB_PLUGIN_ID=self.plugin_id,
                   MOCKHUB_PLUGIN_SECRET=self.secret, PYTHONUNBUFFERED="1")
        command = [str(self.python), "-u", str(LAUNCHER), self.script, *self.args]
        self._process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, env=env, text=True, errors="replace")
        self._reader = threading.Thread(target=self._read, name=f"plugin-output-{self.pid}", daemon=True)
        self._reader.start()
        return self

    def _read(self):
        for line in self._process.stdout:
            with self._lock:
                self._lines.append(line)
            if self.echo:
                self.echo(line.rstrip("\n"))
        self._process.stdout.close()

    @property
    def pid(self):
        return self._process.pid

    def started(self):
        return self._process is not None

    def returncode(self):
        """None while the process runs, else its exit code."""
        return self._process.poll()

    def output(self):
        """Everything the script printed so far (stdout and stderr, in order)."""
        with self._lock:
            return "".join(self._lines)

    def stop(self):
        """Kill the process by its PID (plugins block forever in `run()`), and collect the rest of its output."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait(timeout=10)
        self._reader.join(timeout=5)


class PluginHandle:
    """A registered plugin and its running script: `.id`, `.run(project_id, **fields)`, `.output()`."""

    def __init__(self, url, api_key, plugin, process):
        self.url, self.plugin, self.process = url, plugin, process
        self.id, self.secret = plugin["_id"], plugin["secret"]
        self.client = AngoClient(api_key, url)

    @property
    def pid(self):
        return self.process.pid if self.process.started() else None

    def output(self):
        return self.process.output()

    def info(self, wait_live=None):
        """The plugin's record now (`live`, connections, rejected attempts); `wait_live` seconds at most."""
        return self.client.get_plugin(self.id, wait_live)

    def wait_live(self, timeout=60):
        """Block until the server counts the plugin live; raise PluginExited if the script ends first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.returncode() is not None:
                raise PluginExited(f"plugin script {self.process.script} exited with code "
                                   f"{self.process.returncode()} before going live:\n{self.output()}")
            if self.info(wait_live=1).get("live"):
                return self
        raise TimeoutError(f"plugin {self.id} not live after {timeout} s; its output:\n{self.output()}")

    def run(self, project_id, wait=None, **fields):
        """Start a run (`taskId`, `stage`, `batches`, `configJSON`, `timeout` as the control plane names them)
        and return its session once it ends (or after `wait` seconds: default the session timeout + 30; 0
        returns the queued session at once)."""
        fields.setdefault("timeout", 60)
        return self.client.run_plugin(self.id, project_id, fields["timeout"] + 30 if wait is None else wait,
                                      **fields)

    def session(self, session_id, wait=None):
        return self.client.get_plugin_session(session_id, wait)

    def sessions(self, **filters):
        return self.client.list_plugin_sessions(plugin=self.id, **filters)

    def download(self, session):
        """The bytes a finished export session produced."""
        return self.client.download_plugin_export(session)

    def start(self, live=True, timeout=60):
        """Start the script (when `start_plugin` was told not to) and, with `live`, wait until it is live."""
        self.process.start()
        if live:
            try:
                self.wait_live(timeout)
            except BaseException:
                self.stop()
                raise
        return self

    def stop(self):
        if self.process.started():
            self.process.stop()
        self.client.session.close()


def start_plugin(url, api_key, script, plugin_type="Export", python=None, name=None, plugin_id=None,
                 secret=None, script_secret=None, args=(), env=None, echo=None, live=True, timeout=60, start=True):
    """Register `script` as a plugin of the key's organization, start it (unless `start` is false: then call
    `.start()` later) and, with `live`, wait until it is live. `script_secret` starts the script with another
    secret than the registered one (a wrong-secret test)."""
    if plugin_type not in TYPES:
        raise ValueError(f"plugin type {plugin_type!r} is not one of {', '.join(TYPES)}")
    if not Path(script).is_file():
        raise FileNotFoundError(f"no plugin script {script}")
    client = AngoClient(api_key, url)
    try:
        plugin = client.create_plugin(name or Path(script).stem, plugin_type, plugin_id, secret)
    finally:
        client.session.close()
    process = PluginProcess(script, url, plugin["_id"], script_secret or plugin["secret"], python, args, env, echo)
    handle = PluginHandle(url, api_key, plugin, process)
    return handle.start(live, timeout) if start else handle
