"""Task endpoints: list with TaskFilter and legacy params, get, history, assign, priority."""
from flask import Blueprint

from mockhub.api.arguments import arguments
from mockhub.api.common import caller, ok, store
from mockhub.api.responding import responds
from mockhub.schemas import responses as shapes
from mockhub.schemas.tasks import AssignTaskSchema, TaskQuery, TasksQuery, UpdatePrioritySchema

bp = Blueprint("tasks", __name__)


@bp.get("/project/<project_id>/tasks")
@arguments(TasksQuery, location="query")
@responds("tasks", shapes.TaskSchema, many=True, projected_by="fields")
def get_tasks(project_id, query):
    tasks, total = store().get_tasks(caller(), project_id, query["page"], query["spec"],
                                     include_answer=query["include_answer"], fields=query["fields"],
                                     sort=query["sort"])
    return ok(tasks=tasks, total=total)


@bp.get("/task/<task_id>")
@responds("task", shapes.TaskSchema)
@arguments(TaskQuery, location="query")
def get_task(task_id, query):
    return ok(task=store().get_task(caller(), task_id, query["include_answer"]))


@bp.get("/task/<task_id>/history")
@responds("taskHistory", shapes.TaskHistorySchema, many=True)
def get_task_history(task_id):
    return ok(taskHistory=store().get_task_history(caller(), task_id))


@bp.get("/taskHistory/<history_id>")
@responds("taskHistory", shapes.TaskHistorySchema)
def get_task_history_record(history_id):
    return ok(taskHistory=store().get_task_history_record(caller(), history_id))


@bp.post("/task/assign")
@arguments(AssignTaskSchema)
def assign_task(body):
    return ok(**store().assign_task(caller(), body["project"], body["tasks"], body["user"], body["stage"]))


@bp.post("/project/<project_id>/updatePriority")
@arguments(UpdatePrioritySchema)
def update_tasks_priority(project_id, body):
    return ok(result=store().update_tasks_priority(caller(), project_id, body["priority"], body["filters"]))
