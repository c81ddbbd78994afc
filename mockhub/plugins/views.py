"""`/_mockhub/plugins`, `/_mockhub/plugin-sessions` and a Plugin stage's Re-Run: each acts for the
organization of the caller's `apikey` header."""
from urllib.parse import unquote, urlsplit

from flask import Blueprint, Response, current_app, request

from mockhub.api.arguments import arguments
from mockhub.control import scope
from mockhub.errors import NotFound, Unauthorized
from mockhub.plugins.schemas import (CreatePluginSchema, ListSessionsSchema, RunPluginSchema, WaitLiveSchema,
                                     WaitSessionSchema)

bp = Blueprint("plugins", __name__)


def host():
    return current_app.extensions["mockhub"].plugins


def caller():
    """The user of the `apikey` header (a new key gets its organization); the request acts for its organization."""
    key = request.headers.get("apikey", "").strip()
    if not key:
        raise Unauthorized(scope.NO_KEY)
    user = current_app.extensions["mockhub"].store.resolve_key(key)
    scope.act_for(user["organization"])
    return user


def ok(status=200, **data):
    return {"status": "success", "data": data}, status


@bp.post("/plugins")
@arguments(CreatePluginSchema)
def create_plugin(body):
    plugin, created = host().create_plugin(caller(), body["name"], body["type"], body.get("id"), body.get("secret"))
    return ok(201 if created else 200, plugin=plugin)


@bp.get("/plugins")
def list_plugins():
    plugins = host().list_plugins(caller())
    return ok(plugins=plugins, total=len(plugins))


@bp.get("/plugins/<plugin_id>")
@arguments(WaitLiveSchema, location="query")
def get_plugin(plugin_id, query):
    return ok(plugin=host().get_plugin(caller(), plugin_id, query["waitLive"]))


@bp.delete("/plugins/<plugin_id>")
def delete_plugin(plugin_id):
    return ok(**host().delete_plugin(caller(), plugin_id))


@bp.post("/plugins/<plugin_id>/runs")
@arguments(RunPluginSchema)
def run_plugin(plugin_id, body):
    return ok(201, session=host().run_plugin(caller(), plugin_id, body))


@bp.get("/plugin-sessions")
@arguments(ListSessionsSchema, location="query")
def list_plugin_sessions(query):
    sessions = host().list_sessions(caller(), query.get("plugin"), query.get("project"), query.get("status"))
    return ok(sessions=sessions, total=len(sessions))


@bp.get("/plugin-sessions/<session_id>")
@arguments(WaitSessionSchema, location="query")
def get_plugin_session(session_id, query):
    return ok(session=host().get_session(caller(), session_id, query["wait"]))


def export_file(user, session_id):
    """(bytes, content type, file name) of what an Export plugin uploaded and reported: its signed URL points
    into mockhub's object store. :raises NotFound: no such session, or it has no export."""
    session = host().get_session(user, session_id)
    parts = urlsplit(session.get("download") and session.get("response") or "").path.split("/")
    if len(parts) < 4 or parts[-3] != "files":
        raise NotFound(f"Plugin session {session_id} has no export to download")
    name = unquote(parts[-1])
    data, content_type = current_app.extensions["mockhub"].store.get_file(parts[-2], name)
    return data, content_type, name


@bp.get("/plugin-sessions/<session_id>/download")
def download_plugin_export(session_id):
    data, content_type, name = export_file(caller(), session_id)
    return Response(data, mimetype=content_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.post("/projects/<project_id>/stages/<stage_id>/rerun")
def rerun_plugin_stage(project_id, stage_id):
    return ok(rerun=host().rerun_stage(caller(), project_id, stage_id))


def record_plugin_request(response):
    """After every request: a call made with a session's key goes to its console (and may end its job)."""
    key = request.headers.get("apikey", "").strip()
    if key.startswith("mhp-"):
        host().on_request(key, request.method, request.path, response.status_code)
    return response


def send_plugin_jobs(response):
    """After every request: send the jobs it queued for Plugin stages, outside the store's lock."""
    host().flush()
    return response
