"""Asset operations: cloud upload (which creates tasks), listing with filters, soft delete, attachments."""
import posixpath
from urllib.parse import urlsplit

from mockhub.errors import BadRequest, NotFound
from mockhub.gcpause import collector_paused
from mockhub.export.records import label_task
from mockhub.query.filters import ASSET_FIELDS, compile_filter, equality_terms
from mockhub.query.pagination import QueryError
from mockhub.store.batches import resolve_batches
from mockhub.store.db import clone
from mockhub.store.projects import MANAGE
from mockhub.store.tables import EMPTY_ANSWER, compact


def default_external_id(data):
    """Name an asset after the last path segment of its URL, as Hub does for files."""
    path = urlsplit(data).path if "://" in data else data
    return posixpath.basename(path.rstrip("/")) or data[:200]


def _asset_fields(item, batch_ids, priority):
    """The fields of an asset that come from its upload item."""
    return {"externalId": item.get("externalId") or default_external_id(item["data"]), "data": item["data"],
            "metadata": clone(item.get("metadata") or {}), "contextData": clone(item.get("contextData") or {}),
            "batches": list(batch_ids), "attachments": clone(item.get("attachments") or []),
            "isPreLabeled": bool(item.get("classifications")), "priority": item.get("priority", priority),
            "storage": item.get("storage")}


