"""Metric endpoints: the six overview metrics (`/v2/{project}/overview/{metric}`) and project performance."""
from flask import Blueprint

from mockhub.api.arguments import arguments
from mockhub.api.common import caller, ok, store
from mockhub.api.responding import responds
from mockhub.schemas.metric_records import METRICS, PerformanceRow
from mockhub.schemas.metrics import PerformanceSchema

bp = Blueprint("metrics", __name__)


def _metric_records(view):
    """Each metric answers under its own name: declare every one (a declaration applies when its key is there)."""
    for name, (schema, many) in METRICS.items():
        view = responds(name, schema, many=many)(view)
    return view


@bp.get("/<project_id>/overview/<metric>")
@_metric_records
def get_metrics(project_id, metric):
    return ok(**{metric: store().get_metrics(caller(), project_id, metric)})


@bp.post("/performance/<project_id>")
@responds("performance", PerformanceRow, many=True)
@arguments(PerformanceSchema)
def get_project_performance(project_id, body):
    rows = store().get_project_performance(caller(), project_id, body.get("interval"), body.get("batches"),
                                           body.get("users"))
    return ok(performance=rows)
