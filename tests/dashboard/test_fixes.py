"""What #16 found wrong in the demo and the dashboard, each through the API, the pages or the demo's own parts:
Hold is not done, idle bots back off, other organizations' webhook failures stay out of the demo's terminal, the
tasks table names who worked a task, a page past the end shows the last page, issues are drawn where they point."""
import logging
import socket

import pytest
from imerit_ango.sdk import SDK

from mockhub.demo import bots
from mockhub.demo.progress import progress_line
from mockhub.demo.runner import DemoOptions, DemoRun
from mockhub.demo.setup import HOLD, REVIEW, people
from tests.dashboard.helpers import box, elements, table_rows

LABELER = people(2, 1).labelers[0]
REVIEWER = people(2, 1).reviewers[0]


def work(demo, task_id, objects, decision="Accepted"):
    """A labeler submits the task, a reviewer decides: the demo's own people, through the API."""
    demo.submit(task_id, objects, key=LABELER[1])
    demo.api("POST", f"/v2/review/{task_id}", {"reviewStatus": decision}, key=REVIEWER[1])


def test_the_terminal_counts_done_as_the_dashboard_does_hold_is_not_done(demo):
    tasks = demo.tasks()
    for task in tasks[:3]:
        work(demo, task["_id"], [])  # no box: the quality gate holds it
    for task in tasks[3:8]:
        work(demo, task["_id"], [box(10, 10, 50, 40)])  # Complete, or Hold by the 15% sample
    counts = {s: len(demo.tasks(stage=s)) for s in ("Label", REVIEW, HOLD, "Complete")}
    assert counts[HOLD] >= 3 and counts["Complete"] >= 1

    project = demo.api("GET", f"/v2/project/{demo.project_id}")["project"]
    line = progress_line(project["stages"], counts, {}, fancy=False)
    [row] = table_rows(demo.page("/"), "projects")

    assert f" {counts['Complete']}/25 done" in line
    assert row[4] == str(counts["Complete"])  # the dashboard's Complete column: the same number


def test_an_idle_bot_backs_off_to_a_poll_every_half_minute(monkeypatch):
    """Ten minutes of a crew with nothing left to do, on a simulated clock: each bot looks a few dozen times."""
    class SimulatedTime:
        now = 0.0

        def wait(self, seconds):
            self.now += seconds
            return self.now >= 600

        def is_set(self):
            return self.now >= 600

    polls = []
    monkeypatch.setattr(bots.Bot, "take", lambda bot: polls.append(bot.crew.stopping.now))
    crew = bots.Crew("http://127.0.0.1:1", "p", people(1, 0), pace=1.0)
    crew.stopping = SimulatedTime()
    [bot] = crew.bots

    bot.run()

    assert len(polls) <= 30  # was about 120 (a poll every 5 s), two requests each
    gaps = [b - a for a, b in zip(polls, polls[1:])]
    assert max(gaps) == bots.IDLE_MAX == 30


def _webhook_project(sdk, url):
    project_id = sdk.create_project("Hooked elsewhere", "")["data"]["project"]["_id"]
    stages = [{"id": "Start", "type": "Start", "name": "Start", "next": ["Hook"], "autoForward": True,
               "position": {"x": 0, "y": 0}},
              {"id": "Hook", "type": "Webhook", "name": "Notify", "next": ["Complete"], "webhook": {"url": url},
               "position": {"x": 0, "y": 0}},
              {"id": "Complete", "type": "Complete", "name": "Complete", "next": [], "position": {"x": 0, "y": 0}}]
    sdk.update_workflow_stages(project_id, stages)
    return project_id


def test_another_organizations_webhook_failure_stays_out_of_the_demos_terminal(caplog):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}/hook"  # bound, not listening: refused
        with DemoRun(DemoOptions(port=0, assets=2, labelers=0, reviewers=0, seed=3)) as run:
            sdk = SDK("someone-elses-key", host=run.server.url)
            project_id = _webhook_project(sdk, dead)
            with caplog.at_level(logging.WARNING, logger="mockhub.webhooks"):
                sdk.upload_files_cloud(project_id, [{"data": "https://x.test/1.png", "externalId": "1.png"}])
            during = [r.getMessage() for r in caplog.records]
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="mockhub.webhooks"):  # the demo gone: logged as usual
            from mockhub.app import create_app
            from mockhub.server import LiveServer

            with LiveServer(create_app()) as plain:
                other = SDK("someone-elses-key", host=plain.url)
                other.upload_files_cloud(_webhook_project(other, dead), [{"data": "https://x.test/1.png"}])
        after = [r.getMessage() for r in caplog.records]

    assert during == []
    assert after and after[0].startswith(f"webhook to {dead} failed")
    deliveries = run.store.webhook_log()
    assert [d["ok"] for d in deliveries] == [False]  # it was sent and failed, only not printed


