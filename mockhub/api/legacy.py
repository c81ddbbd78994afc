"""Routes only older SDK releases call: ango 0.1.18's GET task/assign (with a JSON body), asset priority,
integrations and project webhooks."""
from flask import Blueprint

from mockhub.api.arguments import arguments
from mockhub.api.common import caller, ok, store
from mockhub.api.responding import responds
from mockhub.schemas import responses as shapes
from mockhub.schemas.legacy import AssetPrioritySchema, LegacyAssignSchema, ProjectWebhookSchema

bp = Blueprint("legacy", __name__)


@bp.get("/task/assign")
@responds("task", shapes.TaskSchema)
@arguments(LegacyAssignSchema)
def assign_task_by_user(body):
    return ok(task=store().assign_task_by_user(caller(), body["task"], body.get("user"), body.get("username")))


@bp.post("/priority/<project_id>")
@arguments(AssetPrioritySchema)
def set_asset_priority(project_id, body):
    return ok(**store().set_asset_priority(caller(), project_id, body["priority"], body.get("externalId"),
                                           body.get("assetId")))


@bp.get("/integrations")
@responds("integrations", shapes.StorageSchema, many=True)
def get_integrations():
    return ok(integrations=store().get_storages(caller()))


@bp.post("/webhook")
@arguments(ProjectWebhookSchema)
def create_webhook(body):
    hooks = store().create_webhook(caller(), body["project"], body["url"], body["types"], body["secret"])
    return ok(201, project=body["project"], webhooks=hooks)
