"""Task operations: creation and movement through the workflow, listing with TaskFilter, history, assignment."""
from mockhub.errors import BadRequest, NotFound
from mockhub.query.filters import TASK_FIELDS, compile_filter
from mockhub.query.pagination import QueryError
from mockhub.store.batches import resolve_batches
from mockhub.store.db import clone
from mockhub.store.projects import MANAGE
from mockhub.store.tables import EMPTY_ANSWER
from mockhub.workflow import enter

INTERNAL = ("_seq", "stageAssignees", "deleted", "stageEnteredAt", "consensus", "labeledBy")
SELECTION_KEYS = {"taskIds", "externalIds", "assetIds", "fromStageIds", "batches"}
ASSIGNABLE = ("Label", "Review", "Hold")
PASSES_ALIKE = ("Start",)  # stage types the engine moves every new task through the same way
RESTS_ALIKE = ("Start", "Label", "Review", "Hold", "Complete", "Archive")  # where a task may rest, no effect


class Tasks:
    """Tasks: their creation (one at a time, or in bulk when they all enter the workflow alike), reading with
    TaskFilter, selection for requeue and priority, assignment."""

    def __init__(self, tables, clock, ids, tenancy, projects, transitions):
        self.tables, self.clock, self.ids = tables, clock, ids
        self.tenancy, self.projects, self.transitions = tenancy, projects, transitions

    # --- creation -------------------------------------------------------------------------------------

    def _new_task(self, user, project, asset, answer, now):
        return {"_id": None, "project": project["_id"], "organization": project["organization"],
                "asset": asset["_id"], "externalId": asset["externalId"], "stage": None, "status": "TODO",
                "assignee": None, "stageAssignees": {}, "batches": list(asset["batches"]),
                "priority": asset["priority"], "type": "default", "reviewStatus": "Todo", "isSkipped": False,
                "isDraft": False, "isBenchmark": False, "isPreLabeled": asset["isPreLabeled"], "openIssuesCount": 0,
                "createdAt": now, "createdBy": user["email"], "updatedAt": now, "updatedBy": user["email"],
                "completedAt": None, "completedBy": None, "duration": 0, "totalDuration": 0, "answer": answer,
                "brushDataUrl": None, "medicalBrushDataUrl": None, "deleted": False}

    def create_task(self, user, project, asset, answer):
        task = self._new_task(user, project, asset, answer, self.clock.now_iso())
        task["_id"] = self.ids.object_id()
        task["_seq"] = self.tables.next_seq(task["_id"])
        graph = self.projects.graph(project)
        transition = enter(graph, task, graph.start["id"], self.transitions.context(user))
        self.tables.tasks.insert(transition.task)
        self.transitions.store_history(transition.task, transition.history, user)
        for effect in transition.effects:
            self.transitions.carry_out(project, task["_id"], effect, transition, user)
        return transition.task

    def uniform_entry(self, user, project, ctx):
        """How a new task enters the workflow from Start, when that is the same for every new task: it passes
        only stages that decide nothing per task (Start) and rests in one that starts nothing (no webhook,
        plugin or consensus effect); None when the engine may decide per task (a Logic stage, effects)."""
        graph = self.projects.graph(project)
        blank = {"_id": None, "externalId": None, "batches": [], "priority": 0, "isPreLabeled": False}
        template = dict(self._new_task(user, project, blank, EMPTY_ANSWER, ctx.now), _seq=None)  # the key order
        entry = enter(graph, template, graph.start["id"], ctx)
        alike = not entry.effects and graph.stage(entry.task["stage"])["type"] in RESTS_ALIKE
        return entry if alike and all(record["stageType"] in PASSES_ALIKE for record in entry.history) else None

    def create_tasks_alike(self, user, assets, answers, ids, entry):
        """Create the tasks of new assets that all enter the workflow as `entry` did, and their history records,
        in bulk; `ids[i]` holds the ids of task i and of its records, `answers` are compact. The rows hold stored
        values (the asset's batches, the task's answer): stored documents never change, so they may share them."""
        rows = [{"_id": own[0], "asset": asset["_id"], "externalId": asset["externalId"], "batches": asset["batches"],
                 "priority": asset["priority"], "isPreLabeled": asset["isPreLabeled"], "answer": answer,
                 "_seq": self.tables.next_seq(own[0])}
                for asset, answer, own in zip(assets, answers, ids)]
        tasks = self.tables.tasks.insert_many(entry.task, rows, compacted=True)
        for number, record in enumerate(entry.history):
            rework = any(earlier["stage"] == record["stage"] for earlier in entry.history[:number])
            shared = self.transitions.history_doc(entry.task, record, user, rework, None)
            self.tables.history.insert_many(shared, [
                {"_id": own[1 + number], "id": own[1 + number], "labelTaskId": task["_id"], "asset": task["asset"],
                 "answer": task["answer"], "batches": task["batches"]} for task, own in zip(tasks, ids)],
                compacted=True)

    def require_task(self, user, task_id, roles=None):
        task = self.tables.c["tasks"].get(task_id)
        if task is None or task["deleted"] or task["organization"] != user["organization"]:
            raise NotFound(f"Task not found: {task_id}")
        self.projects.require_project(user, task["project"], roles)
        return task

    def present_task(self, task, include_answer=True, fields=None, asset=None):
        doc = {key: clone(value) for key, value in task.items() if key not in INTERNAL}
        asset = asset or self.tables.assets.get(task["asset"])
        doc["asset"] = {"_id": asset["_id"], "externalId": asset["externalId"], "data": asset["data"]}
        if not include_answer:
            doc.pop("answer", None)
        if fields:
            doc = {key: doc[key] for key in fields if key in doc}
        return doc

    # --- reading ------------------------------------------------------------------------------------

    def get_tasks(self, user, project_id, page, spec=None, include_answer=False, fields=None, sort=None):
        """Return (tasks, total) matching a TaskFilter object, newest first unless `sort` says otherwise."""
        spec = self._batch_names_to_ids(self.projects.require_project(user, project_id), spec or {})
        try:
            matches = compile_filter(spec, TASK_FIELDS)
        except QueryError as exc:
            raise BadRequest(str(exc)) from None
        found, total = self.tables.tasks.page(project_id, spec, matches, sort, page.offset, page.limit)
        return [self.present_task(t, include_answer, fields) for t in found], total

    @staticmethod
    def _batch_names_to_ids(project, spec):
        """Batches may be named anywhere they are referenced: map names to ids inside a `batches` filter."""
        if "batches" not in spec:
            return spec
        ids = {b["name"]: b["_id"] for b in project["batches"]}

        def convert(value):
            if isinstance(value, list):
                return [ids.get(v, v) for v in value]
            if isinstance(value, dict):
                return {op: convert(operand) for op, operand in value.items()}
            return ids.get(value, value) if isinstance(value, str) else value

        return dict(spec, batches=convert(spec["batches"]))

    def get_task(self, user, task_id, include_answer=True):
        """Return one task (with its answer unless asked not to)."""
        return self.present_task(self.require_task(user, task_id), include_answer)

    def get_task_history(self, user, task_id):
        """Return the task's history records, oldest first (one per stage left)."""
        self.require_task(user, task_id)
        return [clone(h) for h in self.tables.history.of_task(task_id)]

    def get_task_history_record(self, user, history_id):
        """Return one history record by its id."""
        record = self.tables.history.get(history_id)
        if record is None or record["deleted"] or record["organization"] != user["organization"]:
            raise NotFound(f"Task history not found: {history_id}")
        return clone(record)

    # --- changing -----------------------------------------------------------------------------------

    def select_tasks(self, project, filters):
        """Resolve a requeue/priority filter object to live tasks of the project (empty = all of them)."""
        unknown = set(filters) - SELECTION_KEYS
        if unknown:
            raise BadRequest(f"filters: unknown key(s) {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(sorted(SELECTION_KEYS))}")
        pid = project["_id"]
        batch_ids = set(resolve_batches(project, filters["batches"], "filters.batches")) \
            if filters.get("batches") else None
        tests = [("_id", filters.get("taskIds")), ("externalId", filters.get("externalIds")),
                 ("asset", filters.get("assetIds")), ("stage", filters.get("fromStageIds"))]
        tests = [(field, set(values)) for field, values in tests if values]
        tasks = self._selection_candidates(pid, tests, batch_ids)
        return [t for t in tasks if all(t[field] in values for field, values in tests)
                and (batch_ids is None or batch_ids & set(t["batches"]))]

    def _selection_candidates(self, pid, tests, batch_ids):
        """The live tasks named by the narrowest selection key, in creation order (the project without one)."""
        table, sources = self.tables.tasks, []
        for field, values in tests:
            if field == "_id":
                found = [table.get(v) for v in values]
                sources.append([t for t in found if t and not t["deleted"] and t["project"] == pid])
            elif field == "externalId":
                index = table.by_external.get(pid)
                sources.append([table.at(s) for v in values for s in (index.get(v) if index else ())])
            elif field == "asset":
                sources.append([t for v in values for t in table.of_asset(pid, v)])
            elif field == "stage":
                index = table.by_field["stage"]
                sources.append([table.at(s) for v in values for s in index.iterate((pid, v), False)])
        if batch_ids:
            sources.append([table.at(s) for b in batch_ids for s in table.by_batch.iterate((pid, b), False)])
        if not sources:
            return list(table.in_project(pid))
        unique = {t["_id"]: t for t in min(sources, key=len)}
        return sorted(unique.values(), key=lambda t: t["_seq"])

    def assign_task(self, user, project_id, task_ids, email, stage_id):
        """Make `email` the assignee of the tasks for one stage (now if they are there, else when they arrive)."""
        project = self.projects.require_project(user, project_id, MANAGE)
        stage = next((s for s in project["stages"] if s["id"] == stage_id), None)
        if stage is None:
            raise BadRequest(f"stage: no stage {stage_id} in project {project_id}")
        if stage["type"] not in ASSIGNABLE:
            raise BadRequest(f"stage: a {stage['type']} stage takes no assignee")
        tasks = [self.tables.c["tasks"].get(t) for t in task_ids]
        missing = [tid for tid, t in zip(task_ids, tasks) if t is None or t["deleted"] or t["project"] != project_id]
        if missing:
            raise NotFound(f"Tasks not found in project {project_id}: {', '.join(map(str, missing))}")
        member = self.tenancy.member(user["organization"], email)
        if member is None and self.tenancy.strict_auth:
            raise BadRequest(f"user: {email} is not a member of the organization")
        if member is None:
            member = self.tenancy.create_user(user["organization"], email, "member")
        assigned = 0
        for task in tasks:
            fields = {"stageAssignees": dict(task["stageAssignees"], **{stage_id: member["email"]})}
            if task["stage"] == stage_id:
                fields["assignee"] = member["email"]
                assigned += 1
            self.tables.tasks.update(task["_id"], fields)
        return {"matchedCount": len(tasks), "modifiedCount": assigned, "stage": stage_id, "user": member["email"]}

    def update_tasks_priority(self, user, project_id, priority, filters):
        """Set the priority of the selected tasks (and of their assets)."""
        project = self.projects.require_project(user, project_id, MANAGE)
        tasks = self.select_tasks(project, filters)
        modified = 0
        for task in tasks:
            if task["priority"] != priority:
                modified += 1
                self.tables.tasks.update(task["_id"], {"priority": priority, "updatedAt": self.clock.now_iso()})
                self.tables.assets.update(task["asset"], {"priority": priority})
        return {"matchedCount": len(tasks), "modifiedCount": modified}
