"""`mockhub plugin SCRIPT`: run an Ango plugin script, unmodified, against mockhub and show its sessions."""
import json
import time

import click

from mockhub.plugin_tools.process import TYPES, PluginExited, start_plugin

DEMO_KEY = "mockhub-demo-key"  # the key of the embedded demo fixture (mockhub serve's default state)


def _local_server(port):
    """A mockhub in this process with the demo fixture (its project is something to run the plugin on)."""
    from mockhub.app import create_app
    from mockhub.cli import demo_fixture
    from mockhub.seed import seed
    from mockhub.server import LiveServer

    app = create_app()
    server = LiveServer(app, "127.0.0.1", port).start()
    seed(app.extensions["mockhub"].store, demo_fixture(), source="fixtures/demo.json", base_url=server.url)
    return server


def _check_reachable(url):
    import requests

    try:
        requests.get(f"{url}/_mockhub/health", timeout=10).raise_for_status()
    except requests.RequestException as exc:
        raise click.ClickException(f"cannot reach mockhub at {url} ({type(exc).__name__}); start it with "
                                   "`mockhub serve`, or leave out --url to start one here") from None


class SessionPrinter:
    """Print each session's new log lines and its status once it changes."""

    def __init__(self, handle):
        self.handle, self.seen = handle, {}

    def poll(self):
        for session in self.handle.sessions():
            logs, status = session.get("logs") or [], session.get("status")
            shown, last_status = self.seen.get(session["_id"], (0, None))
            for entry in logs[shown:]:
                click.echo(f"[session {session['_id']}] {entry.get('level', 'INFO')} {entry.get('msg', '')}")
            if status != last_status:
                click.echo(f"[session {session['_id']}] {status}" + _outcome(session))
            self.seen[session["_id"]] = (len(logs), status)


def _outcome(session):
    if session.get("status") == "completed":
        if session.get("download"):
            return f": download {session['download']}"
        return f": response {json.dumps(session.get('response'))[:500]}"
    if session.get("error"):
        return f": {session['error']}"
    return ""


@click.command("plugin")
@click.argument("script", type=click.Path(exists=True, dir_okay=False))
@click.argument("script_args", nargs=-1, type=click.UNPROCESSED)
@click.option("--type", "plugin_type", type=click.Choice(TYPES), default="Export", show_default=True,
              help="The plugin's type, as chosen when creating it in the hub.")
@click.option("--url", default=None, help="A running mockhub (default: start one here, with the demo fixture).")
@click.option("--port", default=0, show_default=True, type=int, help="Port of the server started here (0: a free one).")
@click.option("--api-key", default=DEMO_KEY, show_default=True, envvar="MOCKHUB_API_KEY",
              help="Key of the organization that owns the plugin (and whose projects it runs on).")
@click.option("--id", "plugin_id", default=None, help="Keep this plugin id (with --secret), e.g. the script's own.")
@click.option("--secret", default=None, help="Keep this plugin secret (with --id).")
@click.option("--name", default=None, help="The plugin's name (default: the script's file name).")
@click.option("--python", "python", default=None, type=click.Path(exists=True, dir_okay=False),
              help="The Python that runs the script, e.g. a venv with the SDK release it was written for.")
@click.option("--run", "project_id", default=None, help="Once live, run the plugin on this project and show the "
                                                        "session.")
@click.option("--config", "config_json", default=None, help="The run's Config JSON (a string), with --run.")
def plugin(script, script_args, plugin_type, url, port, api_key, plugin_id, secret, name, python, project_id,
           config_json):
    """Run the Ango plugin SCRIPT unmodified against mockhub until Ctrl-C.

    The plugin is registered on the server (kept --id/--secret, else new ones), then SCRIPT runs with
    every host, id and secret it names pointed at mockhub: `run(plugin, host=...)`, the plugin classes and
    `SDK(...)`. Its output and the log lines of every session it serves are printed here. Start runs with
    `--run PROJECT_ID`, or `POST /_mockhub/plugins/<id>/runs {"projectId": ...}`. Extra arguments after
    SCRIPT (after `--`) are passed to it.
    """
    if bool(plugin_id) != bool(secret):
        raise click.UsageError("--id and --secret go together")
    server = None if url else _local_server(port)
    url = (url or server.url).rstrip("/")
    try:
        _check_reachable(url)
        handle = _start(url, api_key, script, plugin_type, python, name, plugin_id, secret, script_args)
        try:
            _serve(handle, url, api_key, project_id, config_json, local=server is not None)
        finally:
            handle.stop()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        if server:
            server.stop()


def _start(url, api_key, script, plugin_type, python, name, plugin_id, secret, script_args):
    from mockhub_client import ApiError

    try:
        handle = start_plugin(url, api_key, script, plugin_type, python, name=name, plugin_id=plugin_id,
                              secret=secret, args=script_args, echo=click.echo, live=False)
    except ApiError as exc:
        if exc.status == 404:
            raise click.ClickException(f"{url} does not host plugins (no /_mockhub/plugins): an older mockhub?") \
                from None
        raise click.ClickException(f"{url} refused the plugin: {exc.message}") from None
    click.echo(f"plugin {handle.plugin['name']!r} ({plugin_type}) registered: id {handle.id}, "
               f"secret {handle.secret}; starting {script} (pid {handle.pid})")
    try:
        handle.wait_live(timeout=120)
    except (PluginExited, TimeoutError) as exc:
        handle.stop()
        raise click.ClickException(str(exc).splitlines()[0] + " (its output is above)") from None
    return handle


def _serve(handle, url, api_key, project_id, config_json, local):
    click.echo(f"plugin {handle.id} is live on {url}" + (f" (API key {api_key!r})" if local else ""))
    if local:
        for project in handle.client.list_projects()["projects"]:
            click.echo(f"  project {project['_id']}  {project['name']}")
    if project_id:
        from mockhub_client import ApiError

        try:
            handle.run(project_id, wait=0, **({"configJSON": config_json} if config_json else {}))
        except ApiError as exc:
            raise click.ClickException(f"the run on project {project_id} was refused: {exc.message}") from None
    else:
        click.echo(f"  run it: curl -X POST {url}/_mockhub/plugins/{handle.id}/runs -H 'apikey: {api_key}' "
                   "-H 'Content-Type: application/json' -d '{\"projectId\": \"<project id>\"}'")
    printer = SessionPrinter(handle)
    while handle.process.returncode() is None:
        try:
            printer.poll()
        except OSError as exc:
            raise click.ClickException(f"lost mockhub at {url}: {exc}") from None
        time.sleep(0.5)
    raise click.ClickException(f"the plugin script exited with code {handle.process.returncode()}")
