"""The task page (image, boxes as SVG rects, classifications, stage history, issues), the journal page and the
webhook deliveries page."""
import socket

from mockhub.demo.setup import REVIEW, WEATHER
from tests.dashboard.helpers import box, elements, inner, table_rows


def unused_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def overlay_rects(html):
    """(x, y, width, height, stroke) of each object box drawn over the image."""
    return [tuple(float(r["attrs"][k]) for k in ("x", "y", "width", "height")) + (r["attrs"]["stroke"],)
            for r in elements(html, "rect", stroke=None)]


def test_the_task_page_draws_the_boxes_over_the_image(demo):
    task = next(t for t in demo.tasks() if t["externalId"] == "street-007.svg")
    weather = {"schemaId": WEATHER, "answer": "Rainy"}
    demo.api("POST", f"/v2/annotate/{task['_id']}", {"answer": {
        "objects": [box(12.5, 40, 150, 60, "Truck"), box(400, 300, -80, -50, "Bus")], "classifications": [weather]}})

    html = demo.page(f"/tasks/{task['_id']}")

    overlay = elements(html, "svg", id="overlay")[0]["attrs"]
    assert overlay["viewbox"] == "0 0 640 400"
    assert [i["attrs"]["href"] for i in elements(html, "image")] == ["http://localhost/demo/images/7.svg"]
    assert overlay_rects(html) == [(12.5, 40.0, 150.0, 60.0, "#e63946"), (320.0, 250.0, 80.0, 50.0, "#e63946")]
    assert [t["text"] for t in elements(html, "text", class_="shape-label")] == ["Vehicle · Truck", "Vehicle · Bus"]
    cells = elements(inner(html, "classifications"), "th") + elements(inner(html, "classifications"), "td")
    assert [c["text"] for c in cells] == ["Weather", "Rainy"]
    assert elements(html, "h1", id="task-title")[0]["text"] == "street-007.svg"


def test_a_task_without_objects_draws_no_rect(demo):
    html = demo.page(f"/tasks/{demo.tasks()[0]['_id']}")

    assert overlay_rects(html) == [] and "No objects." in html


def test_the_task_page_shows_the_stage_history_and_issues(demo):
    task = demo.tasks()[0]
    demo.submit(task["_id"], [box(1, 2, 3, 4)], key="mockhub-demo-key-labeler-1")
    demo.api("POST", f"/v2/review/{task['_id']}", {"reviewStatus": "Rejected"}, key="mockhub-demo-key-reviewer-1")
    issue = demo.api("POST", "/v2/issues", {"content": "Box too <small>", "labelTask": task["_id"],
                                            "position": "[2, 3]"}, key="mockhub-demo-key-reviewer-1")["issue"]
    demo.api("POST", f"/v2/issues/{issue['_id']}/comment", {"content": "Fixed it"}, key="mockhub-demo-key-labeler-1")

    html = demo.page(f"/tasks/{task['_id']}")

    timeline = [li["text"].split() for li in elements(inner(html, "history"), "li")]
    assert [words[0] for words in timeline] == ["Start", "Label", "Review", "Label"]
    assert timeline[1][1] == "labeler-1@demo.mockhub"
    assert timeline[2][1:3] == ["Rejected", "reviewer-1@demo.mockhub"]
    assert timeline[-1] == ["Label", "now"]
    assert elements(html, "b", id="task-stage")[0]["text"] == "Label"
    [issue_item] = elements(inner(html, "issues"), "li")
    assert issue_item["text"].split()[:6] == ["1", "Open", "Box", "too", "<small>", "reviewer-1@demo.mockhub"]
    assert "Box too &lt;small&gt;" in html and "at [2, 3]" in issue_item["text"]
    assert elements(html, "div", class_="comment small")[0]["text"] == "labeler-1@demo.mockhub: Fixed it"


def test_the_journal_page_lists_the_organizations_requests_newest_first(demo):
    demo.api("GET", "/v2/listProjects")
    demo.tasks(stage=REVIEW)
    demo.api("POST", "/v2/project", {"name": "Someone else's"}, key="journal-outsider")
    demo.client.get("/v2/listProjects", headers={"apikey": "mockhub-demo-key"}, query_string={"limit": "0"})

    rows = table_rows(demo.page("/journal"), "journal")

    assert [(r[1], r[2].split("?")[0], r[3], r[5]) for r in rows] == [
        ("GET", "/v2/listProjects", "400", "list_projects"),
        ("GET", f"/v2/project/{demo.project_id}/tasks", "200", "get_tasks"),
        ("GET", "/v2/listProjects", "200", "list_projects")]
    assert rows[1][2].endswith(f'filter={{"stage": "{REVIEW}"}}')  # the query is shown unescaped
    assert elements(demo.page("/journal"), "tr", class_="failed")[0]["text"].split()[2] == "/v2/listProjects?limit=0"


def test_the_webhooks_page_shows_the_organizations_deliveries(demo):
    key = "webhook-page-key"
    project_id = demo.api("POST", "/v2/project", {"name": "Hooked"}, key=key)["project"]["_id"]
    url = f"http://127.0.0.1:{unused_port()}/hook"
    demo.api("POST", f"/v2/project/{project_id}", {"stages": [
        {"id": "Start", "type": "Start", "name": "Start", "next": ["Label"], "autoForward": True},
        {"id": "Label", "type": "Label", "name": "Label", "next": ["Hook"]},
        {"id": "Hook", "type": "Webhook", "name": "Notify", "next": ["Complete"], "webhook": {"url": url}},
        {"id": "Complete", "type": "Complete", "name": "Complete", "next": []}]}, key=key)
    demo.api("POST", f"/v2/project/{project_id}/cloud", {"assets": [{"data": "https://x.test/a.jpg"}]}, key=key)
    task_id = demo.api("GET", f"/v2/project/{project_id}/tasks", key=key)["tasks"][0]["_id"]
    demo.submit(task_id, key=key)

    rows = table_rows(demo.page("/webhooks", key=key), "deliveries")

    assert [r[1:6] for r in rows] == [["Hooked", "stage", "a.jpg", url, "—"]]
    assert rows[0][7].startswith("ConnectionError")
    assert table_rows(demo.page("/webhooks"), "deliveries") == [
        ["No deliveries yet: add a Webhook stage to a project's workflow."]]
