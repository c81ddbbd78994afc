"""Export, HTTP side. Endpoints: `/v2/export` (SDK 1.4.x, and ango 0.1.18's legacy flags) and `/v2/exportV3` (SDK 1.3.x)."""
from flask import Blueprint, current_app

from mockhub.api.arguments import arguments
from mockhub.api.common import caller, ok, store
from mockhub.api.files import file_url
from mockhub.export import forked, records
from mockhub.gcpause import collector_paused, switching_often
from mockhub.export.query import ExportQuery

bp = Blueprint("export", __name__)


def _zip(hub, user, project_id, options):
    """The export's zip, built in a forked child for a big project (`mockhub.export.forked`), else in-process."""
    def take(project, task_count, references):
        if forked.wanted(task_count):
            try:
                return forked.start(lambda: records.build(hub.export_copy(project, references(), options), options)[0])
            except OSError as exc:  # no memory or process left to fork: build it here
                current_app.logger.warning("cannot fork an export child (%s); building the export in-process", exc)
        return project, references()

    taken = hub.export_references(user, project_id, options, take)
    if isinstance(taken, forked.Child):
        try:
            return taken.result()
        except forked.ChildFailed as exc:
            current_app.logger.warning("%s; building the export in-process", exc)
            taken = hub.export_references(user, project_id, options, lambda p, _, refs: (p, refs()))
    with switching_often():  # the build holds the GIL: hand it to other requests' threads more often
        return records.build(hub.export_copy(*taken, options), options)[0]


def _export(project_id, options):
    with collector_paused():  # no GIL-holding collections while millions of copies come and go (all freed inside)
        data = _zip(store(), caller(), project_id, options)
    name = f"{records.member_name(project_id, options).rsplit('.', 1)[0]}-export.zip"
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
