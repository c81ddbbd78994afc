"""What waits to leave the store once the lock is released: webhook deliveries (stage webhooks, and the project
webhooks of ango 0.1.18 that label events fire), hosted plugin jobs, and the bounded logs of sent deliveries
and of Plugin stages passed."""
import json
import threading

from mockhub.export.records import answer_fields, ontology_index, stage_entry
from mockhub.store.db import clone
from mockhub.store.locks import Outbox

MAX_LOG = 1000


class Deliveries:
    """The outbox and plugin jobs every organization appends to; the senders take them from any thread."""

    def __init__(self, tables):
        self.tables = tables
        self._lock = threading.Lock()  # the bounded logs every organization appends to
        self.outbox = Outbox()  # webhook deliveries waiting to be sent (outside the lock)
        self.webhook_deliveries = []  # bounded log of sent deliveries
        self.plugin_runs = []  # bounded log of Plugin stages a task passed (no plugin hosting)
        self.plugin_jobs = Outbox()  # tasks waiting in hosted Plugin stages, for the plugin host to send

    def _log(self, log, entry):
        """Append to one of the bounded logs every organization writes to (under their one small lock)."""
        with self._lock:
            log.append(entry)
            if len(log) > MAX_LOG:
                del log[0]

    def queue_delivery(self, entry):
        """Queue one webhook delivery (sent once the lock is released)."""
        self.outbox.put(entry)

    def log_plugin_run(self, entry):
        """Note a Plugin stage a task passed without a hosted plugin."""
        self._log(self.plugin_runs, entry)

    def queue_plugin_job(self, project, task_id, effect, user):
        """A task waits in a hosted Plugin stage: the plugin host sends the job once the lock is released."""
        stage = next(s for s in project["stages"] if s["id"] == effect["stage"])
        job = {"organization": project["organization"], "projectId": project["_id"], "taskId": task_id,
               "stage": effect["stage"], "pluginId": effect["pluginId"], "configJSON": stage.get("configJSON"),
               "user": clone(user) if user else None}
        self.plugin_jobs.put(job)

    def take_plugin_jobs(self):
        """Hand over the queued plugin jobs (the plugin host sends them outside the lock)."""
        return self.plugin_jobs.take()

    def queue_webhook(self, project, task, stage_id):
        stage = next(s for s in project["stages"] if s["id"] == stage_id)
        config = stage.get("webhook") or {}
        body = json.dumps(self._webhook_payload(project, task, stage), separators=(",", ":")).encode()
        self.queue_delivery({"url": config.get("url"), "secret": config.get("secret"),
                            "token": config.get("token") or config.get("bearerToken"), "body": body,
                            "projectId": project["_id"], "organization": project["organization"],
                            "stageId": stage_id, "taskId": task["_id"],
                            "externalId": task["externalId"]})

    def _webhook_payload(self, project, task, stage):
        """The payload of spec 8.1: the task as it enters the Webhook stage (batches as ids, names beside)."""
        asset = self.tables.c["assets"].get(task["asset"])
        names = {b["_id"]: b["name"] for b in project["batches"]}
        history = self.tables.history.of_task(task["_id"])
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

    def label_event(self, project, task, event):
        """Queue the project webhooks that listen for `event` with the label's contents."""
        hooks = [h for h in self.tables.c["webhooks"].scan() if h["project"] == project["_id"] and event in h["types"]]
        if not hooks:
            return
        asset = self.tables.c["assets"].get(task["asset"])
        body = json.dumps({"event": event, "projectId": project["_id"], "taskId": task["_id"],
                           "assetId": asset["_id"], "externalId": asset["externalId"], "asset": asset["data"],
                           "stage": task["stage"], "status": task["status"], "answer": clone(task["answer"]),
                           "updatedBy": task["updatedBy"], "updatedAt": task["updatedAt"]},
                          separators=(",", ":")).encode()
        for hook in hooks:
            self.queue_delivery({"url": hook["url"], "secret": hook["secret"], "token": None, "body": body,
                                 "projectId": project["_id"], "organization": project["organization"],
                                 "stageId": task["stage"], "taskId": task["_id"], "externalId": asset["externalId"],
                                 "event": event})

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
