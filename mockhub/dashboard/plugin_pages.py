"""Dashboard pages about plugins: the organization's plugins (live dot, masked secret, connections, rejected
attempts) and their sessions (status, duration, console, export download), and a Plugin stage's live state."""
from flask import Response

from mockhub.dashboard import bp
from mockhub.dashboard.auth import current_user, runtime
from mockhub.dashboard.pages import page


def _host():
    return runtime().plugins


def masked(secret):
    """A secret as the dashboard shows it: its last four characters."""
    return "•" * 8 + (secret or "")[-4:]


def plugin_stages(user, project):
    """For each Plugin stage of a project: its plugin's name and state (`live`, `offline`, `unregistered`)."""
    out = {}
    for stage in project["stages"]:
        if stage["type"] != "Plugin":
            continue
        plugin = _host().registry.plugin(user["organization"], stage.get("pluginId"))
        state = "unregistered" if plugin is None else "live" if plugin["live"] else "offline"
        out[stage["id"]] = {"state": state, "name": plugin["name"] if plugin else stage.get("pluginId")}
    return out


@bp.get("/plugins")
def plugins_page():
    user = current_user()
    plugins = sorted(_host().list_plugins(user), key=lambda p: p["createdAt"])
    sessions = sorted(_host().list_sessions(user), key=lambda s: s["createdAt"], reverse=True)
    names = {p["_id"]: p["name"] for p in plugins}
    return page("dashboard/plugins.html", user, plugins=plugins, sessions=sessions[:200], names=names,
                masked=masked)


@bp.get("/plugins/sessions/<session_id>/download")
def plugin_session_download(session_id):
    """The export a session produced, for the browser (the control plane's download needs an apikey header)."""
    from mockhub.plugins.views import export_file

    data, content_type, name = export_file(current_user(), session_id)
    return Response(data, mimetype=content_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})
