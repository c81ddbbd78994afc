"""Workflow endpoints: annotate (save / submit), review, requeue, rerun a Webhook stage, import pre-labels."""
from flask import Blueprint

from mockhub.api.arguments import arguments
from mockhub.api.common import caller, ok, store
from mockhub.api.responding import responds
from mockhub.schemas import responses as shapes
from mockhub.schemas.workflow import (AnnotateQuery, AnnotateSchema, ImportLabelsSchema, RequeueSchema, ReviewSchema,
                                      RerunWebhookSchema)

bp = Blueprint("workflow", __name__)


@bp.post("/annotate/<task_id>")
@responds("label", shapes.TaskSchema)
@arguments(AnnotateQuery, location="query")
@arguments(AnnotateSchema)
def annotate_task(task_id, body, query):
    task = store().annotate_task(caller(), task_id, body["answer"], next_stage=query["nextStage"],
                                 brush_data_url=body.get("brushDataUrl"),
                                 medical_brush_data_url=body.get("medicalBrushDataUrl"))
    return ok(label=task)


@bp.post("/review/<task_id>")
@responds("task", shapes.TaskSchema)
@arguments(ReviewSchema)
def review_task(task_id, body):
    return ok(task=store().review_task(caller(), task_id, body["reviewStatus"], body.get("pctDetails")))


@bp.post("/project/<project_id>/requeueTasks")
@arguments(RequeueSchema)
def requeue_tasks(project_id, body):
    result = store().requeue_tasks(caller(), project_id, body["toStageId"], body["filters"], body["options"])
    return ok(modifiedCount=result)


@bp.post("/project/<project_id>/rerun-webhook")
@arguments(RerunWebhookSchema)
def rerun_webhook(project_id, body):
    return ok(webhook=store().rerun_webhook(caller(), project_id, body["stageId"]))


@bp.post("/import/labels")
@arguments(ImportLabelsSchema)
def import_labels(body):
    return ok(**store().import_labels(caller(), body["project"], body["records"]))
