"""The `ango_plugin` fixture, as a user's suite gets it (the pytest plugin, in a fresh pytest process): the
plugin is live when the test starts, its process is killed after the test, and a script that dies is reported."""
import pytest

from tests.plugins.projects import SCRIPTS, gone

pytest_plugins = ["pytester"]
QUIET = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-p", "no:anyio")

INNER = '''
from pathlib import Path


def test_plugin_is_live_in_the_tests_organization(ango_plugin, mockhub):
    plugin = ango_plugin(r"{script}", type="Export")
    record = plugin.info()
    assert record["live"] and record["organization"] == mockhub.organization()
    Path("pid").write_text(str(plugin.pid))


def test_a_dying_script(ango_plugin, tmp_path):
    script = tmp_path / "broken.py"
    script.write_text("print('no model file'); raise SystemExit(3)")
    ango_plugin(script, type="Model")
'''


@pytest.mark.slow  # a pytest process of its own
def test_live_during_the_test_killed_after_it_and_a_dying_script_reported(pytester):
    pytester.makepyfile(test_inner=INNER.format(script=SCRIPTS / "export_1x.py"))
    result = pytester.runpytest_subprocess("-q", *QUIET, timeout=300)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*PluginExited: plugin script *broken.py exited with code 3 before going live*",
                                 "*no model file*"])
    pid = int((pytester.path / "pid").read_text())
    assert gone(pid)
