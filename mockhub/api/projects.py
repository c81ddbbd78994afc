"""Project endpoints: list, create, get, the overloaded update, clone, delete, purge, members."""
from flask import Blueprint

from mockhub.api.common import body, caller, ok, page_args, store
from mockhub.schemas import load
from mockhub.schemas.projects import (AddMembersSchema, CloneProjectSchema, CreateProjectSchema, PurgeProjectSchema,
                                      UpdateProjectSchema)

bp = Blueprint("projects", __name__)


@bp.get("/listProjects")
def list_projects():
    projects, total = store().list_projects(caller(), page_args())
    return ok(projects=projects, total=total)


@bp.post("/project")
def create_project():
    data = load(CreateProjectSchema(), body())
    project = store().create_project(caller(), data["name"], data["description"] or "", data["type"])
    return ok(201, project=project)


@bp.get("/project/<project_id>")
def get_project(project_id):
    return ok(project=store().get_project(caller(), project_id))


@bp.post("/project/<project_id>")
def update_project(project_id):
    changes = load(UpdateProjectSchema(), body())
    return ok(project=store().update_project(caller(), project_id, changes))


@bp.post("/project/<project_id>/clone")
def clone_project(project_id):
    options = load(CloneProjectSchema(), body())
    return ok(201, project=store().clone_project(caller(), project_id, options))


@bp.delete("/project/<project_id>")
def delete_project(project_id):
    return ok(project=store().delete_project(caller(), project_id))


@bp.post("/project/<project_id>/purge")
def purge_project(project_id):
    data = load(PurgeProjectSchema(), body())
    return ok(project=store().purge_project(caller(), project_id, data["confirmName"]))


@bp.post("/project/<project_id>/assigned")
def add_members_to_project(project_id):
    data = load(AddMembersSchema(), body())
    return ok(project=store().add_members_to_project(caller(), project_id, data["assignees"], data["role"]))
