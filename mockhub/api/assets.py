"""Asset endpoints: cloud upload, listing with filters, soft delete, attachments."""
from flask import Blueprint

from mockhub.api.arguments import arguments
from mockhub.api.common import caller, ok, store
from mockhub.api.responding import responds
from mockhub.schemas import responses as shapes
from mockhub.schemas.assets import AssetsQuery, CloudQuery, CloudUploadSchema, CreateAttachmentSchema, DeleteAssetsSchema

bp = Blueprint("assets", __name__)


@bp.post("/project/<project_id>/cloud")
@arguments(CloudQuery, location="query")
@arguments(CloudUploadSchema)
def upload_files_cloud(project_id, body, query):
    upload_local = str(body.get("uploadLocal")).lower() == "true"
    result = store().upload_files_cloud(caller(), project_id, body["assets"], query["batches"], body["priority"] or 0,
                                        upload_local)
    return ok(201, assets=result)


@bp.get("/project/<project_id>/assets")
@responds("assets", shapes.AssetSchema, many=True)
@arguments(AssetsQuery, location="query")
def get_assets(project_id, query):
    assets, total = store().get_assets(caller(), project_id, query["page"], query["filters"])
    return ok(assets=assets, total=total)


@bp.delete("/project/<project_id>/assets")
@arguments(DeleteAssetsSchema)
def delete_assets(project_id, body):
    return ok(assets=store().delete_assets(caller(), project_id, body["assets"]))


@bp.post("/attachments")
@arguments(CreateAttachmentSchema)
def create_attachment(body):
    return ok(project=store().create_attachment(caller(), body["project"], body["attachments"]))
