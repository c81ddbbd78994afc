"""The pattern of the published samples' older export plugin: a `callback(**data)` returning (name, zip), as
ango 0.1.18 wanted, started under imerit-ango 1.x (which calls `callback(data)` and wants an ExportResponse)."""
import io

from imerit_ango.plugins import ExportPlugin, run

HOST = "<YOUR HOST>"
PLUGIN_ID = "<YOUR PLUGIN ID>"
PLUGIN_SECRET = "<YOUR PLUGIN SECRET>"


def export(**data):
    return "export.zip", io.BytesIO(b"")


if __name__ == "__main__":
    run(ExportPlugin(id=PLUGIN_ID, secret=PLUGIN_SECRET, callback=export, host=HOST), host=HOST)
