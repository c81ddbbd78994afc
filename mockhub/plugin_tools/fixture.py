"""The `ango_plugin` pytest fixture (exported by mockhub's pytest plugin)."""
import pytest

from mockhub.plugin_tools.process import start_plugin


@pytest.fixture
def ango_plugin(mockhub):
    """Start Ango plugin scripts against the test's server, in the test's organization.

    `ango_plugin(script, type="Export", python=None, **options)` registers the plugin, runs the unmodified
    script in a subprocess (with `python`, e.g. the venv of an older SDK release; default: this Python),
    waits until it is live and returns a handle: `.id`, `.secret`, `.run(project_id, **run_fields)` (the
    finished session), `.sessions()`, `.download(session)`, `.info()`, `.output()`. Options: `name`, `id`
    and `secret` (kept by the registration), `script_secret` (start the script with another secret),
    `live=False` (do not wait), `start=False` (start it later
    with `.start()`), `args`, `env`, `timeout`. Every process is killed by PID after the test.
    """
    started = []

    def start(script, type="Export", python=None, **options):
        options.setdefault("plugin_id", options.pop("id", None))
        handle = start_plugin(mockhub.url, mockhub.api_key, script, type, python, **options)
        started.append(handle)
        return handle

    yield start
    for handle in started:
        handle.stop()
