"""The `mockhub` command: serve the emulator, run the demo, seed and snapshot a running one, the coverage table.

Every error is one line (exit 2 for usage, 1 at run time): see mockhub/cli_common.py."""
import gc
import json
import os
import sys

import click

from mockhub.cli_common import (
    PORT,
    CommandError,
    Host,
    OneLineErrorGroup,
    ServerUrl,
    check_can_listen,
    checked_remote,
    free_port,
    remote_call,
    server_url,
)
from mockhub.seed import FixtureError, read_named_fixture

DEMO_FIXTURE = "demo"  # fixtures/demo.json, shipped as mockhub.fixtures


def demo_fixture():
    """Return the embedded demo fixture (fixtures/demo.json)."""
    return read_named_fixture(DEMO_FIXTURE)[1]


def _load_fixtures(names):
    """Return [(source name, fixture document)], the embedded demo when no name is given; a name is a path or
    the name of a fixture shipped with mockhub (`demo`)."""
    try:
        return [read_named_fixture(name) for name in names or [DEMO_FIXTURE]]
    except FixtureError as exc:
        raise CommandError(str(exc)) from None


def _keys(fixtures):
    """(organization, email, key) for every user with an API key, in friendly fixtures and snapshots."""
    for _, fixture in fixtures:
        for org in fixture.get("organizations", []):
            for user in org["users"]:
                if user.get("apiKey"):
                    yield org["name"], user["email"], user["apiKey"]
        tables = (fixture.get("snapshot") or {}).get("tables", {})
        names = {org["_id"]: org["name"] for org in tables.get("organizations", [])}
        for user in tables.get("users", []):
            if user.get("apiKey"):
                yield names.get(user["organization"], user["organization"]), user["email"], user["apiKey"]


def _data_file(data_file):
    """The --data-file, opened on its state; its folder must exist (checked before anything starts)."""
    from mockhub import persistence

    folder = os.path.dirname(os.path.abspath(data_file))
    if not os.path.isdir(folder):
        raise click.BadParameter(f"the folder {folder} does not exist", param_hint="'--data-file'")
    return persistence.DataFile(data_file)


@click.group(cls=OneLineErrorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mockhub", message="mockhub %(version)s")
def main():
    """mockhub: a local, stateful emulator of the Ango Hub v2 REST API.

    Point the official SDK at it: SDK(api_key, host="http://127.0.0.1:8080").
    Errors are one line (exit 2: usage, 1: run time); MOCKHUB_DEBUG=1 shows an unexpected error's traceback.
    """


def _option(*names, env, **kwargs):
    """An option also read from the environment variable `env`, which --help shows."""
    return click.option(*names, envvar=env, show_envvar=True, **kwargs)


@main.command()
@_option("--host", env="MOCKHUB_HOST", default="127.0.0.1", show_default=True, type=Host(),
         help="Address to listen on (IPv4, IPv6 or a host name).")
@_option("--port", env="MOCKHUB_PORT", default=8080, show_default=True, type=PORT,
         help="Port to listen on (0 picks a free one).")
@_option("--fixtures", "fixture_paths", env="MOCKHUB_FIXTURES", multiple=True, type=click.Path(dir_okay=False),
         help="Fixture file (or snapshot, or the name of a fixture shipped with mockhub: demo) to seed; "
              f"repeatable, or several in the variable separated by '{os.pathsep}'. Without any, the demo is loaded.")
@_option("--strict-auth", env="MOCKHUB_STRICT_AUTH", is_flag=True,
         help="Accept only API keys named in the fixtures (else any new key gets its own organization).")
@_option("--seed", env="MOCKHUB_SEED", type=int, default=None,
         help="Make generated ids and random draws repeat across runs.")
@_option("--data-file", env="MOCKHUB_DATA_FILE", type=click.Path(dir_okay=False), default=None,
         help="Keep the state in this file across restarts: every change is on disk before its request is "
              "answered (an append-only log, compacted at start). When the file exists it is loaded instead of "
              "the fixtures.")
@_option("--control-key", env="MOCKHUB_CONTROL_KEY", default="",
         help="The only apikey allowed whole-server control actions (scope=server: reset all, snapshot of "
              "everything, seeding organizations). Without it they are open to loopback callers only.")
@_option("--log-requests", env="MOCKHUB_LOG_REQUESTS", is_flag=True,
         help="Print one line per request: method, path, status, milliseconds, organization.")
def serve(host, port, fixture_paths, strict_auth, seed, data_file, control_key, log_requests):
    """Run the emulator until Ctrl-C."""
    from mockhub import persistence
    from mockhub.app import create_app
    from mockhub.seed import seed as seed_fixture
    from mockhub.server import LiveServer

    durable = _data_file(data_file) if data_file else None
    port = port or free_port(host)  # known before seeding: fixture asset files get URLs on it
    check_can_listen(host, port)
    gc.set_threshold(50_000, 20, 100)  # a server holds many long-lived dicts: see docs/performance.md
    app = create_app({"STRICT_AUTH": strict_auth, "SEED": seed, "CONTROL_KEY": control_key})
    runtime = app.extensions["mockhub"]
    try:
        saved = durable.restore(runtime) if durable else None
        fixtures = [(data_file, {"snapshot": saved})] if saved else _load_fixtures(fixture_paths)
        if durable:  # compacted now; from here on every change is logged, and on disk before its answer
            durable.start(runtime)
            app.after_request(durable.commit_response)
    except persistence.DataFileError as exc:
        raise CommandError(str(exc)) from None
    try:
        for source, document in [] if saved else fixtures:
            seed_fixture(runtime.store, document, source=source, base_url=server_url(host, port))
            if durable:
                durable.commit()
    except FixtureError as exc:
        raise CommandError(str(exc)) from None
    if log_requests:
        from mockhub import request_log

        request_log.install(app)
    server = LiveServer(app, host, port)
    url = server_url(host, server.port)
    click.echo(f"mockhub listening on {url}  (health: {url}/_mockhub/health)")
    for org, email, key in _keys(fixtures):
        click.echo(f"  API key {key!r}  ->  {email} ({org})")
    click.echo(f'  SDK(api_key, host="{url}")' + ("" if strict_auth else "; any other key gets its own org"))
    if data_file:
        click.echo(f"  state {'loaded from' if saved else 'kept in'} {data_file}")
    sys.stdout.flush()
    try:
        server.serve_forever()  # werkzeug's loop returns on Ctrl-C (it swallows the KeyboardInterrupt)
    except KeyboardInterrupt:
        pass
    finally:
        if durable:
            durable.close()
    click.echo("stopped")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, type=Host(), help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=PORT, help="Port to listen on (0 picks a free one).")
