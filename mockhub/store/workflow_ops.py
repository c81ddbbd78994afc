"""Workflow operations on tasks: annotate, review, requeue, the uploads' forwarding out of Start, re-runs."""
from mockhub.errors import BadRequest
from mockhub.store.db import clone
from mockhub.store.projects import MANAGE, REVIEW
from mockhub.workflow import requeue, review, save, submit

REQUEUE_OPTIONS = {"removeAnnotations", "removeAssignee", "removeStageHistory", "resetAnswer", "unassign"}


class Workflow:
    """What a person or a manager does to tasks: annotate, review, requeue; and the stage re-runs."""

    def __init__(self, tables, projects, tasks, answers, transitions, deliveries):
        self.tables, self.projects, self.tasks, self.answers = tables, projects, tasks, answers
        self.transitions, self.deliveries = transitions, deliveries

    def annotate_task(self, user, task_id, answer, next_stage=False, brush_data_url=None,
                      medical_brush_data_url=None):
        """Save an answer on a task (replacing the stored one); with `next_stage` also submit it."""
        task = self.tasks.require_task(user, task_id)
        project = self.tables.c["projects"].get(task["project"])
        graph = self.projects.graph(project)
        stage = graph.stage(task["stage"])
        stored, _ = self.answers.stored_answer(project, answer, user, stage.get("name", stage["id"]))
        if stage["type"] == "Review" and stage.get("readOnly") and stored != task["answer"]:
            raise BadRequest(f"stage {stage['id']} is a read-only Review stage: the answer cannot change")
        state = dict(task, answer=stored, isDraft=False)
        if brush_data_url is not None:
            state["brushDataUrl"] = brush_data_url
        if medical_brush_data_url is not None:
            state["medicalBrushDataUrl"] = medical_brush_data_url
        if next_stage and stage.get("consensusId"):
            self._check_consensus_open(task, stage)
        ctx = self.transitions.context(user)
        transition = self.transitions.run(submit if next_stage else save, graph, state, ctx)
        stored = self.transitions.apply_transition(project, task_id, transition, user)
        self.deliveries.label_event(project, stored, "COMPLETED" if next_stage and stage["type"] == "Label" else "UPDATED")
        return self.tasks.present_task(stored)

    def review_task(self, user, task_id, review_status, pct_details=None):
        """Apply a review decision to a task in a Review stage."""
        task = self.tasks.require_task(user, task_id, REVIEW)
        project = self.tables.c["projects"].get(task["project"])
        state = dict(task)
        if pct_details is not None:
            state["pctDetails"] = clone(pct_details)
        transition = self.transitions.run(review, self.projects.graph(project), state, review_status, self.transitions.context(user))
        stored = self.transitions.apply_transition(project, task_id, transition, user)
        if review_status in ("Accepted", "Fixed"):
            self.deliveries.label_event(project, stored, "ACCEPTED")
        return self.tasks.present_task(stored)

    def requeue_tasks(self, user, project_id, to_stage_id, filters, options):
        """Move the selected tasks (all, with empty filters) to a stage; refuse the whole call if one cannot go."""
        project = self.projects.require_project(user, project_id, MANAGE)
        unknown = set(options) - REQUEUE_OPTIONS
        if unknown:
            raise BadRequest(f"options: unknown key(s) {', '.join(sorted(unknown))}")
        graph = self.projects.graph(project)
        if to_stage_id not in graph:
            raise BadRequest(f"toStageId: no stage {to_stage_id} in project {project_id}")
        remove_answer = bool(options.get("removeAnnotations") or options.get("resetAnswer"))
        remove_assignee = bool(options.get("removeAssignee") or options.get("unassign"))
        tasks = [t for t in self.tasks.select_tasks(project, filters) if t["type"] != "consensus"]
        ctx = self.transitions.context(user)
        planned = [(t["_id"], self.transitions.run(requeue, graph, t, to_stage_id, ctx, remove_answer, remove_assignee))
                   for t in tasks]
        for task_id, transition in planned:
            if options.get("removeStageHistory"):
                self.transitions.drop_history(task_id)
                transition.history = []
            self.transitions.apply_transition(project, task_id, transition, user)
        return {"modified": len(planned), "toStageId": to_stage_id}

    def _check_consensus_open(self, task, stage):
        """Refuse, before writing anything, a consensus task whose vote is over or already counted."""
        parent = self.tables.c["tasks"].get(task.get("parentTask") or "")
        answers = ((parent or {}).get("consensus") or {}).get("answers") or {}
        if parent is None or parent["deleted"] or answers.get(stage["id"], 1) is not None:
            raise BadRequest(f"the consensus vote of stage {stage['consensusId']} is not waiting for this task")

    def forward_waiting(self, project, user):
        """Start with autoForward on: an upload also forwards the tasks that were waiting in Start."""
        graph = self.projects.graph(project)
        if not graph.start.get("autoForward", True):
            return
        ctx = self.transitions.context(None, project["organization"])  # the system forwards them: no one completed Start
        for seq in self.tables.tasks.by_field["stage"].iterate((project["_id"], graph.start["id"]), newest_first=False):
            task_id = self.tables.id_of(seq)
            transition = submit(graph, self.tables.tasks.get(task_id), ctx)
            self.transitions.apply_transition(project, task_id, transition, user)

    def _stage_of_type(self, user, project_id, stage_id, kind):
        """The project (the caller must manage it) and its stage `stage_id`, which must be of type `kind`."""
        project = self.projects.require_project(user, project_id, MANAGE)
        stage = next((s for s in project["stages"] if s["id"] == stage_id), None)
        if stage is None or stage["type"] != kind:
            raise BadRequest(f"stageId: {stage_id} is not a {kind} stage of project {project_id}")
        return project, stage

    def rerun_webhook(self, user, project_id, stage_id):
        """Send the Webhook stage's payload again for every task that has passed through that stage."""
        project, _ = self._stage_of_type(user, project_id, stage_id, "Webhook")
        queued = 0
        for task in self.tables.tasks.in_project(project_id):
            records = self.tables.history.of_task(task["_id"])
            if any(record["stage"] == stage_id for record in records):
                self.deliveries.queue_webhook(project, task, stage_id)
                queued += 1
        return {"stageId": stage_id, "queued": queued}

    def plugin_stage_tasks(self, user, project_id, stage_id):
        """Return a Plugin stage and the ids of the tasks waiting in it (for the stage's Re-Run)."""
        _, stage = self._stage_of_type(user, project_id, stage_id, "Plugin")
        seqs = self.tables.tasks.by_field["stage"].iterate((project_id, stage_id), newest_first=False)
        return clone(stage), [self.tables.id_of(seq) for seq in seqs]
