"""An Export plugin as a user writes it (imerit-ango 1.x): the export's rows as one JSON file in a zip."""
import io
import json
import zipfile

from imerit_ango.plugins import ExportPlugin, ExportResponse, run

HOST = "https://imeritapi.ango.ai"


def callback(data):
    logger = data["logger"]
    rows = list(data["jsonExport"]) if not isinstance(data["jsonExport"], list) else data["jsonExport"]
    logger.info("exporting %s tasks of project %s", data.get("numTasks"), data["projectId"])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("export.json", json.dumps(rows))
    return ExportResponse(file=buffer, file_name="export.zip")


if __name__ == "__main__":
    run(ExportPlugin(id="<YOUR PLUGIN ID>", secret="<YOUR PLUGIN SECRET>", callback=callback, host=HOST), host=HOST)
