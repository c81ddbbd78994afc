"""Export plugin (ango 0.1.18): the legacy export in, (file name, zip bytes) out."""
import io
import json
import zipfile

from ango.plugins import ExportPlugin, run
from behaviour import export_row, follow_config

HOST = "<YOUR HOST>"
PLUGIN_ID = "<YOUR PLUGIN ID>"
PLUGIN_SECRET = "<YOUR PLUGIN SECRET>"


def export(**data):
    logger = data["logger"]
    config = follow_config(data.get("configJSON"))
    logger.info(f"exporting {len(data['jsonExport'])} tasks of {data['projectId']}")
    rows = [export_row(r["externalId"], r["asset"], None, r["tasks"][0]["objects"]) for r in data["jsonExport"]]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("rows.json", json.dumps({"config": config, "rows": rows}))
    logger.info(f"wrote {len(rows)} rows")
    return f"{data['projectId']}-rows.zip", archive


if __name__ == "__main__":
    run(ExportPlugin(id=PLUGIN_ID, secret=PLUGIN_SECRET, callback=export, host=HOST), host=HOST)
