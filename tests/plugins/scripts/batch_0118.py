"""Batch model plugin (ango 0.1.18): pre-labels every asset of the project through the SDK's import."""
from ango.plugins import BatchModelPlugin, run
from ango.sdk import SDK
from behaviour import box, first_tool, follow_config

HOST = "<YOUR HOST>"
PLUGIN_ID = "<YOUR PLUGIN ID>"
PLUGIN_SECRET = "<YOUR PLUGIN SECRET>"


def prelabel(**data):
    follow_config(data.get("configJSON"))
    sdk = SDK(api_key=data["apiKey"], host=HOST)
    project = sdk.get_project(data["projectId"])["data"]["project"]
    schema_id = first_tool(data.get("categorySchema") or project["categorySchema"])
    assets = sdk.get_assets(data["projectId"], limit=1000)["data"]["assets"]
    labels = [{"externalId": a["externalId"], "objects": [box(schema_id, a["externalId"])]} for a in assets]
    sdk.import_labels(data["projectId"], labels)
    data["logger"].info(f"imported {len(labels)} pre-labels")
    return f"{len(labels)} assets pre-labeled"


if __name__ == "__main__":
    run(BatchModelPlugin(id=PLUGIN_ID, secret=PLUGIN_SECRET, callback=prelabel), host=HOST)
