"""docs/coverage.md's plugin section names exactly the plugin classes each release ships."""
import subprocess
from pathlib import Path

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


def test_the_tests_named_beside_each_class_exist_and_start_that_kind_of_plugin():
    root = Path(__file__).resolve().parents[2]
    for release, classes in PLUGIN_CLASSES.items():
        for name, _, _, tests in classes:
            for path in filter(None, tests.split(", ")):
                text = (root / path).read_text(encoding="utf-8")
                kind = name.removesuffix("Plugin")
                assert f'"{kind}"' in text or (kind == "Export" and "export" in text), (release, name, path)
