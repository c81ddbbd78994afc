"""Task endpoints: list with TaskFilter and legacy params, get, history, assign, priority."""
from flask import Blueprint, request

from mockhub.api.common import body, caller, flag, json_arg, ok, page_args, store
from mockhub.errors import BadRequest
from mockhub.query.filters import TASK_FIELDS
from mockhub.query.pagination import QueryError, parse_sort
from mockhub.schemas import load
from mockhub.schemas.tasks import AssignTaskSchema, UpdatePrioritySchema

bp = Blueprint("tasks", __name__)


def _legacy_batches():
    raw = request.args.get("batches", "")
    if raw.strip().startswith("["):
        return json_arg("batches")
    return [part.strip() for part in raw.split(",") if part.strip()]  # the API page's comma-separated form


def _task_filter():
    """Merge `filter` (or `filters`) with the deprecated `status[eq]`, `status`, `stage`, `batches`, `assignee`."""
    name = "filter" if "filter" in request.args else "filters"
    spec = json_arg(name, {})
    if not isinstance(spec, dict):
        raise BadRequest(f"{name}: must be a JSON object")
    status = request.args.get("status[eq]") or request.args.get("status")
    legacy = {"status": status, "stage": request.args.get("stage"), "assignee": request.args.get("assignee")}
    for field, value in legacy.items():
        if value:
            spec.setdefault(field, value)
    if request.args.get("batches"):
        spec.setdefault("batches", {"$in": _legacy_batches()})
    return spec


@bp.get("/project/<project_id>/tasks")
def get_tasks(project_id):
    fields = [f.strip() for f in request.args.get("fields", "").split(",") if f.strip()] or None
    try:
        sort = parse_sort(request.args.get("sort"), set(TASK_FIELDS))
    except QueryError as exc:
        raise BadRequest(str(exc)) from None
    tasks, total = store().get_tasks(caller(), project_id, page_args(), _task_filter(),
                                     include_answer=flag("includeAnswer") or bool(fields), fields=fields, sort=sort)
    return ok(tasks=tasks, total=total)


@bp.get("/task/<task_id>")
def get_task(task_id):
    # The SDK's own merge path asks with includeAnswer=False (capitalised) and then reads the answer;
    # only an explicit lowercase `false` leaves it out (spec 3.2.3).
    include = request.args.get("includeAnswer") != "false"
    return ok(task=store().get_task(caller(), task_id, include))


@bp.get("/task/<task_id>/history")
def get_task_history(task_id):
    return ok(taskHistory=store().get_task_history(caller(), task_id))


@bp.get("/taskHistory/<history_id>")
def get_task_history_record(history_id):
    return ok(taskHistory=store().get_task_history_record(caller(), history_id))


@bp.post("/task/assign")
def assign_task():
    data = load(AssignTaskSchema(), body())
    result = store().assign_task(caller(), data["project"], data["tasks"], data["user"], data["stage"])
    return ok(**result)


@bp.post("/project/<project_id>/updatePriority")
def update_tasks_priority(project_id):
    data = load(UpdatePrioritySchema(), body())
    return ok(result=store().update_tasks_priority(caller(), project_id, data["priority"], data["filters"]))
