"""Issue endpoints: create, list (`data.issue` is a list, as documented), update, comment, delete."""
from flask import Blueprint

from mockhub.api.arguments import arguments
from mockhub.api.common import caller, ok, store
from mockhub.api.responding import responds
from mockhub.schemas import responses as shapes
from mockhub.schemas.issues import CommentSchema, CreateIssueSchema, IssuesQuery, ProjectQuery, UpdateIssueSchema

bp = Blueprint("issues", __name__)


@bp.post("/issues")
@responds("issue", shapes.IssueSchema)
@arguments(CreateIssueSchema)
def create_issue(body):
    return ok(201, issue=store().create_issue(caller(), body.pop("labelTask"), body.pop("content"), body))


@bp.get("/issues")
@responds("issue", shapes.IssueSchema, many=True)
@arguments(IssuesQuery, location="query")
def get_issues(query):
    return ok(issue=store().get_issues(caller(), query["project"], query["filters"]))


@bp.post("/issues/<issue_id>")
@responds("issue", shapes.IssueSchema)
@arguments(UpdateIssueSchema)
def update_issue(issue_id, body):
    return ok(issue=store().update_issue(caller(), issue_id, body))


@bp.post("/issues/<issue_id>/comment")
@responds("issue", shapes.IssueSchema)
@arguments(CommentSchema)
def add_comment_to_issue(issue_id, body):
    return ok(issue=store().add_comment_to_issue(caller(), issue_id, body["content"], body.get("contentMentions")))


@bp.delete("/issues/<issue_id>")
@arguments(ProjectQuery, location="query")
def delete_issue(issue_id, query):
    return ok(issue=store().delete_issue(caller(), issue_id, query.get("project")))
