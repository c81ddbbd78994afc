"""Batch endpoints: the three bodies of `POST /v2/batches/{id}`, and assignBatches."""
from flask import Blueprint

from mockhub.api.common import body, caller, ok, store
from mockhub.schemas import load
from mockhub.schemas.projects import AssignBatchesSchema, CreateBatchSchema

bp = Blueprint("batches", __name__)


@bp.post("/batches/<project_id>")
def create_batch(project_id):
    schema = CreateBatchSchema()
    name, replacement, field = schema.normalize(load(schema, body()))
    return ok(project=store().create_batch(caller(), project_id, name=name, batches=replacement, field=field))


@bp.post("/assignBatches")
def assign_batches():
    data = load(AssignBatchesSchema(), body())
    count = store().assign_batches(caller(), data["assets"], data.get("batches") or data["tags"],
                                   data.get("projectId"))
    return ok(assets=count)
