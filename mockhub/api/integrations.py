"""Storage and LLM endpoints (note the SDK's trailing slashes on the POSTs), bucket listing, file explorer."""
from flask import Blueprint, request

from mockhub.api.arguments import arguments
from mockhub.api.common import caller, ok, store
from mockhub.api.responding import responds
from mockhub.schemas import responses as shapes
from mockhub.schemas.organization import ByIdQuery, FileExplorerSchema, LlmSchema, StorageFilesQuery, StorageSchema

bp = Blueprint("integrations", __name__)


@bp.get("/storages", strict_slashes=False)
@responds("storages", shapes.StorageSchema, many=True)
@arguments(ByIdQuery, location="query")
def get_storages(query):
    return ok(storages=store().get_storages(caller(), query.get("_id")))


@bp.post("/storages", strict_slashes=False)
@responds("storage", shapes.StorageSchema)
@arguments(StorageSchema)
def create_storage(body):
    return ok(201, storage=store().create_storage(caller(), body))


@bp.delete("/storages/<storage_id>")
def delete_storage(storage_id):
    return ok(storage=store().delete_storage(caller(), storage_id))


@bp.get("/storages/<storage_id>/files")
@arguments(StorageFilesQuery, location="query")
def list_storage_files(storage_id, query):
    files = store().list_storage_files(caller(), storage_id, query["bucketName"], query["path"])
    return ok(files=files, folders=sorted({f["key"].rsplit("/", 1)[0] for f in files if "/" in f["key"]}))


@bp.post("/file-explorer")
@arguments(FileExplorerSchema)
def file_explorer(body):
    return ok(**store().file_explorer(caller(), body, request.host_url))


@bp.get("/llms", strict_slashes=False)
@responds("llms", shapes.LlmSchema, many=True)
@arguments(ByIdQuery, location="query")
def get_llms(query):
    return ok(llms=store().get_llms(caller(), query.get("_id")))


@bp.post("/llms", strict_slashes=False)
@responds("llm", shapes.LlmSchema)
@arguments(LlmSchema)
def create_llm(body):
    return ok(201, llm=store().create_llm(caller(), body))


@bp.delete("/llms/<llm_id>")
def delete_llm(llm_id):
    return ok(llm=store().delete_llm(caller(), llm_id))
