"""Run the demo: a server with the demo organization, its bots and the progress line, until Ctrl-C."""
import logging
import sys
import time
from dataclasses import dataclass
from typing import Optional

from mockhub.demo.bots import Crew
from mockhub.demo.progress import Progress
from mockhub.demo.setup import DEMO_KEY, ORGANIZATION, people, seed_demo

REFRESH = 0.5  # seconds between redraws of the progress line


@dataclass
class DemoOptions:
    host: str = "127.0.0.1"
    port: int = 8080
    assets: int = 24
    labelers: int = 3
    reviewers: int = 2
    pace: float = 1.0
    accept_rate: float = 0.8
    seed: Optional[int] = None
    duration: Optional[float] = None
    issue_rate: float = 0.15


class DemoRun:
    """The demo's server and crew: `start()`, `stop()`, or use it as a context manager.

    :raises OSError: the port cannot be bound.
    """

    def __init__(self, options):
        from mockhub.app import create_app
        from mockhub.server import LiveServer

        self.options = options
        self.app = create_app({"SEED": options.seed})
        self.server = LiveServer(self.app, options.host, options.port)
        self.people = people(options.labelers, options.reviewers)
        self.store = self.app.extensions["mockhub"].store
        self.project_id = seed_demo(self.store, self.server.url, options.assets, self.people)
        self.admin = self.store.resolve_key(DEMO_KEY)
        self.crew = Crew(self.server.url, self.project_id, self.people, options.pace, options.accept_rate,
                         options.issue_rate, options.seed)

    @property
    def dashboard_url(self):
        return f"{self.server.url}/?apikey={DEMO_KEY}"

    @property
    def project_url(self):
        return f"{self.server.url}/projects/{self.project_id}"

    def counts(self):
        """Tasks per stage id, read straight from the store (the progress line makes no API traffic)."""
        from mockhub.dashboard.reads import stage_counts

        return stage_counts(self.store, self.admin, self.store.get_project(self.admin, self.project_id))

    def stages(self):
        return self.store.get_project(self.admin, self.project_id)["stages"]

    def own_project(self, record):
        """Logging filter: only the demo project's webhook failures reach the demo's terminal (another
        organization's would break into the progress line)."""
        return getattr(record, "projectId", self.project_id) == self.project_id

    def start(self):
        logging.getLogger("mockhub.webhooks").addFilter(self.own_project)
        self.server.start()
        self.crew.start()
        return self

    def stop(self):
        self.crew.stop()
        self.server.stop()
        logging.getLogger("mockhub.webhooks").removeFilter(self.own_project)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def _banner(run, out):
    o = run.options
    lines = [f"mockhub demo on {run.server.url}",
             f"  dashboard: {run.dashboard_url}",
             f"  project:   {run.project_url}",
             f"  API key:   {DEMO_KEY}  ({run.people.admin[0]}, {ORGANIZATION})",
             f'  SDK({DEMO_KEY!r}, host="{run.server.url}")',
             f"  {o.labelers} labeler(s), {o.reviewers} reviewer(s), one action every ~{o.pace:g} s each, "
             f"accept rate {o.accept_rate:g}; Ctrl-C stops"]
    out.write("\n".join(lines) + "\n")
    out.flush()


def run_demo(options, out=None):
    """Serve the demo and run its bots until Ctrl-C (or `options.duration` seconds); return the bots' tallies."""
    out = out or sys.stdout
    run = DemoRun(options)
    run.start()
    _banner(run, out)
    progress = Progress(out, run.stages())
    deadline = time.monotonic() + options.duration if options.duration else None
    try:
        while deadline is None or time.monotonic() < deadline:
            progress.show(run.counts(), run.crew.stats)
            time.sleep(REFRESH if deadline is None else max(0.0, min(REFRESH, deadline - time.monotonic())))
    except KeyboardInterrupt:
        pass  # Ctrl-C is how the demo is meant to end
    finally:
        progress.finish()
        run.stop()
    stats = dict(run.crew.stats)
    out.write(f"stopped: {stats.get('labeled', 0)} labeled, {stats.get('accepted', 0)} accepted, "
              f"{stats.get('rejected', 0)} rejected, {stats.get('issues', 0)} issue(s) opened\n")
    out.flush()
    return stats
