"""The engine's effects: consensus fan-out and collection; webhook deliveries and plugin jobs go to the outbox."""
from mockhub.store.db import clone
from mockhub.workflow import collect_consensus, enter


class EffectOps:
    def _carry_out(self, project, task_id, effect, transition, user):
        kind = effect["type"]
        if kind == "webhook":
            self.ops.deliveries.queue_webhook(project, self.c["tasks"].get(task_id), effect["stage"])
        elif kind == "plugin" and effect.get("hosted"):
            self.ops.deliveries.queue_plugin_job(project, task_id, effect, user)
        elif kind == "plugin":
            self.ops.deliveries.log_plugin_run({"projectId": project["_id"], "taskId": task_id,
                                                "stage": effect["stage"], "pluginId": effect.get("pluginId"),
                                                "at": self.clock.now_iso()})
        elif kind == "consensus":
            self._spawn_consensus(project, self.c["tasks"].get(task_id), effect["children"], user)
        elif kind == "consensus_answer":
            self._consensus_answer(project, effect, user)
        elif kind == "cancel_consensus":
            for child in self._consensus_children(task_id):
                self.tasks.update(child["_id"], {"deleted": True, "updatedAt": self.clock.now_iso()})

    def _consensus_children(self, parent_id):
        parent = self.c["tasks"].get(parent_id)
        return [t for t in self._tasks_of_asset(parent["project"], parent["asset"])
                if t.get("parentTask") == parent_id]

    def _spawn_consensus(self, project, parent, children, user):
        """Fan a task out to one consensus task per child stage of its Consensus stage."""
        graph = self._graph(project)
        ctx = self._context(user)
        for stage_id in children:
            child = {key: clone(value) for key, value in parent.items() if key not in ("consensus",)}
            assigned = (parent.get("stageAssignees") or {}).get(stage_id)
            child.update({"_id": self.ids.object_id(), "type": "consensus", "parentTask": parent["_id"],
                          "stageAssignees": {stage_id: assigned} if assigned else {}, "createdAt": ctx.now})
            child["_seq"] = self.next_seq(child["_id"])
            hosted = graph.stage(stage_id).get("pluginId") in ctx.plugins
            if graph.stage(stage_id)["type"] == "Plugin" and not hosted:  # pass-through: it hands back the answer
                child.update(stage=stage_id, status="Completed")
                self._insert_task(child)
                self._consensus_answer(project, {"parent": parent["_id"], "stage": stage_id,
                                                 "answer": parent["answer"]}, user)
                continue
            transition = enter(graph, child, stage_id, ctx)
            self._insert_task(transition.task)
            for effect in transition.effects:
                if effect["type"] == "plugin" and effect.get("hosted"):
                    self.ops.deliveries.queue_plugin_job(project, child["_id"], effect, user)

    def _consensus_answer(self, project, effect, user):
        parent = self.c["tasks"].get(effect["parent"])
        if parent is None or parent["deleted"]:
            return
        transition = self._run(collect_consensus, self._graph(project), parent, effect["stage"],
                               clone(effect["answer"]), self._context(user))
        self._apply(project, parent["_id"], transition, user)
