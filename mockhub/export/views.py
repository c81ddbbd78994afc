"""Export, HTTP side. Endpoints: `/v2/export` (SDK 1.4.x, and ango 0.1.18's legacy flags) and `/v2/exportV3` (SDK 1.3.x)."""
import json

from flask import Blueprint, current_app, request

from mockhub.api.common import caller, flag, ok, store
from mockhub.api.files import file_url
from mockhub.errors import BadRequest, invalid_project
from mockhub.export import records

bp = Blueprint("export", __name__)
LEGACY_RANGES = {"completedAt": "completedAt", "updatedAt": "updatedAt"}


def _value(name):
    """A parameter that may be JSON (a list, a JSON string such as `"Complete"`) or plain text."""
    raw = request.args.get(name)
    if raw is None or raw == "" or raw == "None":
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def _as_list(name):
    value = _value(name)
    if value is None:
        return None
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list):
        raise BadRequest(f"{name}: must be a JSON list")
    return [str(v) for v in value]


def _where():
    """Date ranges (`updatedAt={"$gt":..}`) and ango 0.1.18's `completedAt[gt]=..` / `assignee=[..]` flags."""
    where = {}
    for field in ("updatedAt", "createdAt"):
        value = _value(field)
        if value is not None and value is not True:
            if not isinstance(value, dict):
                raise BadRequest(f"{field}: must be a JSON object such as {{\"$gt\": \"2024-01-01T00:00:00Z\"}}")
            where[field] = value
    for field in LEGACY_RANGES:
        for op in ("gt", "lt"):
            if request.args.get(f"{field}[{op}]"):
                where.setdefault(field, {})[f"${op}"] = request.args[f"{field}[{op}]"]
    assignees = _as_list("assignee")
    if assignees:
        where["assignee"] = {"$in": assignees}
    return where


def _options():
    kind = (request.args.get("type") or "task").lower()
    kind = "task" if kind == "none" else kind
    if kind not in ("task", "issue"):
        raise BadRequest("type: must be task or issue")
    fmt = (request.args.get("format") or "json").lower()
    if fmt not in ("json", "ndjson"):
        raise BadRequest("format: must be json or ndjson")
    legacy = request.args.get("batches") == "true" or "labeledAt" in request.args
    batches = _as_list("tag") if legacy else _as_list("batches")
    return {"type": kind, "format": fmt, "legacy": legacy, "stages": None if kind == "issue" else _as_list("stage"),
            "batches": batches, "taskTypes": _as_list("taskTypes") or ["default"], "where": _where(),
            "includeMetadata": flag("includeMetadata", True), "includeHistory": flag("includeHistory", True)}


def _export():
    project_id = request.args.get("project")
    if not project_id:
        raise invalid_project(project_id)
    options = _options()
    snapshot = store().export_snapshot(caller(), project_id, options)
    data, member, _ = records.build(snapshot, options)
    name = f"{member.rsplit('.', 1)[0]}-export.zip"
    file_id = store().save_export(caller(), project_id, name, data)
    current_app.logger.debug("export %s: %d bytes", name, len(data))
    return ok(exportPath=file_url(file_id, name))


@bp.get("/export")
def export_project():
    return _export()


@bp.get("/exportV3")
def export_v3():
    return _export()
