"""The `mockhub` command: serve the emulator, run the demo, print the coverage table."""
import gc
import json
import socket
import sys
from importlib import resources

import click

from mockhub.seed import FixtureError, read_fixture


def demo_fixture():
    """Return the embedded demo fixture (fixtures/demo.json)."""
    return json.loads(resources.files("mockhub.fixtures").joinpath("demo.json").read_text(encoding="utf-8"))


def _load_fixtures(paths):
    """Return [(source name, fixture document)], the embedded demo when no path is given."""
    if not paths:
        return [("fixtures/demo.json", demo_fixture())]
    try:
        return [(path, read_fixture(path)) for path in paths]
    except FixtureError as exc:
        raise click.ClickException(str(exc)) from None


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


def _free_port(host):
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def _url(host, port):
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mockhub", message="mockhub %(version)s")
def main():
    """mockhub: a local, stateful emulator of the Ango Hub v2 REST API.

    Point the official SDK at it: SDK(api_key, host="http://127.0.0.1:8080").
    """


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=int, help="Port to listen on (0 picks a free one).")
@click.option("--fixtures", "fixture_paths", multiple=True, type=click.Path(dir_okay=False),
              help="Fixture file to seed (repeatable). Without any, the embedded demo fixture is loaded.")
@click.option("--strict-auth", is_flag=True, help="Accept only API keys named in the fixtures (else any new key "
                                                  "gets its own organization).")
@click.option("--seed", type=int, default=None, help="Make generated ids and random draws repeat across runs.")
@click.option("--data-file", type=click.Path(dir_okay=False), default=None,
              help="Keep the state in this JSON file across restarts (saved atomically after changes). When the "
                   "file exists it is loaded instead of the fixtures.")
@click.option("--control-key", default="", envvar="MOCKHUB_CONTROL_KEY",
              help="The only apikey allowed whole-server control actions (scope=server: reset all, snapshot of "
                   "everything, seeding organizations). Without it they are open to loopback callers only.")
def serve(host, port, fixture_paths, strict_auth, seed, data_file, control_key):
    """Run the emulator until Ctrl-C."""
    from mockhub.app import create_app
    from mockhub.seed import seed as seed_fixture
    from mockhub.server import LiveServer

    from mockhub import persistence

    saved = persistence.load(data_file) if data_file else None
    fixtures = [(data_file, saved)] if saved else _load_fixtures(fixture_paths)
    gc.set_threshold(50_000, 20, 100)  # a server holds many long-lived dicts: see docs/performance.md
    app = create_app({"STRICT_AUTH": strict_auth, "SEED": seed, "CONTROL_KEY": control_key})
    port = port or _free_port(host)  # known before seeding: fixture asset files get URLs on it
    try:
        for source, document in fixtures:
            seed_fixture(app.extensions["mockhub"].store, document, source=source, base_url=_url(host, port))
    except FixtureError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        server = LiveServer(app, host, port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    click.echo(f"mockhub listening on {server.url}  (health: {server.url}/_mockhub/health)")
    for org, email, key in _keys(fixtures):
        click.echo(f"  API key {key!r}  ->  {email} ({org})")
    click.echo(f'  SDK(api_key, host="{server.url}")' + ("" if strict_auth else "; any other key gets its own org"))
    persister = persistence.Persister(app.extensions["mockhub"], data_file).start() if data_file else None
    if data_file:
        click.echo(f"  state {'loaded from' if saved else 'kept in'} {data_file}")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("stopped")
    finally:
        if persister:
            persister.stop()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=int, help="Port to listen on (0 picks a free one).")
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
    try:
        run_demo(options)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from None


CONTROL_KEY_OPTION = click.option("--control-key", default="", envvar="MOCKHUB_CONTROL_KEY",
                                  help="The server's control key, if it was started with one.")


def _remote(url, control_key=""):
    """A client for whole-server control actions (scope=server) on a running mockhub."""
    from mockhub_client import AngoClient

    return AngoClient(control_key, url.rstrip("/"))


@main.command()
@click.argument("fixture_file", type=click.Path(dir_okay=False))
@click.option("--url", default="http://127.0.0.1:8080", show_default=True, help="The running mockhub.")
@CONTROL_KEY_OPTION
def seed(fixture_file, url, control_key):
    """Seed a fixture file (or a snapshot) into a running mockhub."""
    from mockhub_client import ApiError

    try:
        created = _remote(url, control_key).seed(read_fixture(fixture_file), scope="server")
    except FixtureError as exc:
        raise click.ClickException(str(exc)) from None
    except ApiError as exc:
        raise click.ClickException(f"{url} refused the fixture: {exc.message}") from None
    except OSError as exc:
        raise click.ClickException(f"cannot reach {url}: {exc}") from None
    restored = created.get("snapshot") or {}
    click.echo(f"seeded {fixture_file}: {len(created['organizations']) + restored.get('organizations', 0)} "
               f"organization(s), {len(created['projects']) + restored.get('projects', 0)} project(s)")


@main.command()
@click.option("--url", default="http://127.0.0.1:8080", show_default=True, help="The running mockhub.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
@CONTROL_KEY_OPTION
def snapshot(url, output, control_key):
    """Save a running mockhub's whole state as a fixture (seed it back with `mockhub seed`)."""
    try:
        document = _remote(url, control_key).snapshot(scope="server")
    except OSError as exc:
        raise click.ClickException(f"cannot reach {url}: {exc}") from None
    text = json.dumps(document, indent=1)
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
        click.echo(f"wrote {output}")
    else:
        click.echo(text)


@main.command()
@click.option("--check", type=click.Path(dir_okay=False), help="Exit 1 if this file differs from the table.")
def coverage(check):
    """Print the SDK coverage table (Markdown) built from the route table."""
    from mockhub.coverage import coverage_markdown

    table = coverage_markdown()
    if check:
        with open(check, encoding="utf-8") as handle:
            if handle.read() != table:
                raise click.ClickException(f"{check} is stale: run `mockhub coverage > {check}`")
        click.echo(f"{check} is current")
        return
    click.echo(table, nl=False)


def _register_commands():
    from mockhub.plugin_tools.cli import plugin
    from mockhub.pull.cli import pull

    main.add_command(pull)
    main.add_command(plugin)


_register_commands()
