"""Seeding from fixtures: organizations, users with keys, projects (ontology, workflow, batches, members),
assets (their files too), and tasks placed in given stages with answers, assignees, history and issues. Every
reference is checked before anything is written, so a bad fixture changes nothing."""
import base64
import binascii
import mimetypes
from urllib.parse import quote

from mockhub.errors import ApiError, BadRequest
from mockhub.store.batches import resolve_batches
from mockhub.store.db import clone
from mockhub.store.files import check_file_name
from mockhub.workflow import Graph, Transition, WorkflowError, default_stages


class Seeding:
    """seed_fixture: build organizations, projects, assets and tasks from a checked fixture."""

    def __init__(self, tables, clock, tenancy, state, projects, extras, batches, files, assets, answers,
                 transitions, issues):
        self.tables, self.clock, self.tenancy, self.state = tables, clock, tenancy, state
        self.projects, self.extras, self.batches, self.files, self.assets = projects, extras, batches, files, assets
        self.answers, self.transitions, self.issues = answers, transitions, issues

    def _check_fixture(self, fixture, freed=()):
        keys = set()
        for o, org in enumerate(fixture["organizations"]):
            emails = {u["email"].lower() for u in org["users"]}
            for u, user in enumerate(org["users"]):
                key = user.get("apiKey")
                if key and (key in keys or self.tenancy.key_taken(key, freed)):
                    raise ValueError(f"organizations[{o}].users[{u}].apiKey: {key} is already in use")
                keys.add(key)
            if not any(u["role"].lower() == "admin" for u in org["users"]):
                raise ValueError(f"organizations[{o}].users: an organization needs at least one admin")
            for p, project in enumerate(org["projects"]):
                self._check_fixture_project(f"organizations[{o}].projects[{p}]", project, emails)

    def _check_fixture_project(self, where, project, emails):
        if project.get("owner") and project["owner"].lower() not in emails:
            raise ValueError(f"{where}.owner: {project['owner']} is not a user of the organization")
        for m, member in enumerate(project["members"]):
            if member["email"].lower() not in emails:
                raise ValueError(f"{where}.members[{m}].email: {member['email']} is not a user of the organization")
        try:
            graph = Graph(project.get("stages") or default_stages())
        except WorkflowError as exc:
            raise ValueError(f"{where}.stages: {exc}") from None
        names = set(project["batches"])
        for a, asset in enumerate(project["assets"]):
            unknown = set(asset.get("batches") or ()) - names
            if unknown:
                raise ValueError(f"{where}.assets[{a}].batches: unknown batch(es) {', '.join(sorted(unknown))}")
            if "fileData" in asset:
                self._check_fixture_file(f"{where}.assets[{a}]", asset)
            if asset.get("task"):
                self._check_fixture_task(f"{where}.assets[{a}].task", asset["task"], graph, emails)

    @staticmethod
    def _check_fixture_file(where, asset):
        name = asset["file"].replace("\\", "/").rsplit("/", 1)[-1]
        try:
            check_file_name(name)
            base64.b64decode(asset["fileData"], validate=True)
        except BadRequest as exc:
            raise ValueError(f"{where}.file: {exc.message}") from None
        except (binascii.Error, ValueError):
            raise ValueError(f"{where}.fileData: not base64") from None

    @staticmethod
    def _stage_id(graph, ref):
        if ref in graph:
            return ref
        return next((s["id"] for s in graph.stages if s.get("name") == ref), None)

    def _check_fixture_task(self, where, task, graph, emails):
        for field, ref in [("stage", task["stage"])] + [(f"history[{i}].stage", h["stage"])
                                                       for i, h in enumerate(task["history"])]:
            if self._stage_id(graph, ref) is None:
                raise ValueError(f"{where}.{field}: no stage {ref} in the project's workflow")
        if graph.stage(self._stage_id(graph, task["stage"]))["type"] in ("Logic", "Webhook", "Consensus"):
            raise ValueError(f"{where}.stage: a task cannot rest in a {task['stage']} stage")
        people = [("assignee", task.get("assignee")), ("completedBy", task.get("completedBy"))]
        people += [(f"history[{i}].assignee", h.get("assignee")) for i, h in enumerate(task["history"])]
        for field, email in people:
            if email and email.lower() not in emails:
                raise ValueError(f"{where}.{field}: {email} is not a user of the organization")
        for i, issue in enumerate(task["issues"]):
            if issue.get("stage") and self._stage_id(graph, issue["stage"]) is None:
                raise ValueError(f"{where}.issues[{i}].stage: no stage {issue['stage']} in the project's workflow")
            people = [("createdBy", issue["createdBy"]), ("resolvedBy", issue.get("resolvedBy"))]
            people += [(f"contentMentions[{m}]", e) for m, e in enumerate(issue["contentMentions"])]
            people += [(f"comments[{c}].createdBy", c_["createdBy"]) for c, c_ in enumerate(issue["comments"])]
            for field, email in people:
                if email and email.lower() not in emails:
                    raise ValueError(f"{where}.issues[{i}].{field}: {email} is not a user of the organization")

    def seed_fixture(self, fixture, base_url="", replace=()):
        """Create everything a validated fixture describes; check every reference before writing anything.

        :param base_url: the server's own URL, which the URLs of fixture asset files start with.
        :param replace: organizations dropped first, in the same write (checked as if already gone).
        """
        self._check_fixture(fixture, replace)
        if fixture.get("snapshot"):
            self.state.check_snapshot(fixture["snapshot"], replace)
        for org_id in replace:
            self.state.drop_organization(org_id)
        created = {"organizations": [], "projects": []}
        if fixture.get("snapshot"):
            created["snapshot"] = self.state.load_snapshot(fixture["snapshot"])
        for org in fixture["organizations"]:
            record = self.tenancy.create_organization(org["name"])
            users = [self.tenancy.create_user(record["_id"], u["email"], u["role"], u.get("apiKey"), u.get("name"))
                     for u in org["users"]]
            admin = next(u for u in users if u["organizationRole"] == "admin")
            for project in org["projects"]:
                owner = self.tenancy.member(record["_id"], project["owner"]) if project.get("owner") else admin
                created["projects"].append(self._seed_project(owner, project, base_url))
            created["organizations"].append(record["_id"])
        return created

    def _seed_project(self, owner, spec, base_url):
        try:
            project = self.projects.create_project(owner, spec["name"], spec["description"], spec["type"])
            pid = project["_id"]
            changes = {key: spec[key] for key in ("categorySchema", "stages") if spec.get(key) is not None}
            if changes:
                self.projects.update_project(owner, pid, changes)
            if spec.get("labelValidation"):
                self.extras.update_label_validation(owner, pid, spec["labelValidation"])
            for name in spec["batches"]:
                self.batches.create_batch(owner, pid, name=name)
            for member in spec["members"]:
                self.projects.add_members_to_project(owner, pid, [member["email"]], member["role"])
            stored = self.tables.c["projects"].get(pid)
            for item in spec["assets"]:
                if "fileData" in item:
                    item = dict(item, data=self._seed_file(owner, pid, item, base_url))
                batch_ids = resolve_batches(stored, item.get("batches") or [])
                asset, _ = self.assets.create_asset(owner, stored, item, batch_ids, item.get("priority", 0), False)
                if item.get("task"):
                    self._place_task(owner, stored, asset, item["task"])
        except ApiError as exc:  # checked up front; reaching this is a bug in the checks
            raise ValueError(exc.message) from None
        return pid

    def _seed_file(self, owner, project_id, item, base_url):
        """Put a fixture asset's file into the object store; return its URL."""
        name = item["file"].replace("\\", "/").rsplit("/", 1)[-1]
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        file_id = self.files.issue_upload(owner, name, project_id)
        self.files.put_file(file_id, name, base64.b64decode(item["fileData"]), content_type)
        return f"{base_url.rstrip('/')}/files/{file_id}/{quote(name)}"

    def _place_task(self, owner, project, asset, spec):
        """Put an asset's task where the fixture says, with its answer, assignee and history."""
        graph = self.projects.graph(project)
        task = self.tables.tasks.of_asset(project["_id"], asset["_id"])[0]
        stage = graph.stage(self._stage_id(graph, spec["stage"]))
        state = dict(task, stage=stage["id"], status="Completed" if stage["type"] == "Complete" else "TODO")
        if spec.get("answer") is not None:
            state["answer"], _ = self.answers.stored_answer(project, spec["answer"], owner, stage.get("name"), strict=False)
        if spec.get("assignee"):
            state["stageAssignees"] = dict(state["stageAssignees"], **{stage["id"]: spec["assignee"]})
        state["assignee"] = spec.get("assignee")
        for key in ("reviewStatus", "priority", "completedBy", "duration", "totalDuration", "consensusAverage",
                    "consensusDetailed"):
            if key in spec:
                state[key] = clone(spec[key])
        history = [self._fixture_record(graph, record) for record in spec["history"]]
        self.transitions.drop_history(task["_id"])
        self.transitions.apply_transition(project, task["_id"], Transition(task=state, history=history), owner)
        for issue in spec["issues"]:
            issue_stage = self._stage_id(graph, issue["stage"]) if issue.get("stage") else stage["id"]
            self.issues.seed_issue(project, task["_id"], dict(issue, stage=issue_stage))

    def _fixture_record(self, graph, record):
        stage = graph.stage(self._stage_id(graph, record["stage"]))
        answer = clone(record.get("answer")) or {"tools": [], "classifications": [], "relations": []}
        return {"stage": stage["id"], "stageName": stage.get("name", stage["id"]), "stageType": stage["type"],
                "completedAt": record.get("completedAt") or self.clock.now_iso(),
                "completedBy": record.get("completedBy"), "assignee": record.get("assignee", record.get("completedBy")),
                "duration": record["duration"], "answer": answer, "reviewStatus": record.get("reviewStatus"),
                "isSkipped": record["isSkipped"], "requeued": record["requeued"]}
