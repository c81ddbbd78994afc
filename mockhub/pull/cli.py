"""The `mockhub pull` command: progress on stderr, one-line errors, and a fixture file that is whole or absent."""
import datetime
import json
import os
import sys

import click

from mockhub.pull.hub import Hub, PullError
from mockhub.pull.project import PullOptions, pull_project


class Progress:
    """One click progress bar per stage of the pull (assets, tasks, files), on stderr."""

    def __init__(self):
        self.bars = {}

    def __call__(self, what, count, total):
        bar = self.bars.get(what)
        if bar is None:
            for other in self.bars.values():
                other.render_finish()
            bar = click.progressbar(length=total or 0, label=f"{what:<7}", file=sys.stderr, show_pos=True)
            self.bars[what] = bar
        bar.update(count)

    def wait(self, seconds, why):
        click.echo(f"\n{why}: waiting {seconds:.1f} s and retrying", err=True)

    def close(self):
        for bar in self.bars.values():
            bar.render_finish()


def _write(document, output):
    """Write the fixture next to its final name, then rename: an interrupted pull leaves no half file."""
    partial = f"{output}.partial"
    try:
        with open(partial, "w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=1, ensure_ascii=False)
            handle.write("\n")
        os.replace(partial, output)
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def _check(output):
    """Read the written fixture back as mockhub loads fixtures; a failure here is a mockhub bug."""
    from mockhub.seed import FixtureError, read_fixture

    try:
        read_fixture(output)
    except FixtureError as exc:
        raise click.ClickException(f"the pulled fixture does not load (please report it): {exc}") from None


@click.command()
@click.option("--host", required=True, envvar="ANGO_HOST", show_envvar=True,
              help="The hub's API URL, e.g. https://imeritapi.ango.ai (or a mockhub's URL).")
@click.option("--api-key", required=True, envvar="ANGO_API_KEY", show_envvar=True,
              help="An API key that can read the project (it is never written to the fixture).")
@click.option("--project", "project_id", required=True, envvar="ANGO_PROJECT", show_envvar=True,
              help="The project's id.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
              help="The fixture file to write [default: pulled-<project id>.json].")
@click.option("--assets", "count", type=click.IntRange(min=1), default=100, show_default=True,
              help="Keep this many assets: a sample in which every stage and batch still appears.")
@click.option("--all", "everything", is_flag=True, help="Keep every asset (overrides --assets).")
@click.option("--stage", "stages", multiple=True, metavar="NAME",
              help="Keep only tasks in this stage (a name or id; repeatable).")
@click.option("--batch", "batches", multiple=True, metavar="NAME",
              help="Keep only assets in this batch (a name or id; repeatable).")
@click.option("--anonymize", is_flag=True,
              help="Replace emails, names and free text (text answers, issue comments) with stable placeholders.")
@click.option("--download-assets", "download_dir", type=click.Path(file_okay=False),
              help="Copy the asset files into this folder (inside the fixture's folder); the fixture then "
                   "makes mockhub serve them.")
@click.option("--key", default=None, help="The API key the fixture gives the project's owner "
                                          "[default: pulled-<project id>].")
@click.option("--page-size", type=click.IntRange(1, 1000), default=100, show_default=True,
              help="Items per list request.")
def pull(host, api_key, project_id, output, count, everything, stages, batches, anonymize, download_dir, key,
         page_size):
    """Copy a project from an Ango Hub into a fixture file (ontology, workflow, batches, members, assets, tasks
    in their stages with answers and history, issues with comments).

    It reads through the public v2 API only, as the official SDK does, backing off when the hub rate-limits.
    Load the result with `mockhub serve --fixtures FILE`, `mockhub seed FILE` or the mockhub_fixture marker.
    """
    output = output or f"pulled-{project_id}.json"
    fixture_dir = os.path.dirname(os.path.abspath(output))
    if download_dir and not os.path.abspath(download_dir).startswith(fixture_dir + os.sep):
        raise click.UsageError(f"--download-assets {download_dir} must be a folder inside {fixture_dir}, "
                               f"where the fixture file goes")
    progress = Progress()
    hub = Hub(host, api_key, on_wait=progress.wait, page_size=page_size)
    options = PullOptions(count=None if everything else count, stages=stages, batches=batches, anonymize=anonymize,
                          download_dir=download_dir, fixture_dir=fixture_dir, key=key or f"pulled-{project_id}")
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    try:
        document, report = pull_project(hub, project_id, options, progress,
                                        description=f"Project {project_id} pulled from {host} on {when}")
        _write(document, output)
    except PullError as exc:
        raise click.ClickException(str(exc)) from None
    except KeyboardInterrupt:
        raise click.ClickException("interrupted: no fixture was written (asset files already downloaded are "
                                   "kept and reused by the next pull)") from None
    finally:
        progress.close()
    _check(output)
    click.echo(f"wrote {output}: {report.kept} of {report.assets} assets, {hub.requests} requests"
               + (f", {report.downloaded} files in {download_dir}" if download_dir else "")
               + (f" ({report.not_downloaded} could not be downloaded)" if report.not_downloaded else ""))
    for line in report.skipped[:10]:
        click.echo(f"  left out {line}", err=True)
    if len(report.skipped) > 10:
        click.echo(f"  ... and {len(report.skipped) - 10} more tasks left out", err=True)
    click.echo(f"  load it: mockhub serve --fixtures {output}   (API key {options.key!r})")
