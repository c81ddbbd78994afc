"""Project extras: instructions (multipart), asset-builder templates, label validation, benchmark tasks,
chat assets (form or multipart; errors in that route's own shape), and the plugin log/response sinks."""
import json

from flask import Blueprint, g, request

from mockhub.api.common import body, caller, ok, store
from mockhub.errors import BadRequest
from mockhub.schemas import load
from mockhub.schemas.extras import (AssetBuilderTemplateSchema, BenchmarkTasksSchema, ChatAssetsSchema,
                                    LabelValidationSchema)
from mockhub.store.files import check_file_name

bp = Blueprint("extras", __name__)


def _upload():
    upload = request.files.get("file")
    if upload is None:
        raise BadRequest("file: send the file as the multipart field `file`")
    return check_file_name(upload.filename or ""), upload.read()


@bp.post("/project/<project_id>/instructions")
def upload_instructions(project_id):
    name, data = _upload()
    return ok(201, **store().upload_instructions(caller(), project_id, name, data, request.host_url))


@bp.post("/project/<project_id>/assetBuilderTemplates")
def create_asset_builder_template(project_id):
    template = load(AssetBuilderTemplateSchema(), body())
    return ok(201, template=store().create_asset_builder_template(caller(), project_id, template))


@bp.post("/project/<project_id>/labelValidation")
def update_label_validation(project_id):
    changes = load(LabelValidationSchema(), body())
    return ok(project=store().update_label_validation(caller(), project_id, changes))


@bp.post("/project/<project_id>/benchmark-tasks")
def set_tasks_as_benchmark(project_id):
    data = load(BenchmarkTasksSchema(), body())
    return ok(result=store().set_tasks_as_benchmark(caller(), project_id, data["tasks"], data["isBenchmark"]))


def _conversations():
    if "file" not in request.files:
        return None
    try:
        content = json.loads(request.files["file"].read())
    except ValueError:
        raise BadRequest("file: not valid JSON (a list of conversations)") from None
    conversations = content.get("conversations") if isinstance(content, dict) else content
    if not isinstance(conversations, list) or not conversations:
        raise BadRequest("file: must hold a non-empty list of conversations")
    return conversations


@bp.post("/project/<project_id>/chat")
def upload_chat_assets(project_id):
    g.nest_errors = True  # the SDK reads errors on this route as {"error": {"statusCode"}, "message"}
    form = load(ChatAssetsSchema(), request.form.to_dict())
    conversations = _conversations()
    if conversations is None and form["numberOfConversations"] < 1:
        raise BadRequest("numberOfConversations: at least 1 (or upload a conversation file)")
    result = store().upload_chat_assets(caller(), project_id, form, conversations, request.host_url)
    return ok(201, assets=result)


@bp.post("/pluginLog")
def plugin_log():
    return ok(**store().plugin_log(caller(), body(), "log"))


@bp.post("/pluginResponse")
def plugin_response():
    return ok(**store().plugin_log(caller(), body(), "response"))