@click.option("--assets", default=24, show_default=True, type=click.IntRange(1, 2000),
              help="Images to upload (street scenes mockhub draws itself).")
@click.option("--labelers", default=3, show_default=True, type=click.IntRange(0, 50), help="Simulated labelers.")
@click.option("--reviewers", default=2, show_default=True, type=click.IntRange(0, 50), help="Simulated reviewers.")
@click.option("--pace", default=1.0, show_default=True, type=click.FloatRange(0, 3600),
              help="Seconds between one bot's actions (jittered).")
@click.option("--accept-rate", default=0.8, show_default=True, type=click.FloatRange(0, 1),
              help="Share of reviews that accept (the rest reject back to Label).")
@click.option("--seed", type=int, default=None, help="Make ids, sampling and the bots' choices repeat across runs.")
@click.option("--duration", type=click.FloatRange(0, min_open=True), default=None,
              help="Stop after this many seconds (default: run until Ctrl-C).")
def demo(host, port, assets, labelers, reviewers, pace, accept_rate, seed, duration):
    """Run a demo organization with simulated labelers and reviewers; watch it on the dashboard (Ctrl-C stops)."""
    from mockhub.demo.runner import DemoOptions, run_demo

    options = DemoOptions(host=host, port=port, assets=assets, labelers=labelers, reviewers=reviewers, pace=pace,
                          accept_rate=accept_rate, seed=seed, duration=duration)
    if port:
        check_can_listen(host, port)
    run_demo(options)


URL_OPTION = click.option("--url", default="http://127.0.0.1:8080", show_default=True, type=ServerUrl(),
                          envvar="MOCKHUB_URL", show_envvar=True, help="The running mockhub (its root URL).")
CONTROL_KEY_OPTION = click.option("--control-key", default="", envvar="MOCKHUB_CONTROL_KEY", show_envvar=True,
                                  help="The server's control key, if it was started with one.")


@main.command()
@click.argument("fixture_file", type=click.Path(dir_okay=False))
@URL_OPTION
@CONTROL_KEY_OPTION
@click.option("--replace", is_flag=True, help="Replace what the fixture's API keys already own (their "
                                              "organizations) instead of refusing keys that are in use.")
def seed(fixture_file, url, replace, control_key):
    """Seed a fixture file (or a snapshot, or a shipped fixture's name: demo) into a running mockhub."""
    source, document = _load_fixtures([fixture_file])[0]
    client = checked_remote(url, control_key)
    created = remote_call(url, lambda: client.seed(document, replace=replace, scope="server"), "the fixture")
    restored = created.get("snapshot") or {}
    click.echo(f"seeded {source}: {len(created['organizations']) + restored.get('organizations', 0)} "
               f"organization(s), {len(created['projects']) + restored.get('projects', 0)} project(s)")


@main.command()
@URL_OPTION
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="Write to this file instead of stdout.")
@CONTROL_KEY_OPTION
def snapshot(url, output, control_key):
    """Save a running mockhub's whole state as a fixture (seed it back with `mockhub seed --replace`)."""
    client = checked_remote(url, control_key)
    text = json.dumps(remote_call(url, lambda: client.snapshot(scope="server")), indent=1)
    if output:
        try:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        except OSError as exc:
            raise CommandError(f"{output}: cannot write: {exc.strerror}") from None
        click.echo(f"wrote {output}")
    else:
        click.echo(text)


@main.command()
@click.option("--check", type=click.Path(exists=True, dir_okay=False),
              help="Exit 1 if this file differs from the table.")
def coverage(check):
    """Print the SDK coverage table (Markdown) built from the route table."""
    from mockhub.coverage import coverage_markdown

    table = coverage_markdown()
    if check:
        with open(check, encoding="utf-8") as handle:
            if handle.read() != table:
                raise CommandError(f"{check} is stale: run `mockhub coverage > {check}`")
        click.echo(f"{check} is current")
        return
    click.echo(table, nl=False)


def _register_commands():
    from mockhub.plugin_tools.cli import plugin
    from mockhub.pull.cli import pull

    main.add_command(pull)
    main.add_command(plugin)


_register_commands()
