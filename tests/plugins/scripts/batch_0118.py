"""Batch model plugin (ango 0.1.18): pre-labels every asset of the project through the SDK's import."""
from ango.plugins import BatchModelPlugin, run
from ango.sdk import SDK
from behaviour import follow_config, import_boxes

HOST = "<YOUR HOST>"
PLUGIN_ID = "<YOUR PLUGIN ID>"
PLUGIN_SECRET = "<YOUR PLUGIN SECRET>"


def prelabel(**data):
    follow_config(data.get("configJSON"))
    return import_boxes(SDK(api_key=data["apiKey"], host=HOST), data)


if __name__ == "__main__":
    run(BatchModelPlugin(id=PLUGIN_ID, secret=PLUGIN_SECRET, callback=prelabel), host=HOST)
