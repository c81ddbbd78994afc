"""Run a user's Ango plugin script, unmodified, against mockhub.

    MOCKHUB_PLUGIN_URL=http://127.0.0.1:8080 MOCKHUB_PLUGIN_ID=... MOCKHUB_PLUGIN_SECRET=... \\
        python launcher.py SCRIPT [ARGS...]

This file runs in the *plugin's* Python (the SDK release the script was written for: imerit-ango 1.4.10 or
1.3.14, or ango 0.1.18), which never has mockhub installed: it imports nothing but the standard library and
the SDK. Before the script runs it points every address the script can name at mockhub:
- `run(plugin, host=...)` connects to MOCKHUB_PLUGIN_URL, whatever host the script passes;
- every plugin object gets the registered id and secret (so its heartbeats are accepted) and, for the classes
  that have one, `host` = mockhub (the REST calls the SDK makes for Export and Model plugins);
- `SDK(api_key, host=...)` built anywhere (the samples build one in their callbacks) talks to mockhub.
`CONNECTOR` is forced to `WS` (read by the SDK at import): mockhub hosts plugins over Socket.IO only.
"""
import functools
import importlib
import importlib.util
import os
import runpy
import sys

# (plugins module, base plugin class, SDK module) of each release; the first two are 1.x, the last 0.1.18.
RELEASES = (("imerit_ango.plugins", "BasePlugin", "imerit_ango.sdk"),
            ("imerit_ango.plugins", "Plugin", "imerit_ango.sdk"),
            ("ango.plugins", "Plugin", "ango.sdk"))


def _installed(module):
    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:  # the parent package is missing
        return False


def _point_sdk_at(sdk_class, url):
    original = sdk_class.__init__

    @functools.wraps(original)
    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.host = url

    sdk_class.__init__ = __init__


def _point_plugins_at(module, base, url, plugin_id, secret):
    original_init, original_run = base.__init__, module.run

    @functools.wraps(original_init)
    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self.id, self.secret = plugin_id, secret

    @functools.wraps(original_run)
    def run(plugin, *args, **kwargs):
        plugin.id, plugin.secret, plugin.host = plugin_id, secret, url
        return original_run(plugin, url)

    base.__init__ = __init__
    module.run = run


def patch(url, plugin_id, secret):
    """Point every installed release's plugins and SDK at `url`; return the plugin modules patched."""
    patched = []
    for module_name, base_name, sdk_module in RELEASES:
        if module_name in patched or not _installed(module_name):
            continue
        module = importlib.import_module(module_name)
        base = getattr(module, base_name, None)
        if base is None:
            continue
        _point_plugins_at(module, base, url, plugin_id, secret)
        _point_sdk_at(importlib.import_module(sdk_module).SDK, url)
        patched.append(module_name)
    return patched


def main(argv):
    if not argv:
        sys.stderr.write("usage: launcher.py SCRIPT [ARGS...]\n")
        return 2
    script = os.path.abspath(argv[0])
    url, plugin_id, secret = (os.environ[f"MOCKHUB_PLUGIN_{name}"] for name in ("URL", "ID", "SECRET"))
    os.environ["CONNECTOR"] = "WS"
    sys.path[0] = os.path.dirname(script)  # as `python SCRIPT` would have it (not this file's folder)
    if not patch(url, plugin_id, secret):
        sys.stderr.write("mockhub: neither imerit_ango nor ango is installed in this Python "
                         f"({sys.executable}); pass --python with the plugin's environment\n")
        return 2
    sys.argv = [script, *argv[1:]]
    runpy.run_path(script, run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
