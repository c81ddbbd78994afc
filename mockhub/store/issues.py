"""QA issues on tasks: create, list with filters, update (status), comment, delete; `openIssuesCount` kept in sync."""
from mockhub.errors import BadRequest, NotFound
from mockhub.store.db import clone

OPTIONAL = ("objectId", "errorCodes", "page", "pageEnd", "dataIndex", "plane", "pctDetails")


class Issues:
    """QA issues on tasks, and each task's `openIssuesCount`."""

    def __init__(self, tables, clock, ids, tenancy, projects, tasks):
        self.tables, self.clock, self.ids = tables, clock, ids
        self.tenancy, self.projects, self.tasks = tenancy, projects, tasks

    def _mentions(self, project_id, emails):
        """Mentioned people must be members of the project (they get notified)."""
        project = self.tables.c["projects"].get(project_id)
        members = {m["assignee"].lower() for m in project["assignedTo"]}
        mentions = []
        for email in emails or []:
            member = self.tenancy.member(project["organization"], email)
            if member is None or email.lower() not in members:
                raise BadRequest(f"contentMentions: {email} is not a member of project {project_id}")
            mentions.append({"userEmail": member["email"], "userName": member["name"]})
        return mentions

    def _issue(self, user, issue_id):
        issue = self.tables.c["issues"].get(issue_id)
        if issue is None or issue["organization"] != user["organization"]:
            raise NotFound(f"Issue not found: {issue_id}")
        return issue

    def _recount_issues(self, task_id):
        count = sum(1 for issue in self.tables.issues.of_task(task_id) if issue["status"] == "Open")
        self.tables.tasks.update(task_id, {"openIssuesCount": count})

    def create_issue(self, user, task_id, content, fields):
        """Open an issue on a task (in the task's current stage)."""
        task = self.tasks.require_task(user, task_id)
        mentions = self._mentions(task["project"], fields.get("contentMentions"))
        now = self.clock.now_iso()
        issue = {"_id": self.ids.object_id(), "content": content, "project": task["project"],
                 "organization": task["organization"], "asset": task["asset"], "labelTask": task_id,
                 "stage": task["stage"], "status": "Open", "createdBy": user["email"], "createdAt": now,
                 "updatedAt": now, "updatedBy": user["email"], "position": fields.get("position"),
                 "contentMentions": mentions, "comments": [], "resolvedBy": None, "resolvedAt": None}
        issue.update({key: clone(fields[key]) for key in OPTIONAL if key in fields})
        self.tables.issues.insert(issue)
        self._recount_issues(task_id)
        return clone(issue)

    def seed_issue(self, project, task_id, spec):
        """Create an issue exactly as a fixture describes it (its author, times, status and comments)."""
        task = self.tables.c["tasks"].get(task_id)
        now = self.clock.now_iso()
        created_at = spec.get("createdAt") or now
        mentions = [{"userEmail": e, "userName": self.tenancy.member(project["organization"], e)["name"]}
                    for e in spec["contentMentions"]]
        comments = [{"_id": self.ids.object_id(), "content": c["content"], "createdBy": c["createdBy"],
                     "createdAt": c.get("createdAt") or now, "updatedAt": c.get("createdAt") or now,
                     "contentMentions": []} for c in spec["comments"]]
        resolved = spec["status"] == "Resolved"
        issue = {"_id": self.ids.object_id(), "content": spec["content"], "project": project["_id"],
                 "organization": project["organization"], "asset": task["asset"], "labelTask": task_id,
                 "stage": spec["stage"], "status": spec["status"], "createdBy": spec["createdBy"],
                 "createdAt": created_at, "updatedAt": created_at, "updatedBy": spec["createdBy"],
                 "position": spec.get("position"), "contentMentions": mentions, "comments": comments,
                 "resolvedBy": spec.get("resolvedBy") if resolved else None,
                 "resolvedAt": (spec.get("resolvedAt") or now) if resolved else None}
        issue.update({key: clone(spec[key]) for key in OPTIONAL if spec.get(key) not in (None, [])})
        self.tables.issues.insert(issue)
        self._recount_issues(task_id)

    def get_issues(self, user, project_id, filters):
        """List a project's issues, oldest first, filtered by asset, labelTask, stage, createdBy or status."""
        self.projects.require_project(user, project_id)
        return [clone(issue) for issue in self.tables.c["issues"].scan()  # insertion order: oldest first
                if issue["project"] == project_id and all(issue.get(k) == v for k, v in filters.items())]

    def update_issue(self, user, issue_id, changes):
        """Change an issue's content, mentions, status, error codes or 3D details."""
        issue = self._issue(user, issue_id)
        fields = {key: clone(changes[key]) for key in ("content", "errorCodes", "pctDetails") if key in changes}
        if "contentMentions" in changes:
            fields["contentMentions"] = self._mentions(issue["project"], changes["contentMentions"])
        if "status" in changes and changes["status"] != issue["status"]:
            fields["status"] = changes["status"]
            resolved = changes["status"] == "Resolved"
            fields["resolvedBy"] = user["email"] if resolved else None
            fields["resolvedAt"] = self.clock.now_iso() if resolved else None
        fields.update(updatedAt=self.clock.now_iso(), updatedBy=user["email"])
        self.tables.issues.update(issue_id, fields)
        self._recount_issues(issue["labelTask"])
        return clone(self.tables.c["issues"].get(issue_id))

    def add_comment_to_issue(self, user, issue_id, content, mentions=None):
        """Append a comment to an issue."""
        issue = self._issue(user, issue_id)
        now = self.clock.now_iso()
        comment = {"_id": self.ids.object_id(), "content": content, "createdBy": user["email"], "createdAt": now,
                   "updatedAt": now, "contentMentions": self._mentions(issue["project"], mentions)}
        self.tables.issues.update(issue_id, {"comments": issue["comments"] + [comment], "updatedAt": now})
        return clone(self.tables.c["issues"].get(issue_id))

    def delete_issue(self, user, issue_id, project_id=None):
        """Delete an issue for good (the SDK names its project; a wrong one is refused)."""
        issue = self._issue(user, issue_id)
        if project_id and project_id != issue["project"]:
            raise BadRequest(f"project: issue {issue_id} does not belong to project {project_id}")
        self.tables.issues.remove(issue_id)
        self._recount_issues(issue["labelTask"])
        return {"_id": issue_id, "deleted": True}
