"""docs/coverage.md's plugin section names exactly the plugin classes each release ships."""
import subprocess

import pytest

from mockhub.plugin_tools.coverage import PLUGIN_CLASSES
from tests.plugins.releases import CURRENT, LEGACY, PACKAGE, python_of

LIST_CLASSES = """
import inspect, socketio, {package}.plugins as plugins
print(" ".join(sorted(name for name, value in vars(plugins).items() if inspect.isclass(value)
                      and issubclass(value, socketio.ClientNamespace) and value.__module__ == plugins.__name__
                      and name.endswith("Plugin") and name not in ("BasePlugin", "Plugin"))))
"""


@pytest.mark.parametrize("release", [CURRENT, *LEGACY])
def test_every_plugin_class_of_the_release_is_listed(release):
    result = subprocess.run([python_of(release), "-c", LIST_CLASSES.format(package=PACKAGE[release])],
                            capture_output=True, text=True, timeout=120, check=True)
    listed = sorted(name for name, *_ in PLUGIN_CLASSES[release.replace("==", " ")])
    assert result.stdout.split() == listed
