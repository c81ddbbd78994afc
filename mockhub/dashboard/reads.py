"""What the dashboard shows, read through the store's public methods as the key's user (never a write)."""
from mockhub.query.pagination import Page
from mockhub.store.db import clone

ONE = Page(1, 1)
ALL = Page(1, 1000)
QUIET_TYPES = ("Start", "Logic", "Webhook", "Plugin")  # stages a task only passes through (unless held there)
WORK_TYPES = ("Label", "Review", "Consensus")  # stages where a person works a task
DONE_TYPES = ("Complete",)  # a task is done only there: Hold waits for a person, it is not finished


def done_count(stages, counts):
    """How many tasks are done (in a Complete stage): the dashboard's and the demo terminal's one definition."""
    return sum(counts.get(s["id"], 0) for s in stages if s["type"] in DONE_TYPES)


def organization(store, user):
    """The caller's organization ({_id, name}). The store has no public read for it; a stored document is
    replaced on write, never changed in place, so reading one needs no lock."""
    org = store.c["organizations"].get(user["organization"]) or {}
    return {"_id": user["organization"], "name": clone(org.get("name", user["organization"]))}


def stage_counts(store, user, project):
    """Return {stage id: number of tasks resting there} (each is one index count)."""
    return {stage["id"]: store.get_tasks(user, project["_id"], ONE, {"stage": stage["id"]})[1]
            for stage in project["stages"]}


def projects_overview(store, user):
    """The organization's projects, newest first, each with its task total and how many are Complete."""
    items, _ = store.list_projects(user, ALL)
    rows = []
    for item in items:
        project = store.get_project(user, item["_id"])
        counts = stage_counts(store, user, project)
        done = done_count(project["stages"], counts)
        rows.append({"project": project, "total": sum(counts.values()), "done": done,
                     "stages": len(project["stages"])})
    return rows


def task_filter(args, project):
    """Turn the tasks table's query (stage, batch, assignee, status) into a TaskFilter; '-' means unassigned."""
    spec = {}
    stage_ids = {s["id"] for s in project["stages"]}
    batch_ids = {b["_id"] for b in project["batches"]}
    if args.get("stage") in stage_ids:
        spec["stage"] = args["stage"]
    if args.get("batch") in batch_ids:
        spec["batches"] = args["batch"]
    if args.get("assignee") == "-":
        spec["assignee"] = {"$exists": False}
    elif args.get("assignee"):
        spec["assignee"] = args["assignee"]
    if args.get("status") in ("TODO", "Completed"):
        spec["status"] = args["status"]
    return spec


def task_page(store, user, project, spec, page):
    """Return (tasks, total) of one page of the tasks table."""
    return store.get_tasks(user, project["_id"], page, spec)


def last_workers(store, user, project, tasks):
    """{task id: who last worked it} for tasks without an assignee now (a task between stages has none): the
    person of its latest Label/Review/Consensus record."""
    worked = {s["id"] for s in project["stages"] if s["type"] in WORK_TYPES}
    found = {}
    for task in tasks:
        if task.get("assignee"):
            continue
        people = [h.get("completedBy") for h in store.get_task_history(user, task["_id"])
                  if h.get("stage") in worked and h.get("completedBy")]
        if people:
            found[task["_id"]] = people[-1]
    return found


def asset_metadata(store, user, task):
    """The task's asset metadata (width and height place the overlay), {} when the asset has none."""
    assets, _ = store.get_assets(user, task["project"], ONE, {"_id": task["asset"]["_id"]})
    return (assets[0].get("metadata") or {}) if assets else {}


def task_detail(store, user, task_id):
    """The task with its answer, project, asset metadata, stage history and issues."""
    task = store.get_task(user, task_id, include_answer=True)
    project = store.get_project(user, task["project"])
    return {"task": task, "project": project, "metadata": asset_metadata(store, user, task),
            "history": store.get_task_history(user, task_id),
            "issues": store.get_issues(user, project["_id"], {"labelTask": task_id})}


def journal_entries(journal, user, limit=200):
    """The organization's journaled API requests, newest first."""
    return list(reversed(journal.entries(organization=user["organization"], limit=limit)))


def webhook_deliveries(store, user, limit=200):
    """Webhook deliveries of the organization's projects, newest first."""
    items, _ = store.list_projects(user, ALL)
    names = {p["_id"]: p["name"] for p in items}
    found = [dict(d, projectName=names[d["projectId"]]) for d in store.webhook_log() if d["projectId"] in names]
    return list(reversed(found))[:limit]


def members(store, user):
    """The organization's people (email, name, role), oldest first."""
    return store.get_organization_members(user, user["organization"], ALL)[0]
