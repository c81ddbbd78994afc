"""The dashboard in headless Chromium (its own CLI: --dump-dom after scripts ran, --screenshot): follow the
project link, watch a count change after an SDK call and by the page's own live refresh, see a task's boxes."""
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from imerit_ango.models.annotate import AnnotationPayload, Answer
from imerit_ango.sdk import SDK

from mockhub.app import create_app
from mockhub.demo.bots import Crew
from mockhub.demo.setup import DEMO_KEY, REVIEW, WEATHER, people, seed_demo
from mockhub.server import LiveServer
from tests.dashboard.helpers import box, elements, stage_counts

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--hide-scrollbars"]

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason=f"{CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)")]


def chromium(*args):
    """Run Chromium once with a fresh profile; return its stdout."""
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True,
                                text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def dump(url):
    """The DOM after the page's scripts ran (and its first live refresh answered)."""
    return chromium("--virtual-time-budget=2500", "--dump-dom", url)


def screenshot(url, path):
    path.parent.mkdir(exist_ok=True)
    chromium(f"--screenshot={path}", "--window-size=1280,900", "--virtual-time-budget=1500", url)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 20_000


@pytest.fixture
def served():
    """A live server with the demo organization (no bots) and a hook that can change state mid-page-load."""
    app = create_app({"SEED": 21})
    after_page = []

    @app.after_request
    def run_hooks(response):  # test-only: lets a test act between serving a page and its script's fetch
        while after_page:
            after_page.pop()()
        return response

    with LiveServer(app) as server:
        store = app.extensions["mockhub"].store
        project_id = seed_demo(store, server.url, 8, people(2, 1))
        yield server, store, project_id, after_page


def test_the_dashboard_in_a_real_browser(served):
    server, store, project_id, after_page = served
    url = server.url

    home = dump(f"{url}/?apikey={DEMO_KEY}")
    [link] = [a["attrs"]["href"] for a in elements(home, "a", class_="project-link")]
    assert link == f"/projects/{project_id}"
    page = dump(f"{url}{link}?apikey={DEMO_KEY}")
    assert stage_counts(page)["Label"] == 8 and elements(page, "body", data_live="ok")

    sdk = SDK(DEMO_KEY, host=url)
    task_id = sdk.get_tasks(project_id)["data"]["tasks"][0]["_id"]
    weather = {"schemaId": WEATHER, "answer": "Foggy"}
    answer = Answer(objects=[box(120, 210.5, 160, 70, "Truck")], classifications=[weather])
    sdk.annotate_task(task_id, AnnotationPayload(answer), send_to_next_stage=True)
    page = dump(f"{url}{link}?apikey={DEMO_KEY}")
    assert (stage_counts(page)["Label"], stage_counts(page)[REVIEW]) == (7, 1)

    admin = store.resolve_key(DEMO_KEY)
    other = next(t for t in sdk.get_tasks(project_id)["data"]["tasks"] if t["stage"] == "Label")["_id"]
    after_page.append(lambda: store.annotate_task(admin, other, {"objects": []}, next_stage=True))
    page = dump(f"{url}{link}?apikey={DEMO_KEY}")  # served with 7 in Label; the script's fetch finds 6
    assert (stage_counts(page)["Label"], stage_counts(page)[REVIEW]) == (6, 2)
    assert re.search(r"live: updated", page)

    sdk.create_issue(task_id, "Is this a truck?", position=[200, 245])
    task_page = dump(f"{url}/tasks/{task_id}?apikey={DEMO_KEY}")
    [marker] = elements(task_page, "g", class_="issue-marker")
    assert [(c["attrs"]["cx"], c["attrs"]["cy"]) for c in elements(task_page, "circle")] == [("200.0", "245.0")]
    assert marker["attrs"]["data-issue"] == "1"
    rects = [tuple(r["attrs"][k] for k in ("x", "y", "width", "height"))
             for r in elements(task_page, "rect", stroke=None)]
    assert rects == [("120", "210.5", "160", "70")]
    assert "Vehicle · Truck" in task_page

    crew = Crew(url, project_id, people(2, 1), pace=0.2, accept_rate=0.8, seed=4).start()
    time.sleep(0.8)  # let the bots spread tasks over the stages for the picture
    crew.stop()
    screenshot(f"{url}{link}?apikey={DEMO_KEY}", ARTIFACTS / "dashboard.png")
    labeled = [t["_id"] for t in sdk.get_tasks(project_id)["data"]["tasks"]
               if t["stage"] != "Label" and t["_id"] not in (task_id, other)]
    screenshot(f"{url}/tasks/{(labeled or [task_id])[0]}?apikey={DEMO_KEY}", ARTIFACTS / "dashboard-task.png")
    screenshot(f"{url}/tasks/{task_id}?apikey={DEMO_KEY}", ARTIFACTS / "dashboard-issue.png")
