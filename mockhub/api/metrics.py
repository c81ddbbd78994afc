"""Metric endpoints: the six overview metrics (`/v2/{project}/overview/{metric}`) and project performance."""
from flask import Blueprint

from mockhub.api.common import body, caller, ok, store
from mockhub.schemas import load
from mockhub.schemas.metrics import PerformanceSchema

bp = Blueprint("metrics", __name__)


@bp.get("/<project_id>/overview/<metric>")
def get_metrics(project_id, metric):
    return ok(**{metric: store().get_metrics(caller(), project_id, metric)})


@bp.post("/performance/<project_id>")
def get_project_performance(project_id):
    data = load(PerformanceSchema(), body())
    rows = store().get_project_performance(caller(), project_id, data.get("interval"), data.get("batches"),
                                           data.get("users"))
    return ok(performance=rows)
