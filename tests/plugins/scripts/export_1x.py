"""Export plugin (imerit-ango 1.x): one row per exported task, zipped as rows.json."""
import io
import json
import zipfile

from behaviour import export_row, follow_config
from imerit_ango.plugins import ExportPlugin, ExportResponse, run

HOST = "<YOUR HOST>"
PLUGIN_ID = "<YOUR PLUGIN ID>"
PLUGIN_SECRET = "<YOUR PLUGIN SECRET>"


def export(data):
    logger = data["logger"]
    config = follow_config(data.get("configJSON"))
    logger.info(f"exporting {data['numTasks']} tasks of {data['projectId']}")
    rows = [export_row(r["externalId"], r["asset"], r["task"]["stage"], r["task"]["tools"])
            for r in data["jsonExport"]]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("rows.json", json.dumps({"config": config, "rows": rows}))
    logger.info(f"wrote {len(rows)} rows")
    return ExportResponse(archive, file_name=f"{data['projectId']}-rows.zip")


if __name__ == "__main__":
    run(ExportPlugin(id=PLUGIN_ID, secret=PLUGIN_SECRET, callback=export, host=HOST), host=HOST)
