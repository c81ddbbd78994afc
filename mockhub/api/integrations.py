"""Storage and LLM endpoints (note the SDK's trailing slashes on the POSTs), bucket listing, file explorer."""
from flask import Blueprint, request

from mockhub.api.common import body, caller, ok, store
from mockhub.schemas import load
from mockhub.schemas.organization import FileExplorerSchema, LlmSchema, StorageSchema

bp = Blueprint("integrations", __name__)


@bp.get("/storages", strict_slashes=False)
def get_storages():
    return ok(storages=store().get_storages(caller(), request.args.get("_id")))


@bp.post("/storages", strict_slashes=False)
def create_storage():
    return ok(201, storage=store().create_storage(caller(), load(StorageSchema(), body())))


@bp.delete("/storages/<storage_id>")
def delete_storage(storage_id):
    return ok(storage=store().delete_storage(caller(), storage_id))


@bp.get("/storages/<storage_id>/files")
def list_storage_files(storage_id):
    args = request.args
    files = store().list_storage_files(caller(), storage_id, args.get("bucketName", ""), args.get("path", ""))
    return ok(files=files, folders=sorted({f["key"].rsplit("/", 1)[0] for f in files if "/" in f["key"]}))


@bp.post("/file-explorer")
def file_explorer():
    options = load(FileExplorerSchema(), body())
    return ok(**store().file_explorer(caller(), options, request.host_url))


@bp.get("/llms", strict_slashes=False)
def get_llms():
    return ok(llms=store().get_llms(caller(), request.args.get("_id")))


@bp.post("/llms", strict_slashes=False)
def create_llm():
    return ok(201, llm=store().create_llm(caller(), load(LlmSchema(), body())))


@bp.delete("/llms/<llm_id>")
def delete_llm(llm_id):
    return ok(llm=store().delete_llm(caller(), llm_id))
