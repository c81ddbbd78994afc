"""The launcher points an unmodified script's plugin id, secret and every host at mockhub, in each release's
own Python, before the script runs; and a plugin whose server is unreachable ends (as the SDK makes it)."""
import socket
import subprocess
import sys

import pytest

from mockhub.plugin_tools.process import LAUNCHER
from tests.plugins.releases import CURRENT, LEGACY, PACKAGE, python_of

SCRIPT = '''
import sys
from {package}.plugins import ExportPlugin, ModelPlugin, run
from {package}.sdk import SDK

HOST = "https://imeritapi.ango.ai"
plugin = ExportPlugin(id="<YOUR PLUGIN ID>", secret="<YOUR PLUGIN SECRET>", callback=print, host=HOST)
model = ModelPlugin(id="<YOUR PLUGIN ID>", secret="<YOUR PLUGIN SECRET>", callback=print)
print("seen", plugin.id, plugin.secret, model.id, SDK("a-key", host=HOST).host, SDK("a-key").host, __name__,
      sys.argv[1:], flush=True)
run(plugin, host=HOST)
print("run returned", plugin.host)
'''


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("release", [CURRENT, *LEGACY])
def test_script_sees_mockhub_and_the_registered_credentials(release, tmp_path):
    script = tmp_path / "my_plugin.py"
    script.write_text(SCRIPT.format(package=PACKAGE[release]))
    url = f"http://127.0.0.1:{closed_port()}"
    env = {"MOCKHUB_PLUGIN_URL": url, "MOCKHUB_PLUGIN_ID": "plugin-1", "MOCKHUB_PLUGIN_SECRET": "s3cret",
           "CONNECTOR": "REST", "PATH": "/usr/bin:/bin"}
    result = subprocess.run([python_of(release), str(LAUNCHER), str(script), "--flag"], env=env,
                            capture_output=True, text=True, timeout=120)
    output = result.stdout + result.stderr
    assert f"seen plugin-1 s3cret plugin-1 {url} {url} __main__ ['--flag']" in result.stdout, output
    # CONNECTOR=REST from the environment is overridden: the plugin tried the socket on mockhub's port.
    assert "run returned" not in result.stdout and "uvicorn" not in output.lower(), output
    if release == "ango==0.1.18":  # the connection error names the address it tried
        assert result.returncode != 0 and f"port={url.rsplit(':', 1)[1]}" in output, output
    else:  # 1.x: os._exit(1) on a failed connect
        assert result.returncode == 1, output


def test_a_python_without_any_sdk_gets_one_line(tmp_path):
    script = tmp_path / "p.py"
    script.write_text("print('never')\n")
    env = {"MOCKHUB_PLUGIN_URL": "http://127.0.0.1:9", "MOCKHUB_PLUGIN_ID": "i", "MOCKHUB_PLUGIN_SECRET": "s"}
    result = subprocess.run([sys.executable, "-S", "-I", str(LAUNCHER), str(script)], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "neither imerit_ango nor ango" in result.stderr and not result.stdout
