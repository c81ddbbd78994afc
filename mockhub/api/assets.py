"""Asset endpoints: cloud upload, listing with filters, soft delete, attachments."""
from flask import Blueprint, request

from mockhub.api.common import body, caller, json_arg, ok, page_args, store
from mockhub.errors import BadRequest
from mockhub.schemas import load
from mockhub.schemas.assets import CloudUploadSchema, CreateAttachmentSchema, DeleteAssetsSchema

bp = Blueprint("assets", __name__)


@bp.post("/project/<project_id>/cloud")
def upload_files_cloud(project_id):
    data = load(CloudUploadSchema(), body())
    batches = json_arg("batches") if "batches" in request.args else json_arg("tags")
    if batches is not None and not isinstance(batches, list):
        raise BadRequest("batches: must be a JSON list of batch ids or names")
    upload_local = str(data.get("uploadLocal")).lower() == "true"
    result = store().upload_files_cloud(caller(), project_id, data["assets"], batches, data["priority"] or 0,
                                        upload_local)
    return ok(201, assets=result)


def _asset_filters():
    filters = json_arg("filters", {})
    if not isinstance(filters, dict):
        raise BadRequest("filters: must be a JSON object")
    for legacy in ("_id", "externalId"):  # the legacy SDK sent these as separate parameters
        if request.args.get(legacy):
            filters.setdefault(legacy, request.args[legacy])
    return filters


@bp.get("/project/<project_id>/assets")
def get_assets(project_id):
    assets, total = store().get_assets(caller(), project_id, page_args(), _asset_filters())
    return ok(assets=assets, total=total)


@bp.delete("/project/<project_id>/assets")
def delete_assets(project_id):
    data = load(DeleteAssetsSchema(), body())
    return ok(assets=store().delete_assets(caller(), project_id, data["assets"]))


@bp.post("/attachments")
def create_attachment():
    data = load(CreateAttachmentSchema(), body())
    return ok(project=store().create_attachment(caller(), data["project"], data["attachments"]))
