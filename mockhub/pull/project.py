"""pull_project: read one project from a hub and return its fixture document (and the files it names)."""
import os
import re
from dataclasses import dataclass, field

from mockhub.pull import fixture
from mockhub.pull.anonymize import anonymize
from mockhub.pull.hub import PullError
from mockhub.pull.sample import choose

NOT_RESTING = ("Logic", "Webhook", "Consensus")  # a fixture cannot place a task in these (it moves on)
_UNSAFE = re.compile(r"[^A-Za-z0-9._ ()+-]")


@dataclass
class PullOptions:
    count: int = None                  # assets to keep (None: all)
    stages: tuple = ()                 # stage names or ids to keep
    batches: tuple = ()                # batch names or ids to keep
    anonymize: bool = False
    download_dir: str = None           # where asset files go (inside the fixture's folder)
    fixture_dir: str = "."             # the folder of the fixture file (file paths are relative to it)
    key: str = "pulled-key"            # the API key the fixture gives the project's owner


@dataclass
class PullReport:
    assets: int = 0                    # assets the project has
    kept: int = 0                      # assets in the fixture
    skipped: list = field(default_factory=list)   # one line per task left out, and why
    downloaded: int = 0
    not_downloaded: int = 0


def _resolve(names, known, what):
    """Ids of the stages/batches named by name or id; raise PullError for one the project lacks."""
    by_name = {name: _id for _id, name in known}
    ids = {_id for _id, _ in known}
    resolved = []
    for name in names:
        if name not in ids and name not in by_name:
            raise PullError(f"the project has no {what} {name!r} (it has: {', '.join(n for _, n in known)})")
        resolved.append(name if name in ids else by_name[name])
    return resolved


def _file_name(position, item):
    name = _UNSAFE.sub("_", str(item["asset"].get("externalId") or "asset")).lstrip(".")[:120] or "asset"
    return f"{position:06d}-{name}"


def _download(hub, items, options, report, progress):
    """Write each kept asset's file (an existing one is kept, so a pull that was stopped resumes)."""
    files = {}
    os.makedirs(options.download_dir, exist_ok=True)
    for position, item in enumerate(items, 1):
        target = os.path.join(options.download_dir, _file_name(position, item))
        if not os.path.exists(target):
            content = hub.download(item["asset"]["data"]) if str(item["asset"]["data"]).startswith("http") else None
            if content is None:
                report.not_downloaded += 1
                progress("files", 1, len(items))
                continue
            with open(target + ".partial", "wb") as handle:
                handle.write(content)
            os.replace(target + ".partial", target)
        report.downloaded += 1
        files[item["asset"]["_id"]] = os.path.relpath(target, options.fixture_dir).replace(os.sep, "/")
        progress("files", 1, len(items))
    return files


def _items(hub, project, progress, report):
    graph = {stage["id"]: stage for stage in project.get("stages") or []}
    tasks = {}
    for task in hub.get_tasks(project["_id"], lambda n, total: progress("tasks", n, total)):
        if task.get("type", "default") == "consensus":
            continue
        asset_id = task["asset"]["_id"] if isinstance(task.get("asset"), dict) else task.get("asset")
        tasks.setdefault(asset_id, task)
    items = []
    for asset in hub.get_assets(project["_id"], lambda n, total: progress("assets", n, total)):
        report.assets += 1
        task = tasks.get(asset["_id"])
        kind = (graph.get(task["stage"]) or {}).get("type") if task else None
        if task is None or kind in NOT_RESTING:
            report.skipped.append(f"{asset.get('externalId')}: its task is "
                                  f"{'missing' if task is None else f'moving through a {kind} stage'}")
            continue
        items.append({"asset": asset, "task": task})
    return items[::-1]  # oldest first, so the fixture creates them in the hub's order


def pull_project(hub, project_id, options, progress=lambda what, n, total: None, description=""):
    """Read the project and return (fixture document, PullReport)."""
    project = hub.get_project(project_id)
    stages = [(s["id"], s.get("name") or s["id"]) for s in project.get("stages") or []]
    batches = [(b["_id"], b["name"]) for b in project.get("batches") or []]
    stage_ids = _resolve(options.stages, stages, "stage")
    batch_ids = _resolve(options.batches, batches, "batch")
    report = PullReport()
    items = choose(_items(hub, project, progress, report), options.count, stage_ids, batch_ids)
    report.kept = len(items)
    histories = hub.each(hub.get_task_history, [item["task"]["_id"] for item in items],
                         lambda: progress("history", 1, len(items)))
    issues = {}
    for record in hub.get_issues(project_id):
        issues.setdefault(record.get("labelTask"), []).append(record)
    files = _download(hub, items, options, report, progress) if options.download_dir else {}
    names = dict(batches)
    for item in items:
        item["history"] = histories[item["task"]["_id"]]
        item["issues"] = issues.get(item["task"]["_id"], [])
        item["placed"] = fixture.asset(item, names, files.get(item["asset"]["_id"]))
    members = hub.get_organization_members(project["organization"]) if project.get("organization") else []
    document = fixture.build(project, items, members, options.key, description)
    return (anonymize(document) if options.anonymize else document), report
