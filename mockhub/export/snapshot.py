"""Export, store side: a consistent snapshot under the lock (serializing happens outside), and the zip's home."""
from mockhub.errors import BadRequest
from mockhub.query.filters import TASK_FIELDS, compile_filter
from mockhub.query.pagination import QueryError
from mockhub.store.batches import resolve_batches
from mockhub.store.db import clone


class Exports:
    """Export's store side: the references under the lock, the copy outside it, and the zip's home."""

    def __init__(self, tables, clock, ids, projects, tasks):
        self.tables, self.clock, self.ids, self.projects, self.tasks = tables, clock, ids, projects, tasks

    def _export_filter(self, project, options):
        spec = dict(options.get("where") or {})
        if options.get("stages") is not None:
            ids = {s["id"] for s in project["stages"]}
            by_name = {s.get("name"): s["id"] for s in project["stages"]}
            spec["stage"] = {"$in": [s if s in ids else by_name.get(s, s) for s in options["stages"]]}
        if options.get("batches"):
            spec["batches"] = {"$in": resolve_batches(project, options["batches"])}
        if options.get("taskTypes"):
            spec["type"] = {"$in": list(options["taskTypes"])}
        if "assignee" in spec:  # ango 0.1.18 names assignees by user id
            people = spec["assignee"].get("$in", [])
            users = self.tables.c["users"]
            spec["assignee"] = {"$in": [users.get(p)["email"] if p in users else p for p in people]}
        try:
            return compile_filter(spec, TASK_FIELDS)
        except QueryError as exc:
            raise BadRequest(str(exc)) from None

    def export_references(self, user, project_id, options, take):
        """Under the organization's lock: return `take(project, task_count, references)`, where `references()`
        lists, per matching task, its stored documents (`export_copy` turns them into a snapshot).

        Stored documents are replaced on write, never changed in place, so these references stay one
        consistent moment after the lock is released; copying and serializing them happens outside it (or in
        a child forked under the lock, whose memory is that moment: `mockhub.export.forked`)."""
        project = self.projects.require_project(user, project_id)
        matches = self._export_filter(project, options)

        def references():
            return [(t, self.tables.assets.get(t["asset"]), self.tables.history.of_task(t["_id"]), self.tables.issues.of_task(t["_id"]))
                    for t in self.tables.tasks.in_project(project_id) if matches(t)]
        return take(project, self.tables.tasks.count(project_id), references)

    def export_copy(self, project, found, options):
        """The snapshot of `export_references`' documents: copies, with stage and batch names (takes no lock).
        Its items are made one at a time as they are read, so an export holds one copied task at once."""
        stage_names = {s["id"]: s.get("name", s["id"]) for s in project["stages"]}
        batch_names = {b["_id"]: b["name"] for b in project["batches"]}
        if options["type"] == "issue":
            items = ({"issue": clone(i), "asset": clone(asset), "stageName": stage_names.get(i["stage"]),
                      "batchNames": [batch_names.get(b, b) for b in t["batches"]]}
                     for t, asset, _, issues in found for i in issues)
            return {"projectId": project["_id"], "items": items}
        schema, kinds = clone(project["categorySchema"]), {s["id"]: s["type"] for s in project["stages"]}

        def item(t, asset, history, issues):
            return {"task": self.tasks.present_task(t, asset=asset), "asset": clone(asset),
                    "history": [dict(clone(h), stageType=kinds.get(h["stage"])) for h in history],
                    "batchNames": [batch_names.get(b, b) for b in t["batches"]], "issues": [clone(i) for i in issues],
                    "stageName": stage_names.get(t["stage"], t["stage"]), "categorySchema": schema}
        return {"projectId": project["_id"], "items": (item(*found_one) for found_one in found)}

    def save_export(self, user, project_id, name, data):
        """Keep an export zip in the object store; return its file id (its URL needs no key, like Hub's)."""
        file_id = self.ids.token(12)
        self.tables.c["files"].insert({"_id": file_id, "name": name, "project": project_id,
                                "organization": user["organization"], "type": "exports", "storage": None,
                                "size": len(data), "contentType": "application/zip",
                                "createdAt": self.clock.now_iso()})
        self.tables.blobs[file_id] = data
        return file_id
