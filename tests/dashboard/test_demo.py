"""`mockhub demo`: the organization it builds, the images it draws, its bots at work, its command line."""
import random
import signal
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET

import pytest
import requests
from click.testing import CliRunner

from mockhub.cli import main
from mockhub.demo.answers import answer_for, image_number
from mockhub.demo.images import HEIGHT, WIDTH, scene
from mockhub.demo.progress import progress_line
from mockhub.demo.runner import DemoOptions, DemoRun
from mockhub.demo.setup import HOLD, HOLD_SAMPLE, LOGIC, REVIEW, TYPE, VEHICLE, WEATHER
from mockhub.query.pagination import Page
from mockhub.workflow import Graph

SVG = "{http://www.w3.org/2000/svg}"


def test_the_demo_builds_the_described_project(demo):
    project = demo.api("GET", f"/v2/project/{demo.project_id}")["project"]

    graph = Graph(project["stages"])  # raises if the stages are not a valid workflow
    assert [(s["id"], s["type"], s["next"]) for s in graph.stages] == [
        ("Start", "Start", ["Label"]), ("Label", "Label", [REVIEW]), (REVIEW, "Review", [LOGIC, "Label"]),
        (LOGIC, "Logic", [HOLD, HOLD, "Complete"]), (HOLD, "Hold", ["Complete"]), ("Complete", "Complete", [])]
    assert graph.stage(LOGIC)["logic"]["conditions"] == [
        {"type": "AnnotationType", "value": {"tools": [{"schemaId": VEHICLE, "filter": ["notExists"]}]}},
        {"type": "RandomSample", "value": HOLD_SAMPLE}]
    [vehicle] = project["categorySchema"]["tools"]
    assert (vehicle["title"], vehicle["tool"], vehicle["classifications"][0]["title"]) == ("Vehicle", "bounding-box",
                                                                                          "Type")
    assert [o["value"] for o in vehicle["classifications"][0]["options"]] == ["Car", "Truck", "Bus"]
    [weather] = project["categorySchema"]["classifications"]
    assert (weather["title"], weather["tool"], [o["value"] for o in weather["options"]]) == (
        "Weather", "radio", ["Sunny", "Rainy", "Foggy"])
    assert [b["name"] for b in project["batches"]] == ["Week 1", "Week 2", "Week 3"]
    assert sorted((m["assignee"], m["role"]) for m in project["assignedTo"])[1:] == [
        ("labeler-1@demo.mockhub", "Labeler"), ("labeler-2@demo.mockhub", "Labeler"),
        ("reviewer-1@demo.mockhub", "Reviewer")]
    tasks = demo.tasks()
    assert len(tasks) == 25 and {t["stage"] for t in tasks} == {"Label"}
    assert sorted(image_number(t["asset"]["data"]) for t in tasks) == list(range(1, 26))


def test_a_task_without_a_box_goes_to_hold_and_an_accepted_box_to_complete_or_hold(demo):
    empty, boxed = demo.tasks()[:2]
    for task, objects in ((empty, []), (boxed, [{"schemaId": VEHICLE, "bounding-box": {"x": 1, "y": 1, "width": 9,
                                                                                         "height": 9}}])):
        demo.submit(task["_id"], objects)
        demo.api("POST", f"/v2/review/{task['_id']}", {"reviewStatus": "Accepted"})

    assert demo.api("GET", f"/v2/task/{empty['_id']}")["task"]["stage"] == HOLD
    assert demo.api("GET", f"/v2/task/{boxed['_id']}")["task"]["stage"] in (HOLD, "Complete")


def test_the_images_route_serves_valid_svg(demo):
    with demo.client.get("/demo/images/7.svg") as response:
        body = response.get_data()
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    root = ET.fromstring(body)
    assert root.tag == f"{SVG}svg" and (root.get("width"), root.get("height")) == (str(WIDTH), str(HEIGHT))
    drawn = [g.get("data-vehicle") for g in root.iter(f"{SVG}g")]
    assert drawn == [v["type"] for v in sorted(scene(7)["vehicles"], key=lambda v: v["lane"])]
    assert demo.client.get("/demo/images/7.svg").get_data() == body  # the same picture every time
    assert demo.client.get("/demo/images/100000.svg").status_code == 404


def test_scenes_and_the_bots_boxes_stay_inside_the_image():
    rng = random.Random(1)
    empty = 0
    for number in range(1, 301):
        layout = scene(number)
        empty += not layout["vehicles"]
        assert layout["weather"] in ("Sunny", "Rainy", "Foggy")
        for v in layout["vehicles"]:
            assert 0 <= v["x"] and v["x"] + v["width"] <= WIDTH and 0 <= v["y"] and v["y"] + v["height"] <= HEIGHT
        answer = answer_for(number, rng)
        assert answer["classifications"] == [{"schemaId": WEATHER, "title": "Weather", "answer": layout["weather"]}]
        for obj in answer["objects"]:
            b = obj["bounding-box"]
            assert obj["schemaId"] == VEHICLE and obj["classifications"][0]["schemaId"] == TYPE
            assert 0 <= b["x"] and b["x"] + b["width"] <= WIDTH + 0.05 and b["width"] > 0
            assert 0 <= b["y"] and b["y"] + b["height"] <= HEIGHT + 0.05 and b["height"] > 0
    assert 20 <= empty <= 60  # about one image in eight has no vehicle: those go to Hold


