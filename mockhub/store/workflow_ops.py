"""Workflow operations on tasks: annotate, review, requeue, and carrying out the engine's transitions."""
from mockhub.errors import BadRequest
from mockhub.store.core import locked
from mockhub.store.db import clone
from mockhub.store.projects import MANAGE, REVIEW
from mockhub.workflow import Context, WorkflowError, requeue, review, save, submit

REQUEUE_OPTIONS = {"removeAnnotations", "removeAssignee", "removeStageHistory", "resetAnswer", "unassign"}


class WorkflowOps:
    def _context(self, user, organization=None):
        moment = self.clock.now()
        iso = self.clock.now_iso()
        plugins = self.hosted_plugins(organization or (user or {}).get("organization"))
        return Context(now=iso, now_ms=int(moment.timestamp() * 1000), actor=user["email"] if user else None,
                       seed=self.ids.seed, plugins=plugins)

    def _run(self, step, *args):
        """Call an engine step; a refusal from the workflow is the caller's 400."""
        try:
            return step(*args)
        except WorkflowError as exc:
            raise BadRequest(str(exc)) from None

    def _apply(self, project, task_id, transition, user):
        """Write a transition: the task (re-indexed if it moved), its history records, then its effects."""
        after = transition.task
        moment = transition.history[-1]["completedAt"] if transition.history else self.clock.now_iso()
        after["updatedAt"], after["updatedBy"] = moment, user["email"] if user else None
        after = self.tasks.update(task_id, after)
        self._store_history(after, transition.history, user)
        for effect in transition.effects:
            self._carry_out(project, task_id, effect, transition, user)
        return self.tasks.get(task_id)

    @locked
    def annotate_task(self, user, task_id, answer, next_stage=False, brush_data_url=None,
                      medical_brush_data_url=None):
        """Save an answer on a task (replacing the stored one); with `next_stage` also submit it."""
        task = self._task(user, task_id)
        project = self.c["projects"].get(task["project"])
        graph = self._graph(project)
        stage = graph.stage(task["stage"])
        stored, _ = self._stored_answer(project, answer, user, stage.get("name", stage["id"]))
        if stage["type"] == "Review" and stage.get("readOnly") and stored != task["answer"]:
            raise BadRequest(f"stage {stage['id']} is a read-only Review stage: the answer cannot change")
        state = dict(task, answer=stored, isDraft=False)
        if brush_data_url is not None:
            state["brushDataUrl"] = brush_data_url
        if medical_brush_data_url is not None:
            state["medicalBrushDataUrl"] = medical_brush_data_url
        if next_stage and stage.get("consensusId"):
            self._check_consensus_open(task, stage)
        ctx = self._context(user)
        transition = self._run(submit if next_stage else save, graph, state, ctx)
        stored = self._apply(project, task_id, transition, user)
        self._label_event(project, stored, "COMPLETED" if next_stage and stage["type"] == "Label" else "UPDATED")
        return self._present_task(stored)

    @locked
    def review_task(self, user, task_id, review_status, pct_details=None):
        """Apply a review decision to a task in a Review stage."""
        task = self._task(user, task_id, REVIEW)
        project = self.c["projects"].get(task["project"])
        state = dict(task)
        if pct_details is not None:
            state["pctDetails"] = clone(pct_details)
        transition = self._run(review, self._graph(project), state, review_status, self._context(user))
        stored = self._apply(project, task_id, transition, user)
        if review_status in ("Accepted", "Fixed"):
            self._label_event(project, stored, "ACCEPTED")
        return self._present_task(stored)

    @locked
    def requeue_tasks(self, user, project_id, to_stage_id, filters, options):
        """Move the selected tasks (all, with empty filters) to a stage; refuse the whole call if one cannot go."""
        project = self._project(user, project_id, MANAGE)
        unknown = set(options) - REQUEUE_OPTIONS
        if unknown:
            raise BadRequest(f"options: unknown key(s) {', '.join(sorted(unknown))}")
        graph = self._graph(project)
        if to_stage_id not in graph:
            raise BadRequest(f"toStageId: no stage {to_stage_id} in project {project_id}")
        remove_answer = bool(options.get("removeAnnotations") or options.get("resetAnswer"))
        remove_assignee = bool(options.get("removeAssignee") or options.get("unassign"))
        tasks = [t for t in self._select_tasks(project, filters) if t["type"] != "consensus"]
        ctx = self._context(user)
        planned = [(t["_id"], self._run(requeue, graph, t, to_stage_id, ctx, remove_answer, remove_assignee))
                   for t in tasks]
        for task_id, transition in planned:
            if options.get("removeStageHistory"):
                self._drop_history(task_id)
                transition.history = []
            self._apply(project, task_id, transition, user)
        return {"modified": len(planned), "toStageId": to_stage_id}

    def _check_consensus_open(self, task, stage):
        """Refuse, before writing anything, a consensus task whose vote is over or already counted."""
        parent = self.c["tasks"].get(task.get("parentTask") or "")
        answers = ((parent or {}).get("consensus") or {}).get("answers") or {}
        if parent is None or parent["deleted"] or answers.get(stage["id"], 1) is not None:
            raise BadRequest(f"the consensus vote of stage {stage['consensusId']} is not waiting for this task")

    def _drop_history(self, task_id):
        for record in self.history.of_task(task_id):
            self.history.update(record["_id"], {"deleted": True})

    def _forward_waiting(self, project, user):
        """Start with autoForward on: an upload also forwards the tasks that were waiting in Start."""
        graph = self._graph(project)
        if not graph.start.get("autoForward", True):
            return
        ctx = self._context(None, project["organization"])  # the system forwards them: no one completed Start
        for seq in self.tasks.by_field["stage"].iterate((project["_id"], graph.start["id"]), newest_first=False):
            task_id = self.id_of(seq)
            transition = submit(graph, self.tasks.get(task_id), ctx)
            self._apply(project, task_id, transition, user)

    def _stage_of_type(self, user, project_id, stage_id, kind):
        """The project (the caller must manage it) and its stage `stage_id`, which must be of type `kind`."""
        project = self._project(user, project_id, MANAGE)
        stage = next((s for s in project["stages"] if s["id"] == stage_id), None)
        if stage is None or stage["type"] != kind:
            raise BadRequest(f"stageId: {stage_id} is not a {kind} stage of project {project_id}")
        return project, stage

    @locked
    def rerun_webhook(self, user, project_id, stage_id):
        """Send the Webhook stage's payload again for every task that has passed through that stage."""
        project, stage = self._stage_of_type(user, project_id, stage_id, "Webhook")
        queued = 0
        for task in self.tasks.in_project(project_id):
            records = self.history.of_task(task["_id"])
            if any(record["stage"] == stage_id for record in records):
                self.ops.deliveries.queue_webhook(project, task, stage_id)
                queued += 1
        return {"stageId": stage_id, "queued": queued}

    @locked
    def plugin_stage_tasks(self, user, project_id, stage_id):
        """Return a Plugin stage and the ids of the tasks waiting in it (for the stage's Re-Run)."""
        _, stage = self._stage_of_type(user, project_id, stage_id, "Plugin")
        seqs = self.tasks.by_field["stage"].iterate((project_id, stage_id), newest_first=False)
        return clone(stage), [self.id_of(seq) for seq in seqs]
