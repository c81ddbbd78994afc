"""Routes only older SDK releases call: ango 0.1.18's GET task/assign (with a JSON body), asset priority,
integrations and project webhooks."""
from flask import Blueprint

from mockhub.api.common import body, caller, ok, store
from mockhub.schemas import load
from mockhub.schemas.legacy import AssetPrioritySchema, LegacyAssignSchema, ProjectWebhookSchema

bp = Blueprint("legacy", __name__)


@bp.get("/task/assign")
def assign_task_by_user():
    data = load(LegacyAssignSchema(), body())
    return ok(task=store().assign_task_by_user(caller(), data["task"], data.get("user"), data.get("username")))


@bp.post("/priority/<project_id>")
def set_asset_priority(project_id):
    data = load(AssetPrioritySchema(), body())
    return ok(**store().set_asset_priority(caller(), project_id, data["priority"], data.get("externalId"),
                                           data.get("assetId")))


@bp.get("/integrations")
def get_integrations():
    return ok(integrations=store().get_storages(caller()))


@bp.post("/webhook")
def create_webhook():
    data = load(ProjectWebhookSchema(), body())
    hooks = store().create_webhook(caller(), data["project"], data["url"], data["types"], data["secret"])
    return ok(201, project=data["project"], webhooks=hooks)
