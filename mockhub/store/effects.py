"""Carrying out the engine's transitions: the task written (re-indexed if it moved), its history records, then
its effects (consensus fan-out and collection; webhook deliveries and plugin jobs go to the outbox)."""
from mockhub.errors import BadRequest
from mockhub.store.db import clone
from mockhub.workflow import Context, WorkflowError, collect_consensus, enter


class Transitions:
    """The one writer of a task's moves through the workflow, of its history records, and of the moves' effects."""

    def __init__(self, tables, clock, ids, projects, deliveries):
        self.tables, self.clock, self.ids = tables, clock, ids
        self.projects, self.deliveries = projects, deliveries
        self.hosted_plugins = lambda organization: frozenset()  # the plugin host puts its registry here

    def context(self, user, organization=None):
        moment = self.clock.now()
        iso = self.clock.now_iso()
        plugins = self.hosted_plugins(organization or (user or {}).get("organization"))
        return Context(now=iso, now_ms=int(moment.timestamp() * 1000), actor=user["email"] if user else None,
                       seed=self.ids.seed, plugins=plugins)

    def run(self, step, *args):
        """Call an engine step; a refusal from the workflow is the caller's 400."""
        try:
            return step(*args)
        except WorkflowError as exc:
            raise BadRequest(str(exc)) from None

    def apply_transition(self, project, task_id, transition, user):
        """Write a transition: the task (re-indexed if it moved), its history records, then its effects."""
        after = transition.task
        moment = transition.history[-1]["completedAt"] if transition.history else self.clock.now_iso()
        after["updatedAt"], after["updatedBy"] = moment, user["email"] if user else None
        after = self.tables.tasks.update(task_id, after)
        self.store_history(after, transition.history, user)
        for effect in transition.effects:
            self.carry_out(project, task_id, effect, transition, user)
        return self.tables.tasks.get(task_id)

    def history_doc(self, task, record, user, rework, _id):
        """The stored history record of one stage a task left."""
        return {"_id": _id, "id": _id, "labelTaskId": task["_id"], "project": task["project"],
                "organization": task["organization"], "asset": task["asset"], "stage": record["stage"],
                "stageName": record["stageName"], "answer": clone(record["answer"]),
                "assignee": record["assignee"], "duration": record["duration"], "rework": rework,
                "isSkipped": record["isSkipped"], "reviewStatus": record["reviewStatus"],
                "requeued": record.get("requeued", False),
                "batches": list(task["batches"]), "brushDataUrl": task.get("brushDataUrl"),
                "medicalBrushDataUrl": task.get("medicalBrushDataUrl"), "deleted": False,
                "completedAt": record["completedAt"], "completedBy": record["completedBy"],
                "createdAt": record["completedAt"], "updatedAt": record["completedAt"],
                "updatedBy": record["completedBy"] or user["email"], "__v": 0}

    def store_history(self, task, records, user):
        """Write the history records a transition made (one per stage the task left)."""
        for record in records:
            rework = any(h["stage"] == record["stage"] for h in self.tables.history.of_task(task["_id"]))
            self.tables.history.insert(self.history_doc(task, record, user, rework, self.ids.object_id()))

    def drop_history(self, task_id):
        for record in self.tables.history.of_task(task_id):
            self.tables.history.update(record["_id"], {"deleted": True})

    def carry_out(self, project, task_id, effect, transition, user):
        kind = effect["type"]
        if kind == "webhook":
            self.deliveries.queue_webhook(project, self.tables.c["tasks"].get(task_id), effect["stage"])
        elif kind == "plugin" and effect.get("hosted"):
            self.deliveries.queue_plugin_job(project, task_id, effect, user)
        elif kind == "plugin":
            self.deliveries.log_plugin_run({"projectId": project["_id"], "taskId": task_id,
                                                "stage": effect["stage"], "pluginId": effect.get("pluginId"),
                                                "at": self.clock.now_iso()})
        elif kind == "consensus":
            self._spawn_consensus(project, self.tables.c["tasks"].get(task_id), effect["children"], user)
        elif kind == "consensus_answer":
            self._consensus_answer(project, effect, user)
        elif kind == "cancel_consensus":
            for child in self._consensus_children(task_id):
                self.tables.tasks.update(child["_id"], {"deleted": True, "updatedAt": self.clock.now_iso()})

    def _consensus_children(self, parent_id):
        parent = self.tables.c["tasks"].get(parent_id)
        return [t for t in self.tables.tasks.of_asset(parent["project"], parent["asset"])
                if t.get("parentTask") == parent_id]

    def _spawn_consensus(self, project, parent, children, user):
        """Fan a task out to one consensus task per child stage of its Consensus stage."""
        graph = self.projects.graph(project)
        ctx = self.context(user)
        for stage_id in children:
            child = {key: clone(value) for key, value in parent.items() if key not in ("consensus",)}
            assigned = (parent.get("stageAssignees") or {}).get(stage_id)
            child.update({"_id": self.ids.object_id(), "type": "consensus", "parentTask": parent["_id"],
                          "stageAssignees": {stage_id: assigned} if assigned else {}, "createdAt": ctx.now})
            child["_seq"] = self.tables.next_seq(child["_id"])
            hosted = graph.stage(stage_id).get("pluginId") in ctx.plugins
            if graph.stage(stage_id)["type"] == "Plugin" and not hosted:  # pass-through: it hands back the answer
                child.update(stage=stage_id, status="Completed")
                self.tables.tasks.insert(child)
                self._consensus_answer(project, {"parent": parent["_id"], "stage": stage_id,
                                                 "answer": parent["answer"]}, user)
                continue
            transition = enter(graph, child, stage_id, ctx)
            self.tables.tasks.insert(transition.task)
            for effect in transition.effects:
                if effect["type"] == "plugin" and effect.get("hosted"):
                    self.deliveries.queue_plugin_job(project, child["_id"], effect, user)

    def _consensus_answer(self, project, effect, user):
        parent = self.tables.c["tasks"].get(effect["parent"])
        if parent is None or parent["deleted"]:
            return
        transition = self.run(collect_consensus, self.projects.graph(project), parent, effect["stage"],
                               clone(effect["answer"]), self.context(user))
        self.apply_transition(project, parent["_id"], transition, user)