def wait_for(condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_the_bots_move_tasks_open_issues_and_show_in_the_journal():
    options = DemoOptions(port=0, assets=12, labelers=3, reviewers=2, pace=0.02, accept_rate=0.7, seed=3,
                          issue_rate=0.5)
    with DemoRun(options) as run:
        moved = wait_for(lambda: run.counts()[HOLD] + run.counts()["Complete"] >= 4 and run.crew.stats["issues"] >= 2,
                         timeout=6)
    counts = run.counts()

    assert moved, counts
    assert counts["Label"] < 12 and counts["Label"] + counts[REVIEW] + counts[HOLD] + counts["Complete"] == 12
    assert not any(bot.is_alive() for bot in run.crew.bots) and run.crew.errors == []
    issues = run.store.get_issues(run.admin, run.project_id, {})
    assert len(issues) == run.crew.stats["issues"] and {i["createdBy"] for i in issues} <= {
        f"labeler-{n}@demo.mockhub" for n in (1, 2, 3)}
    journal = run.app.extensions["mockhub"].journal.entries(organization=run.admin["organization"])
    operations = {e["operation"] for e in journal}
    assert {"get_tasks", "annotate_task", "review_task", "create_issue", "get_task", "get_issues"} <= operations
    assert all(e["path"].startswith("/v2/") and e["status"] < 400 for e in journal)
    tasks, _ = run.store.get_tasks(run.admin, run.project_id, Page(1, 100), {"stage": "Complete"}, include_answer=True)
    assert all(t["answer"]["classifications"][0]["schemaId"] == WEATHER for t in tasks)


def test_a_reviewer_who_never_accepts_sends_everything_back():
    options = DemoOptions(port=0, assets=4, labelers=1, reviewers=1, pace=0.02, accept_rate=0.0, seed=1)
    with DemoRun(options) as run:
        wait_for(lambda: run.crew.stats["rejected"] >= 3, timeout=5)

    assert run.crew.stats["rejected"] >= 3 and run.crew.stats["accepted"] == 0
    assert run.counts()[HOLD] == run.counts()["Complete"] == 0


def test_the_progress_line_counts_tasks_per_stage():
    stages = [{"id": "Start", "type": "Start", "name": "Start"}, {"id": "Label", "type": "Label", "name": "Label"},
              {"id": "L", "type": "Logic", "name": "Gate"}, {"id": "H", "type": "Hold", "name": "Hold"},
              {"id": "Complete", "type": "Complete", "name": "Complete"}]
    counts = {"Start": 0, "Label": 5, "L": 0, "H": 1, "Complete": 4}

    assert progress_line(stages, counts, {"issues": 2}, fancy=False) == (
        "Label 5 | Hold 1 | Complete 4  [########------------] 4/10 done, 2 issues")


def test_demo_help_documents_the_options():
    result = CliRunner().invoke(main, ["demo", "--help"])

    text = " ".join(result.output.split())  # click wraps the help to the terminal's width
    assert result.exit_code == 0
    for option in ("--port INTEGER RANGE", "--assets INTEGER RANGE", "--labelers INTEGER RANGE", "--reviewers INTEGER RANGE",
                   "--pace FLOAT RANGE", "--accept-rate FLOAT RANGE", "--seed INTEGER", "--duration FLOAT RANGE",
                   "[default: 8080; 0<=x<=65535]", "[default: 0.8; 0<=x<=1]"):
        assert option in text


@pytest.mark.slow
def test_python_m_mockhub_demo_stops_cleanly_on_sigint():
    process = subprocess.Popen([sys.executable, "-m", "mockhub", "demo", "--port", "0", "--assets", "6", "--pace",
                                "0.05", "--seed", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    try:
        assert wait_for(lambda: any("dashboard:" in line for line in lines), timeout=15), lines
        dashboard = next(line for line in lines if "dashboard:" in line).split()[-1]
        page = requests.get(dashboard, timeout=5)
        assert page.status_code == 200 and "Vehicle detection (demo)" in page.text
        base = dashboard.split("/?")[0]
        assert wait_for(lambda: any(e["operation"] == "annotate_task" for e in requests.get(
            f"{base}/_mockhub/journal?scope=server", timeout=5).json()["data"]["requests"]), timeout=5)
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
        assert time.monotonic() - started < 5
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        reader.join(timeout=2)
        process.stdout.close()
        errors = process.stderr.read()
        process.stderr.close()
    assert "Traceback" not in errors, errors
    assert lines[0].startswith("mockhub demo on http://127.0.0.1:") and "API key:   mockhub-demo-key" in lines[3]
    assert lines[-1].startswith("stopped: ")
