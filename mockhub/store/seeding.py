"""Seeding from fixtures: organizations, users with keys, projects with schema, workflow, batches, assets."""
from mockhub.errors import ApiError
from mockhub.store.core import locked
from mockhub.workflow import Graph, WorkflowError


class SeedOps:
    def _check_fixture(self, fixture):
        keys = set()
        for o, org in enumerate(fixture["organizations"]):
            emails = {u["email"].lower() for u in org["users"]}
            for u, user in enumerate(org["users"]):
                key = user.get("apiKey")
                if key and (key in keys or key in self.users_by_key):
                    raise ValueError(f"organizations[{o}].users[{u}].apiKey: {key} is already in use")
                keys.add(key)
            if not any(u["role"].lower() == "admin" for u in org["users"]):
                raise ValueError(f"organizations[{o}].users: an organization needs at least one admin")
            for p, project in enumerate(org["projects"]):
                where = f"organizations[{o}].projects[{p}]"
                self._check_fixture_project(where, project, emails)

    def _check_fixture_project(self, where, project, emails):
        if project.get("owner") and project["owner"].lower() not in emails:
            raise ValueError(f"{where}.owner: {project['owner']} is not a user of the organization")
        for m, member in enumerate(project["members"]):
            if member["email"].lower() not in emails:
                raise ValueError(f"{where}.members[{m}].email: {member['email']} is not a user of the organization")
        if project.get("stages") is not None:
            try:
                Graph(project["stages"])
            except WorkflowError as exc:
                raise ValueError(f"{where}.stages: {exc}") from None
        names = set(project["batches"])
        for a, asset in enumerate(project["assets"]):
            unknown = set(asset.get("batches") or ()) - names
            if unknown:
                raise ValueError(f"{where}.assets[{a}].batches: unknown batch(es) {', '.join(sorted(unknown))}")

    @locked
    def seed_fixture(self, fixture):
        """Create everything a validated fixture describes; check every reference before writing anything."""
        self._check_fixture(fixture)
        created = {"organizations": [], "projects": []}
        for org in fixture["organizations"]:
            record = self._create_org(org["name"])
            users = [self._create_user(record["_id"], u["email"], u["role"], u.get("apiKey"), u.get("name"))
                     for u in org["users"]]
            admin = next(u for u in users if u["organizationRole"] == "admin")
            for project in org["projects"]:
                owner = self.member(record["_id"], project["owner"]) if project.get("owner") else admin
                created["projects"].append(self._seed_project(owner, project))
            created["organizations"].append(record["_id"])
        return created

    def _seed_project(self, owner, spec):
        try:
            project = self.create_project(owner, spec["name"], spec["description"], spec["type"])
            pid = project["_id"]
            changes = {key: spec[key] for key in ("categorySchema", "stages") if spec.get(key) is not None}
            if changes:
                self.update_project(owner, pid, changes)
            for name in spec["batches"]:
                self.create_batch(owner, pid, name=name)
            for member in spec["members"]:
                self.add_members_to_project(owner, pid, [member["email"]], member["role"])
            if spec["assets"]:
                self.upload_files_cloud(owner, pid, spec["assets"])
        except ApiError as exc:  # checked up front; reaching this is a bug in the checks
            raise ValueError(exc.message) from None
        return pid
