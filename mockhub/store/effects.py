"""The engine's effects: consensus fan-out and collection, webhook deliveries and plugin jobs queued."""
import json

from mockhub.export.records import answer_fields, ontology_index, stage_entry
from mockhub.store.db import clone
from mockhub.workflow import collect_consensus, enter

MAX_LOG = 1000


class EffectOps:
    def _carry_out(self, project, task_id, effect, transition, user):
        kind = effect["type"]
        if kind == "webhook":
            self._queue_webhook(project, self.c["tasks"].get(task_id), effect["stage"])
        elif kind == "plugin" and effect.get("hosted"):
            self._queue_plugin_job(project, task_id, effect, user)
        elif kind == "plugin":
            self._log(self.plugin_runs, {"projectId": project["_id"], "taskId": task_id, "stage": effect["stage"],
                                         "pluginId": effect.get("pluginId"), "at": self.clock.now_iso()})
        elif kind == "consensus":
            self._spawn_consensus(project, self.c["tasks"].get(task_id), effect["children"], user)
        elif kind == "consensus_answer":
            self._consensus_answer(project, effect, user)
        elif kind == "cancel_consensus":
            for child in self._consensus_children(task_id):
                self.tasks.update(child["_id"], {"deleted": True, "updatedAt": self.clock.now_iso()})

    def _log(self, log, entry):
        """Append to one of the bounded logs every organization writes to (under their one small lock)."""
        with self._lock:
            log.append(entry)
            if len(log) > MAX_LOG:
                del log[0]

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
                    self._queue_plugin_job(project, child["_id"], effect, user)

    def _consensus_answer(self, project, effect, user):
        parent = self.c["tasks"].get(effect["parent"])
        if parent is None or parent["deleted"]:
            return
        transition = self._run(collect_consensus, self._graph(project), parent, effect["stage"],
                               clone(effect["answer"]), self._context(user))
        self._apply(project, parent["_id"], transition, user)

    def _queue_plugin_job(self, project, task_id, effect, user):
        """A task waits in a hosted Plugin stage: the plugin host sends the job once the lock is released."""
        stage = next(s for s in project["stages"] if s["id"] == effect["stage"])
        job = {"organization": project["organization"], "projectId": project["_id"], "taskId": task_id,
               "stage": effect["stage"], "pluginId": effect["pluginId"], "configJSON": stage.get("configJSON"),
               "user": clone(user) if user else None}
        self.plugin_jobs.put(job)

    def take_plugin_jobs(self):
        """Hand over the queued plugin jobs (the plugin host sends them outside the lock)."""
        return self.plugin_jobs.take()

    def _queue_webhook(self, project, task, stage_id):
        stage = next(s for s in project["stages"] if s["id"] == stage_id)
        config = stage.get("webhook") or {}
        body = json.dumps(self._webhook_payload(project, task, stage), separators=(",", ":")).encode()
        self.outbox.put({"url": config.get("url"), "secret": config.get("secret"),
                           "token": config.get("token") or config.get("bearerToken"), "body": body,
                           "projectId": project["_id"], "organization": project["organization"],
                           "stageId": stage_id, "taskId": task["_id"],
                           "externalId": task["externalId"]})

    def _webhook_payload(self, project, task, stage):
        """The payload of spec 8.1: the task as it enters the Webhook stage (batches as ids, names beside)."""
        asset = self.c["assets"].get(task["asset"])
        names = {b["_id"]: b["name"] for b in project["batches"]}
        history = self.history.of_task(task["_id"])
        entered = [i for i, record in enumerate(history) if record["stage"] == stage["id"]]
        history = history[:entered[-1]] if entered else history  # as the task enters: not this stage's exit
        answer, index = task["answer"], ontology_index(project["categorySchema"])
        kinds = {s["id"]: s["type"] for s in project["stages"]}
        return {
            "projectId": project["_id"], "categorySchema": clone(project["categorySchema"]),
            "asset": asset["data"], "assetId": asset["_id"], "dataset": [], "overlay": [],
            "externalId": asset["externalId"], "metadata": clone(asset["metadata"]),
            "batches": list(task["batches"]), "batchNames": [names.get(b, b) for b in task["batches"]],
            "task": {"type": task["type"], "taskId": task["_id"], "stage": stage["id"], "stageId": stage["id"],
                     "stageName": stage.get("name", stage["id"]), "updatedAt": task["updatedAt"],
                     "updatedBy": task["updatedBy"], "duration": task["duration"], "blurDuration": 0,
                     "idleDuration": 0, "totalDuration": task["totalDuration"], "totalBlurDuration": 0,
                     "totalIdleDuration": 0, **answer_fields(clone(answer), index),
                     "brushDataUrl": task["brushDataUrl"], "medicalBrushDataUrl": task["medicalBrushDataUrl"],
                     "stageHistory": [stage_entry(dict(h, stageType=kinds.get(h["stage"])), index, sparse=False)
                                      for h in history]},
        }

    def take_outbox(self):
        """Hand over the queued webhook deliveries (the caller sends them outside the lock)."""
        return self.outbox.take()

    def record_delivery(self, entry):
        """Keep one delivery outcome in the bounded delivery log."""
        self._log(self.webhook_deliveries, entry)

    def webhook_log(self, project_id=None):
        """Return the delivery log (newest last), optionally for one project."""
        with self._lock:
            return [clone(e) for e in self.webhook_deliveries if project_id in (None, e["projectId"])]
