"""The project page (workflow graph with live counts), its JSON endpoint, and the tasks table's pages and filters."""
from mockhub.demo.setup import HOLD, LOGIC, REVIEW
from tests.dashboard.helpers import box, elements, stage_counts, table_rows

STAGES = ["Start", "Label", REVIEW, LOGIC, HOLD, "Complete"]


def test_the_project_page_draws_every_stage_and_edge(demo):
    html = demo.page(f"/projects/{demo.project_id}")

    nodes = elements(html, "g", class_=None, data_stage=None)
    assert [n["attrs"]["data-stage"] for n in nodes] == STAGES
    assert [n["attrs"]["class"] for n in nodes] == ["node type-start", "node type-label", "node type-review",
                                                   "node type-logic", "node type-hold", "node type-complete"]
    edges = {(e["attrs"]["data-source"], e["attrs"]["data-target"]): e["attrs"]["class"]
             for e in elements(html, "path", data_source=None)}
    assert edges == {("Start", "Label"): "edge", ("Label", REVIEW): "edge", (REVIEW, LOGIC): "edge",
                     (REVIEW, "Label"): "edge back", (LOGIC, HOLD): "edge", (LOGIC, "Complete"): "edge",
                     (HOLD, "Complete"): "edge"}
    assert [t["text"] for t in elements(html, "tspan")] == ["accept", "reject", "no Vehicle", "sample 15%", "else"]
    assert stage_counts(html) == {"Start": 0, "Label": 25, REVIEW: 0, LOGIC: 0, HOLD: 0, "Complete": 0}
    graph = elements(html, "svg", id="workflow")[0]["attrs"]
    assert graph["data-counts-url"] == f"/projects/{demo.project_id}/counts.json"
    assert table_rows(html, "batches") == [["Week 1", "9"], ["Week 2", "8"], ["Week 3", "8"]]


def test_counts_follow_api_calls(demo):
    counts_url = f"/projects/{demo.project_id}/counts.json"
    before = demo.client.get(f"{counts_url}?apikey=mockhub-demo-key").get_json()
    first, second = demo.tasks()[:2]

    demo.submit(first["_id"], [box(10, 20, 100, 50)])
    demo.submit(second["_id"])
    demo.api("POST", f"/v2/review/{first['_id']}", {"reviewStatus": "Rejected"})

    assert before == {"projectId": demo.project_id, "total": 25,
                      "counts": {"Start": 0, "Label": 25, REVIEW: 0, LOGIC: 0, HOLD: 0, "Complete": 0}}
    after = demo.client.get(counts_url).get_json()  # the cookie from the first call carries the key
    assert after["counts"] == {"Start": 0, "Label": 24, REVIEW: 1, LOGIC: 0, HOLD: 0, "Complete": 0}
    assert stage_counts(demo.page(f"/projects/{demo.project_id}")) == after["counts"]


def test_the_tasks_table_pages_by_twenty(demo):
    first = demo.page(f"/projects/{demo.project_id}/tasks")
    second = demo.page(f"/projects/{demo.project_id}/tasks?page=2")
    beyond = demo.page(f"/projects/{demo.project_id}/tasks?page=3")

    assert elements(first, "p", id="summary")[0]["text"] == "25 task(s) · page 1 of 2"
    first_ids = [row[0] for row in table_rows(first, "tasks")]
    second_ids = [row[0] for row in table_rows(second, "tasks")]
    assert first_ids == [f"street-{n:03d}.svg" for n in range(25, 5, -1)]  # newest first, as the API lists them
    assert second_ids == [f"street-{n:03d}.svg" for n in range(5, 0, -1)]
    assert [a["attrs"]["href"] for a in elements(first, "a") if a["text"] == "next ›"] == [
        f"/projects/{demo.project_id}/tasks?page=2"]
    assert [a["attrs"]["href"] for a in elements(second, "a") if a["text"] == "‹ previous"] == [
        f"/projects/{demo.project_id}/tasks?page=1"]
    assert table_rows(beyond, "tasks") == table_rows(second, "tasks")  # past the end: the last page, not "page 3 of 2"


def test_the_tasks_table_filters_by_stage_batch_assignee_and_status(demo):
    project = demo.api("GET", f"/v2/project/{demo.project_id}")["project"]
    week_2 = next(b["_id"] for b in project["batches"] if b["name"] == "Week 2")
    tasks = {t["externalId"]: t for t in demo.tasks()}
    demo.submit(tasks["street-003.svg"]["_id"])
    demo.api("POST", "/v2/task/assign", {"project": demo.project_id, "tasks": [tasks["street-004.svg"]["_id"]],
                                         "user": "labeler-1@demo.mockhub", "stage": "Label"})
    demo.api("POST", f"/v2/project/{demo.project_id}/requeueTasks",
             {"toStageId": "Complete", "filters": {"taskIds": [tasks["street-005.svg"]["_id"]]}, "options": {}})

    def rows(query):
        return table_rows(demo.page(f"/projects/{demo.project_id}/tasks?{query}"), "tasks")

    assert [r[:2] for r in rows(f"stage={REVIEW}")] == [["street-003.svg", "Review"]]
    week = rows(f"batch={week_2}")
    assert [r[0] for r in week] == [f"street-{n:03d}.svg" for n in range(17, 9, -1)]
    assert {r[4] for r in week} == {"Week 2"}
    assert [r[:4] for r in rows("assignee=labeler-1%40demo.mockhub")] == [
        ["street-004.svg", "Label", "TODO", "labeler-1@demo.mockhub"]]
    assert len(rows("assignee=-")) == 20 and "street-004.svg" not in [r[0] for r in rows("assignee=-&page=2")]
    assert [r[:3] for r in rows("status=Completed")] == [["street-005.svg", "Complete", "Completed"]]
    assert len(rows(f"stage=Label&batch={week_2}&status=TODO")) == 8
    html = demo.page(f"/projects/{demo.project_id}/tasks?stage={REVIEW}&status=TODO")
    assert [o["attrs"]["value"] for o in elements(html, "option", selected=None)] == [REVIEW, "TODO"]


def test_unknown_filter_values_are_ignored(demo):
    html = demo.page(f"/projects/{demo.project_id}/tasks?stage=Nowhere&batch=nope&status=Lost&page=x")

    assert elements(html, "p", id="summary")[0]["text"] == "25 task(s) · page 1 of 2"