class Assets:
    """Assets: the cloud upload that creates them with their tasks, listing with filters, soft delete,
    attachments, and finding a project's assets by id, externalId or data."""

    def __init__(self, tables, clock, ids, projects, tasks, answers, transitions, workflow):
        self.tables, self.clock, self.ids, self.projects, self.tasks = tables, clock, ids, projects, tasks
        self.answers, self.transitions, self.workflow = answers, transitions, workflow

    def _present_asset(self, asset, project):
        """An asset as listed: its fields and its `labelTasks` with their stage history (docs/records.md)."""
        doc = clone(asset)
        doc.pop("_seq", None)
        stages = {s["id"]: s for s in project["stages"]}
        doc["labelTasks"] = []
        tasks = sorted(self.tables.tasks.of_asset(project["_id"], asset["_id"]), key=lambda t: t["type"] != "default")
        for task in tasks:  # the default task first: consumers read labelTasks[0]
            records = self.tables.history.of_task(task["_id"])
            history = [dict(r, stageType=stages.get(r["stage"], {}).get("type")) for r in records]
            doc["labelTasks"].append(label_task(task, history, stages.get(task["stage"], {}).get("name")))
        return doc

    def upload_files_cloud(self, user, project_id, assets, batches=None, priority=0, upload_local=False):
        """Create one asset and one task per item; every batch must exist first (nothing is written otherwise)."""
        project = self.projects.require_project(user, project_id, MANAGE)
        default_batches = resolve_batches(project, batches or [])
        planned = []
        for index, item in enumerate(assets):
            refs = item.get("batches") if item.get("batches") is not None else item.get("tags")
            batch_ids = resolve_batches(project, refs, f"assets[{index}].batches") if refs else default_batches
            planned.append((item, batch_ids))
        self.workflow.forward_waiting(project, user)
        ctx = self.transitions.context(user)
        entry = self.tasks.uniform_entry(user, project, ctx) if len(planned) > 1 else None
        if entry is None:  # one asset, or the engine may decide per task: one task at a time
            valid = [self.create_asset(user, project, item, batch_ids, priority, upload_local)[1]
                     for item, batch_ids in planned]
        else:
            with collector_paused():  # thousands of new acyclic documents: nothing for the collector to find
                valid = self._create_assets_alike(user, project, planned, priority, upload_local, entry)
        return {"assetsCreated": len(valid), "tasksCreated": len(valid),
                "preLabelsCount": sum(1 for v in valid if v is not None),
                "validPreLabelsCount": sum(filter(None, valid))}

    def _new_asset(self, user, project, now, upload_local):
        """The fields every asset of one upload shares (the item's own are None here: `_asset_fields` has them)."""
        return {"_id": None, "project": project["_id"], "organization": project["organization"], "externalId": None,
                "data": None, "metadata": {}, "contextData": {}, "batches": [], "attachments": [],
                "isPreLabeled": False, "priority": 0, "storage": None, "uploadLocal": bool(upload_local),
                "createdAt": now, "createdBy": user["email"], "deleted": False}

    def _upload_answer(self, project, item, user):
        """An item's pre-labels as a stored answer, and None (no pre-labels) or whether they all fit the ontology."""
        answer, skipped = self.answers.stored_answer(project, {"classifications": item.get("classifications") or []},
                                              user, "Start", strict=False, created_by="import")
        return answer, (skipped == 0 if item.get("classifications") else None)

    def create_asset(self, user, project, item, batch_ids, priority, upload_local):
        """Create an asset and its task; return (asset, None | whether its pre-labels all fit the ontology)."""
        asset = {**self._new_asset(user, project, self.clock.now_iso(), upload_local),
                 **_asset_fields(item, batch_ids, priority), "_id": self.ids.object_id()}
        asset["_seq"] = self.tables.next_seq(asset["_id"])
        asset = self.tables.assets.insert(asset)
        answer, valid = self._upload_answer(project, item, user)
        self.tasks.create_task(user, project, asset, answer)
        return asset, valid

    def _create_assets_alike(self, user, project, planned, priority, upload_local, entry):
        """Create the assets and tasks of an upload whose tasks all enter the workflow alike (`entry`), in bulk:
        the documents and ids one `create_asset` each would make; return the pre-label verdicts."""
        per = 2 + len(entry.history)  # ids per item, drawn in that order: the asset's, the task's, its records'
        ids = self.ids.object_ids(per * len(planned))
        rows, answers, valid = [], [], []
        for position, (item, batch_ids) in enumerate(planned):
            row = _asset_fields(item, batch_ids, priority)
            row["_id"] = ids[per * position]
            row["_seq"] = self.tables.next_seq(row["_id"])
            rows.append(row)
            answer, verdict = self._upload_answer(project, item, user) if item.get("classifications") \
                else (EMPTY_ANSWER, None)
            answers.append(compact({"answer": answer})["answer"] if verdict is not None else answer)
            valid.append(verdict)
        shared = self._new_asset(user, project, entry.task["createdAt"], upload_local)
        assets = self.tables.assets.insert_many(shared, rows)
        task_ids = [ids[start + 1:start + per] for start in range(0, len(ids), per)]
        self.tasks.create_tasks_alike(user, assets, answers, task_ids, entry)
        return valid

    def get_assets(self, user, project_id, page, filters=None):
        """Return (assets, total) newest first; `filters` is the get_assets filter object (batches = AND)."""
        project = self.projects.require_project(user, project_id)
        try:
            matches = compile_filter(filters or {}, ASSET_FIELDS)
        except QueryError as exc:
            raise BadRequest(str(exc)) from None
        if not filters:
            seqs = self.tables.assets.by_project.slice(project_id, page.offset, page.limit)
            items = [self.tables.assets.at(s) for s in seqs]
            return [self._present_asset(a, project) for a in items], self.tables.assets.by_project.count(project_id)
        found = [a for a in self._asset_candidates(project_id, filters) if matches(a)]
        return [self._present_asset(a, project) for a in found[page.offset:page.offset + page.limit]], len(found)

    def _asset_candidates(self, project_id, filters):
        """The live assets of the project an equality on _id, externalId or data narrows to, newest first."""
        terms = equality_terms(filters)
        if "_id" in terms:
            asset = self.live_asset(project_id, terms["_id"])
            return [asset] if asset else []
        for field in ("externalId", "data"):
            if field in terms:
                return self.tables.assets.matching(project_id, field, terms[field])[::-1]
        return (self.tables.assets.at(s) for s in self.tables.assets.by_project.iterate(project_id))

    def live_asset(self, project_id, asset_id):
        asset = self.tables.assets.get(asset_id)
        if asset is None or asset["deleted"] or asset["project"] != project_id:
            return None
        return asset

    def delete_assets(self, user, project_id, asset_ids):
        """Soft-delete assets and their tasks; every id must name a live asset of the project."""
        self.projects.require_project(user, project_id, MANAGE)
        missing = [a for a in asset_ids if self.live_asset(project_id, a) is None]
        if missing:
            raise NotFound(f"Assets not found in project {project_id}: {', '.join(map(str, missing))}")
        for asset_id in dict.fromkeys(asset_ids):
            self.tables.assets.update(asset_id, {"deleted": True})
            for task in self.tables.tasks.of_asset(project_id, asset_id):
                self.tables.tasks.update(task["_id"], {"deleted": True, "updatedAt": self.clock.now_iso()})
        return {"deletedCount": len(set(asset_ids))}

    def assets_matching(self, project_id, item):
        if item.get("assetId"):
            asset = self.live_asset(project_id, item["assetId"])
            return [asset] if asset else []
        key, value = ("externalId", item.get("externalId")) if item.get("externalId") else ("data", item.get("data"))
        return self.tables.assets.matching(project_id, key, value)[::-1]

    def create_attachment(self, user, project_id, attachments):
        """Attach files/text to the assets each item names (by externalId, data or assetId); all or nothing."""
        self.projects.require_project(user, project_id, MANAGE)
        plan = []
        for index, item in enumerate(attachments):
            targets = self.assets_matching(project_id, item)
            if not targets:
                raise BadRequest(f"attachments[{index}]: no asset matches "
                                 f"{item.get('assetId') or item.get('externalId') or item.get('data')}")
            plan.append((targets, item["attachments"]))
        updated = set()
        for targets, new in plan:
            for asset in targets:
                asset = self.tables.assets.get(asset["_id"])  # an earlier item may have replaced it
                self.tables.assets.update(asset["_id"], {"attachments": asset["attachments"] + clone(new)})
                updated.add(asset["_id"])
        return {"attachmentsImported": sum(len(new) * len(t) for t, new in plan), "assetsUpdated": len(updated)}
