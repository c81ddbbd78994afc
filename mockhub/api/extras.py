"""Project extras: instructions (multipart), asset-builder templates, label validation, benchmark tasks,
chat assets (form or multipart; errors in that route's own shape), and the plugin log/response sinks."""
import functools

from flask import Blueprint, current_app, g, request

from mockhub.api.arguments import arguments
from mockhub.api.common import caller, ok, store
from mockhub.api.responding import responds
from mockhub.errors import BadRequest
from mockhub.schemas import responses as shapes
from mockhub.schemas.extras import (AssetBuilderTemplateSchema, BenchmarkTasksSchema, ChatAssetsSchema, ChatFileSchema,
                                    InstructionsFileSchema, LabelValidationSchema, PluginLogSchema, PluginResponseSchema)
from mockhub.store.files import check_file_name

bp = Blueprint("extras", __name__)


@bp.post("/project/<project_id>/instructions")
@arguments(InstructionsFileSchema, location="files")
def upload_instructions(project_id, files):
    name, data = files["file"]
    return ok(201, **store().upload_instructions(caller(), project_id, check_file_name(name), data,
                                                 request.host_url))


@bp.post("/project/<project_id>/assetBuilderTemplates")
@arguments(AssetBuilderTemplateSchema)
def create_asset_builder_template(project_id, body):
    return ok(201, template=store().create_asset_builder_template(caller(), project_id, body))


@bp.post("/project/<project_id>/labelValidation")
@responds("project", shapes.ProjectSchema)
@arguments(LabelValidationSchema)
def update_label_validation(project_id, body):
    return ok(project=store().update_label_validation(caller(), project_id, body))


@bp.post("/project/<project_id>/benchmark-tasks")
@arguments(BenchmarkTasksSchema)
def set_tasks_as_benchmark(project_id, body):
    return ok(result=store().set_tasks_as_benchmark(caller(), project_id, body["tasks"], body["isBenchmark"]))


def nested_errors(view):
    """The SDK reads errors on the chat route as {"error": {"statusCode"}, "message"}: set that shape first."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        g.nest_errors = True
        return view(*args, **kwargs)

    return wrapper


@bp.post("/project/<project_id>/chat")
@nested_errors
@arguments(ChatAssetsSchema, location="form")
@arguments(ChatFileSchema, location="files")
def upload_chat_assets(project_id, form, files):
    conversations = files["conversations"]
    if conversations is None and form["numberOfConversations"] < 1:
        raise BadRequest("numberOfConversations: at least 1 (or upload a conversation file)")
    result = store().upload_chat_assets(caller(), project_id, form, conversations, request.host_url)
    return ok(201, assets=result)


def _to_session(kind, data):
    """A REST-connector plugin's log line or response: kept, and put in its session when it names one."""
    if data.get("session"):
        host = current_app.extensions["mockhub"].plugins
        report = host.on_log if kind == "log" else host.on_response
        report(str(data["session"]), data, organization=caller()["organization"])
    return ok(**store().plugin_log(caller(), data, kind))


@bp.post("/pluginLog")
@arguments(PluginLogSchema)
def plugin_log(body):
    return _to_session("log", body)


@bp.post("/pluginResponse")
@arguments(PluginResponseSchema)
def plugin_response(body):
    return _to_session("response", body)