def test_the_tasks_table_names_the_assignee_or_who_last_worked_the_task(demo):
    first, second, third = demo.tasks()[:3]
    work(demo, first["_id"], [box(1, 1, 20, 20)], decision="Rejected")  # back in Label, assigned to its labeler
    work(demo, second["_id"], [box(1, 1, 20, 20)])  # past Review: nobody is assigned now
    demo.submit(third["_id"], [], key=LABELER[1])  # waiting in Review

    rows = {row[0]: row for row in table_rows(demo.page(f"/projects/{demo.project_id}/tasks"), "tasks")}

    assert rows[first["externalId"]][3] == LABELER[0]
    assert rows[second["externalId"]][3] == f"last: {REVIEWER[0]}"
    assert rows[third["externalId"]][3] == f"last: {LABELER[0]}"
    untouched = [row for name, row in rows.items() if name not in (first["externalId"], second["externalId"],
                                                                    third["externalId"])]
    assert {row[3] for row in untouched} == {"—"}


@pytest.mark.parametrize("asked", ["2", "99"])
def test_a_page_past_the_end_shows_the_last_page_and_says_so(demo, asked):
    html = demo.page(f"/projects/{demo.project_id}/tasks?page={asked}")

    assert elements(html, "p", id="summary")[0]["text"] == "25 task(s) · page 2 of 2"
    assert len(table_rows(html, "tasks")) == 5


def test_issues_are_drawn_where_they_point_and_numbered_as_listed(demo):
    task = demo.tasks()[0]
    for content, position in (("Is this a car?", "[120, 80]"), ("Blurred", None), ("Edge", "[300.5, 40]")):
        payload = {"labelTask": task["_id"], "content": content}
        if position:
            payload["position"] = position
        demo.api("POST", "/v2/issues", payload)

    html = demo.page(f"/tasks/{task['_id']}")

    markers = elements(html, "g", class_="issue-marker")
    circles = [(c["attrs"]["cx"], c["attrs"]["cy"]) for c in elements(html, "circle")]
    assert [m["attrs"]["data-issue"] for m in markers] == ["1", "3"]
    assert circles == [("120.0", "80.0"), ("300.5", "40.0")]
    assert [m["text"].strip().splitlines()[-1].strip() for m in markers] == ["1", "3"]
    listed = [li["attrs"]["data-issue"] for li in elements(html, "li", data_issue=None)]
    assert listed == ["1", "2", "3"]


def test_an_sdk_issue_position_is_drawn_too(demo):
    """The SDK sends str([x, y]): the form the demo's labelers use through the bundled client."""
    import random

    from mockhub.demo.answers import issue_for

    task = demo.tasks()[0]
    content, position = issue_for(1, random.Random(2))
    demo.api("POST", "/v2/issues", {"labelTask": task["_id"], "content": content, "position": position})
    x, y = (float(v) for v in position.strip("[]").split(","))

    html = demo.page(f"/tasks/{task['_id']}")

    [marker] = elements(html, "g", class_="issue-marker")
    [circle] = elements(html, "circle")
    assert marker["attrs"]["data-status"] == "Open"
    assert (float(circle["attrs"]["cx"]), float(circle["attrs"]["cy"])) == (x, y)
    assert f"Issue 1 (Open): {content}" in marker["text"]


def _curve_points(d, samples=60):
    """Points along an SVG path `M x y C x y, x y, x y` (what graph.layout draws)."""
    x0, y0, x1, y1, x2, y2, x3, y3 = (float(v) for v in d.replace("M", " ").replace("C", " ").replace(",", " ")
                                      .split())
    for i in range(samples + 1):
        t = i / samples
        a, b, c, e = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t ** 2, t ** 3
        yield a * x0 + b * x1 + c * x2 + e * x3, a * y0 + b * y1 + c * y2 + e * y3


def _label_box(edge, char_width=6.8, ascent=11, descent=3):
    """The box a 12 px label takes (a generous width per character)."""
    width = char_width * max(len(line) for line in edge["lines"])
    left = {"end": edge["lx"] - width, "middle": edge["lx"] - width / 2}[edge["anchor"]]
    return left, edge["ly"] - ascent, left + width, edge["ly"] + 14 * (len(edge["lines"]) - 1) + descent


def test_no_edge_label_overlaps_an_arrow_or_a_stage_of_the_demo_workflow(demo):
    from mockhub.dashboard.graph import layout
    from mockhub.dashboard.project_pages import _titles

    project = demo.api("GET", f"/v2/project/{demo.project_id}")["project"]
    graph = layout(project["stages"], {}, _titles(project))
    labelled = [e for e in graph["edges"] if e["label"]]
    assert sorted(e["label"] for e in labelled) == ["accept", "else", "no Vehicle / sample 15%", "reject"]

    for edge in labelled:
        left, top, right, bottom = _label_box(edge)
        for other in graph["edges"]:
            crossing = [(x, y) for x, y in _curve_points(other["d"]) if left <= x <= right and top <= y <= bottom]
            assert crossing == [], (edge["label"], other["source"], other["target"])
        for node in graph["nodes"]:
            apart = right < node["x"] or left > node["x"] + node["w"] or bottom < node["y"] or \
                top > node["y"] + node["h"]
            assert apart, (edge["label"], node["name"])
