"""`mockhub plugin SCRIPT`: what it refuses before any plugin runs gets one line, no traceback."""
import subprocess
import sys

import pytest

from tests.plugins.projects import SCRIPTS

EXPORT = str(SCRIPTS / "export_1x.py")


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
