"""Export, HTTP side. Endpoints: `/v2/export` (SDK 1.4.x, and ango 0.1.18's legacy flags) and `/v2/exportV3` (SDK 1.3.x)."""
from flask import Blueprint, current_app

from mockhub.api.arguments import arguments
from mockhub.api.common import caller, ok, store
from mockhub.api.files import file_url
from mockhub.export import records
from mockhub.export.gcpause import collector_paused
from mockhub.export.query import ExportQuery

bp = Blueprint("export", __name__)


def _export(project_id, options):
    with collector_paused():  # no GIL-holding collections while millions of copies come and go
        snapshot = store().export_snapshot(caller(), project_id, options)
        data, member, _ = records.build(snapshot, options)
    name = f"{member.rsplit('.', 1)[0]}-export.zip"
    file_id = store().save_export(caller(), project_id, name, data)
    current_app.logger.debug("export %s: %d bytes", name, len(data))
    return ok(exportPath=file_url(file_id, name))


@bp.get("/export")
@arguments(ExportQuery, location="query")
def export_project(query):
    return _export(query["project"], query["options"])


@bp.get("/exportV3")
@arguments(ExportQuery, location="query")
def export_v3(query):
    return _export(query["project"], query["options"])
