"""Project endpoints: list, create, get, the overloaded update, clone, delete, purge, members."""
from flask import Blueprint

from mockhub.api.arguments import arguments
from mockhub.api.common import caller, ok, store
from mockhub.api.responding import responds
from mockhub.schemas import responses as shapes
from mockhub.schemas.projects import (AddMembersSchema, CloneProjectSchema, CreateProjectSchema, PurgeProjectSchema,
                                      UpdateProjectSchema)
from mockhub.schemas.wire import PageQuery

bp = Blueprint("projects", __name__)


@bp.get("/listProjects")
@responds("projects", shapes.ProjectListItemSchema, many=True)
@arguments(PageQuery, location="query")
def list_projects(query):
    projects, total = store().list_projects(caller(), query["page"])
    return ok(projects=projects, total=total)


@bp.post("/project")
@responds("project", shapes.ProjectSchema)
@arguments(CreateProjectSchema)
def create_project(body):
    project = store().create_project(caller(), body["name"], body["description"] or "", body["type"])
    return ok(201, project=project)


@bp.get("/project/<project_id>")
@responds("project", shapes.ProjectSchema)
def get_project(project_id):
    return ok(project=store().get_project(caller(), project_id))


@bp.post("/project/<project_id>")
@responds("project", shapes.ProjectSchema)
@arguments(UpdateProjectSchema)
def update_project(project_id, body):
    return ok(project=store().update_project(caller(), project_id, body))


@bp.post("/project/<project_id>/clone")
@responds("project", shapes.ProjectSchema)
@arguments(CloneProjectSchema)
def clone_project(project_id, body):
    return ok(201, project=store().clone_project(caller(), project_id, body))


@bp.delete("/project/<project_id>")
def delete_project(project_id):
    return ok(project=store().delete_project(caller(), project_id))


@bp.post("/project/<project_id>/purge")
@arguments(PurgeProjectSchema)
def purge_project(project_id, body):
    return ok(project=store().purge_project(caller(), project_id, body["confirmName"]))


@bp.post("/project/<project_id>/assigned")
@responds("project", shapes.ProjectSchema)
@arguments(AddMembersSchema)
def add_members_to_project(project_id, body):
    return ok(project=store().add_members_to_project(caller(), project_id, body["assignees"], body["role"]))
