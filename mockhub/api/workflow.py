"""Workflow endpoints: annotate (save / submit), review, requeue, rerun a Webhook stage, import pre-labels."""
from flask import Blueprint

from mockhub.api.common import body, caller, flag, ok, store
from mockhub.schemas import load
from mockhub.schemas.workflow import (AnnotateSchema, ImportLabelsSchema, RequeueSchema, ReviewSchema,
                                      RerunWebhookSchema)

bp = Blueprint("workflow", __name__)


@bp.post("/annotate/<task_id>")
def annotate_task(task_id):
    data = load(AnnotateSchema(), body())
    task = store().annotate_task(caller(), task_id, data["answer"], next_stage=flag("nextStage"),
                                 brush_data_url=data.get("brushDataUrl"),
                                 medical_brush_data_url=data.get("medicalBrushDataUrl"))
    return ok(label=task)


@bp.post("/review/<task_id>")
def review_task(task_id):
    data = load(ReviewSchema(), body())
    return ok(task=store().review_task(caller(), task_id, data["reviewStatus"], data.get("pctDetails")))


@bp.post("/project/<project_id>/requeueTasks")
def requeue_tasks(project_id):
    data = load(RequeueSchema(), body())
    result = store().requeue_tasks(caller(), project_id, data["toStageId"], data["filters"], data["options"])
    return ok(modifiedCount=result)


@bp.post("/project/<project_id>/rerun-webhook")
def rerun_webhook(project_id):
    data = load(RerunWebhookSchema(), body())
    return ok(webhook=store().rerun_webhook(caller(), project_id, data["stageId"]))


@bp.post("/import/labels")
def import_labels():
    schema = ImportLabelsSchema()
    data = load(schema, body())
    return ok(**store().import_labels(caller(), data["project"], schema.records(data)))
