"""Dashboard pages about one project: the live workflow graph and its JSON, the tasks table, a task."""
from flask import jsonify, request

from mockhub.dashboard import bp, reads
from mockhub.dashboard.auth import current_user, store
from mockhub.dashboard.graph import layout
from mockhub.dashboard.plugin_pages import plugin_stages
from mockhub.dashboard.pages import page
from mockhub.dashboard.shapes import canvas_size, classification_rows, issue_markers, shapes
from mockhub.query.pagination import Page

PAGE_SIZE = 20
REFRESH_MS = 3000


def _project(project_id):
    user = current_user()
    return user, store().get_project(user, project_id)


def _titles(project):
    schema = project["categorySchema"]
    return {item.get("schemaId"): item.get("title") for key in ("tools", "classifications")
            for item in schema.get(key) or []}


@bp.get("/projects/<project_id>")
def project_page(project_id):
    user, project = _project(project_id)
    counts = reads.stage_counts(store(), user, project)
    graph = layout(project["stages"], counts, _titles(project))
    batches = [(b, store().get_tasks(user, project_id, reads.ONE, {"batches": b["_id"]})[1])
               for b in project["batches"]]
    return page("dashboard/project.html", user, project=project, graph=graph, total=sum(counts.values()),
                batches=batches, refresh_ms=REFRESH_MS, plugin_stages=plugin_stages(user, project))


@bp.get("/projects/<project_id>/counts.json")
def project_counts(project_id):
    user, project = _project(project_id)
    counts = reads.stage_counts(store(), user, project)
    return jsonify(projectId=project_id, counts=counts, total=sum(counts.values()))


def _page_number():
    raw = request.args.get("page", "1")
    return max(1, int(raw)) if raw.isdigit() else 1


@bp.get("/projects/<project_id>/tasks")
def project_tasks(project_id):
    user, project = _project(project_id)
    spec = reads.task_filter(request.args, project)
    number = _page_number()
    tasks, total = reads.task_page(store(), user, project, spec, Page(number, PAGE_SIZE))
    pages = max(1, -(-total // PAGE_SIZE))
    if number > pages:  # past the end (a stale link, page=99): show the last page, and say which it is
        number = pages
        tasks, total = reads.task_page(store(), user, project, spec, Page(number, PAGE_SIZE))
    chosen = {key: request.args[key] for key in ("stage", "batch", "assignee", "status") if request.args.get(key)}
    return page("dashboard/tasks.html", user, project=project, tasks=tasks, total=total, number=number, pages=pages,
                chosen=chosen, stage_names={s["id"]: s.get("name") or s["id"] for s in project["stages"]},
                batch_names={b["_id"]: b["name"] for b in project["batches"]},
                people=[m["assignee"] for m in project["assignedTo"]],
                last_workers=reads.last_workers(store(), user, project, tasks))


@bp.get("/tasks/<task_id>")
def task_page(task_id):
    user = current_user()
    detail = reads.task_detail(store(), user, task_id)
    project, task = detail["project"], detail["task"]
    drawn = shapes(task.get("answer"), project["categorySchema"])
    width, height = canvas_size(detail["metadata"], drawn)
    schema = project["categorySchema"]
    stage_names = {s["id"]: s.get("name") or s["id"] for s in project["stages"]}
    return page("dashboard/task.html", user, project=project, task=task, shapes=drawn, width=width, height=height,
                classifications=classification_rows((task.get("answer") or {}).get("classifications"),
                                                    schema.get("classifications")),
                history=detail["history"], issues=detail["issues"], markers=issue_markers(detail["issues"]),
                stage_names=stage_names,
                stage_types={s["id"]: s["type"] for s in project["stages"]},
                batch_names={b["_id"]: b["name"] for b in project["batches"]})
