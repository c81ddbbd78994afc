"""Batch endpoints: the three bodies of `POST /v2/batches/{id}`, and assignBatches."""
from flask import Blueprint

from mockhub.api.arguments import arguments
from mockhub.api.common import caller, ok, store
from mockhub.api.responding import responds
from mockhub.schemas import responses as shapes
from mockhub.schemas.projects import AssignBatchesSchema, CreateBatchSchema

bp = Blueprint("batches", __name__)


@bp.post("/batches/<project_id>")
@responds("project", shapes.ProjectSchema)
@arguments(CreateBatchSchema)
def create_batch(project_id, body):
    return ok(project=store().create_batch(caller(), project_id, name=body["name"], batches=body["batches"],
                                           field=body["field"]))


@bp.post("/assignBatches")
@arguments(AssignBatchesSchema)
def assign_batches(body):
    count = store().assign_batches(caller(), body["assets"], body.get("batches") or body["tags"], body.get("projectId"))
    return ok(assets=count)
