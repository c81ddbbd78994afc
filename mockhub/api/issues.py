"""Issue endpoints: create, list (`data.issue` is a list, as documented), update, comment, delete."""
from flask import Blueprint, request

from mockhub.api.common import body, caller, ok, store
from mockhub.errors import BadRequest
from mockhub.schemas import load
from mockhub.schemas.issues import CommentSchema, CreateIssueSchema, UpdateIssueSchema

bp = Blueprint("issues", __name__)
FILTERS = ("asset", "labelTask", "stage", "createdBy", "status")


@bp.post("/issues")
def create_issue():
    data = load(CreateIssueSchema(), body())
    return ok(201, issue=store().create_issue(caller(), data.pop("labelTask"), data.pop("content"), data))


@bp.get("/issues")
def get_issues():
    project_id = request.args.get("project")
    if not project_id:
        raise BadRequest("project: the project id is required")
    filters = {key: request.args[key] for key in FILTERS if request.args.get(key)}
    return ok(issue=store().get_issues(caller(), project_id, filters))


@bp.post("/issues/<issue_id>")
def update_issue(issue_id):
    return ok(issue=store().update_issue(caller(), issue_id, load(UpdateIssueSchema(), body())))


@bp.post("/issues/<issue_id>/comment")
def add_comment_to_issue(issue_id):
    data = load(CommentSchema(), body())
    return ok(issue=store().add_comment_to_issue(caller(), issue_id, data["content"], data.get("contentMentions")))


@bp.delete("/issues/<issue_id>")
def delete_issue(issue_id):
    return ok(issue=store().delete_issue(caller(), issue_id, request.args.get("project")))
