"""Project operations: create, list, get, update (schema, stages, benchmark), clone, delete, purge, members."""
from mockhub.errors import BadRequest, Forbidden, invalid_project
from mockhub.store.db import clone
from mockhub.store.index import OrderedIndex
from mockhub.workflow import Graph, WorkflowError, default_stages

LIST_FIELDS = ("_id", "name", "description", "organization", "createdAt")
MANAGE = ("Manager",)
REVIEW = ("Manager", "Lead", "Reviewer")
GENERAL_SETTINGS = ("description", "taskSkipEnabled", "unassignSkippedTask", "idleTimeout", "ocrLanguage",
                    "errorCodesEnabled", "errorSchema", "consensusCount", "benchmarkEnabled", "benchmarkRatio",
                    "benchmarkCutoff", "reviewConf")


class Projects:
    """Projects of an organization, their members and roles, and each project's stage graph."""

    def __init__(self, tables, clock, ids, tenancy):
        self.tables, self.clock, self.ids, self.tenancy = tables, clock, ids, tenancy
        self.projects = tables.c["projects"]
        self.rebuild_projects()

    def rebuild_projects(self):
        """Rebuild the by-organization index from the projects, and forget every cached graph (after a load)."""
        self.by_org = OrderedIndex()
        self._graphs = {}  # project id -> (stage list, Graph built from it)
        for project in sorted(self.projects.scan(), key=lambda d: d["_seq"]):
            if not project["deleted"]:
                self.by_org.add(project["organization"], project["_seq"])

    def forget_organization(self, org_id, project_ids):
        """Drop the index entries and graphs of an organization about to be deleted."""
        self.by_org.drop(org_id)
        for project_id in project_ids:
            self._graphs.pop(project_id, None)

    def graph(self, project):
        """The project's validated stage graph, built once per stage list (uploads ask for it per task).

        The cache keeps the stage list it was built from and compares by identity: an update stores a new
        list, so a stale graph can never be returned, even with a frozen clock."""
        cached = self._graphs.get(project["_id"])
        if cached is None or cached[0] is not project["stages"]:
            cached = (project["stages"], Graph(project["stages"]))
            self._graphs[project["_id"]] = cached
        return cached[1]

    def require_project(self, user, project_id, roles=None):
        """Return the stored project if the caller's organization owns it and it is not deleted.

        Organization admins may do anything; a member needs a role in the project, one of `roles` if given.
        """
        project = self.projects.get(project_id)
        if project is None or project["deleted"] or project["organization"] != user["organization"]:
            raise invalid_project(project_id)
        if user.get("organizationRole") != "admin":
            role = self._project_role(project, user)
            if role is None:
                raise Forbidden(f"Forbidden: {user['email']} has no role in project {project_id}")
            if roles and role not in roles:
                raise Forbidden(f"Forbidden: the {role} role cannot do this in project {project_id} "
                                f"(needs {' or '.join(roles)})")
        return project

    def present_project(self, project, user):
        doc = clone(project)
        doc.pop("_seq", None)
        doc["tags"] = clone(project["batches"])  # ango 0.1.18 reads batches under their old name
        doc["assetCount"] = self.tables.assets.by_project.count(project["_id"])
        doc["role"] = self._project_role(project, user)
        return doc

    def _project_role(self, project, user):
        for member in project["assignedTo"]:
            if member["assignee"].lower() == user["email"].lower():
                return member["role"]
        return "Manager" if user.get("organizationRole") == "admin" else None

    def _new_project(self, user, name, description, project_type):
        now = self.clock.now_iso()
        return {
            "_id": self.ids.object_id(), "name": name, "description": description, "type": project_type,
            "organization": user["organization"], "user": user["_id"], "owner": user["email"],
            "createdAt": now, "updatedAt": now,
            "categorySchema": {"tools": [], "classifications": [], "relations": []},
            "stages": default_stages(), "batches": [],
            "assignedTo": [{"assignee": user["email"], "role": "Manager"}],
            "consensusCount": 1, "benchmark": False, "benchmarkEnabled": False, "benchmarkRatio": 0,
            "benchmarkCutoff": False, "deleted": False, "reviewConf": {"filters": []},
            "aiAssistance": {"cocoRelations": []}, "assetBuilderTemplates": [], "queueVersion": 2,
            "taskSkipEnabled": False, "unassignSkippedTask": False, "pluginPresets": [], "projectPlugins": {},
            "errorCodesEnabled": False, "errorSchema": {}, "instructions": None, "labelValidation": {}, "__v": 0,
        }

    def _insert_project(self, project):
        project["_seq"] = self.tables.next_seq(project["_id"])
        self.projects.insert(project)
        self.by_org.add(project["organization"], project["_seq"])

    def create_project(self, user, name, description="", project_type="ango"):
        """Create a project with the default workflow; the creator becomes its Manager."""
        project = self._new_project(user, name, description, project_type)
        self._insert_project(project)
        return self.present_project(project, user)

    def list_projects(self, user, page):
        """Return (items, total) of the caller's organization, newest first."""
        org = user["organization"]
        seqs = self.by_org.slice(org, page.offset, page.limit)
        items = [self.projects.get(self.tables.id_of(seq)) for seq in seqs]
        return [{key: clone(p.get(key)) for key in LIST_FIELDS} for p in items], self.by_org.count(org)

    def get_project(self, user, project_id):
        """Return the full project document."""
        return self.present_project(self.require_project(user, project_id), user)

    def update_project(self, user, project_id, changes):
        """Apply the keys present in `changes` (categorySchema, stages, benchmark settings), all or nothing."""
        project = self.require_project(user, project_id, MANAGE)
        fields = dict(changes)
        if "categorySchema" in fields:
            fields["categorySchema"] = self._with_schema_ids(fields["categorySchema"])
        if "stages" in fields:
            self._check_stage_change(project, fields["stages"])
        fields["updatedAt"] = self.clock.now_iso()
        self.projects.update(project_id, clone(fields))
        return self.present_project(self.projects.get(project_id), user)

    def _with_schema_ids(self, category_schema):
        """Give every tool, classification, relation and option without a schemaId one (Hub makes 23-hex ids)."""
        def walk(items):
            for item in items:
                if isinstance(item, dict):
                    item["schemaId"] = item.get("schemaId") or self.ids.token(12)[:23]
                    walk(item.get("classifications") or [])
                    walk(item.get("options") or [])
        schema = clone(category_schema)
        for key in ("tools", "classifications", "relations"):
            walk(schema.setdefault(key, []))
        return schema

    def _check_stage_change(self, project, stages):
        try:
            graph = Graph(stages)
        except WorkflowError as exc:
            raise BadRequest(f"stages: {exc}") from None
        for stage in project["stages"]:
            count = self.tables.tasks.by_field["stage"].count((project["_id"], stage["id"]))
            if count and stage["id"] not in graph:
                raise BadRequest(f"stages: stage {stage['id']} still holds {count} task(s); requeue them first")

    def clone_project(self, user, project_id, options):
        """Copy a project's settings (not its assets or tasks) into a new project named '<name> copy'."""
        source = self.require_project(user, project_id, MANAGE)
        project = self._new_project(user, f"{source['name']} copy", source["description"], source["type"])
        if options.get("categorySchema", True):
            project["categorySchema"] = clone(source["categorySchema"])
        if options.get("assignedTo", True):
            project["assignedTo"] = clone(source["assignedTo"])
        if options.get("batches", True):
            project["batches"] = [dict(clone(b), _id=self.ids.object_id()) for b in source["batches"]]
        if options.get("workflow", True):
            project["stages"] = clone(source["stages"])
        if options.get("pluginPresets", True):
            project["pluginPresets"] = clone(source["pluginPresets"])
        if options.get("projectGeneralSettings", True):
            project.update({key: clone(source[key]) for key in GENERAL_SETTINGS if key in source})
        self._insert_project(project)
        return self.present_project(project, user)

    def delete_project(self, user, project_id):
        """Soft-delete a project with its assets, tasks and histories."""
        project = self.require_project(user, project_id, MANAGE)
        self._soft_delete_project(project)
        return {"_id": project_id, "deleted": True}

    def purge_project(self, user, project_id, confirm_name):
        """Delete a project for good once `confirm_name` repeats its name; its uploaded files go too."""
        project = self.require_project(user, project_id, MANAGE)
        if confirm_name != project["name"]:
            raise BadRequest("confirmName: does not match the project name")
        self._soft_delete_project(project)
        for file_id in [f["_id"] for f in self.tables.c["files"].scan() if f.get("project") == project_id]:
            self.tables.c["files"].remove(file_id)
            self.tables.blobs.pop(file_id, None)
        return {"_id": project_id, "purged": True}

    def _soft_delete_project(self, project):
        pid, now = project["_id"], self.clock.now_iso()
        for seq in self.tables.tasks.by_project.iterate(pid):
            self.tables.tasks.update(self.tables.id_of(seq), {"deleted": True, "updatedAt": now})
        for seq in self.tables.assets.by_project.iterate(pid):
            self.tables.assets.update(self.tables.id_of(seq), {"deleted": True})
        self.by_org.discard(project["organization"], project["_seq"])
        self.projects.update(pid, {"deleted": True, "updatedAt": now})

    def add_members_to_project(self, user, project_id, emails, role):
        """Give each email `role` in the project (replacing an earlier role); unknown emails join the org
        as members unless auth is strict."""
        project = self.require_project(user, project_id, MANAGE)
        unknown = [e for e in emails if self.tenancy.member(user["organization"], e) is None]
        if unknown and self.tenancy.strict_auth:
            raise BadRequest(f"assignees: not members of the organization: {', '.join(unknown)}")
        for email in unknown:
            self.tenancy.create_user(user["organization"], email, "member")
        wanted = {e.lower() for e in emails}
        members = [m for m in project["assignedTo"] if m["assignee"].lower() not in wanted]
        members += [{"assignee": email, "role": role} for email in emails]
        self.projects.update(project_id, {"assignedTo": members, "updatedAt": self.clock.now_iso()})
        return self.present_project(self.projects.get(project_id), user)
