"""What older SDK releases need beyond the current API: ango 0.1.18's task assignment by task, asset
priority, and project webhooks for label events (ACCEPTED, COMPLETED, UPDATED; outbox.Deliveries fires them)."""
from mockhub.errors import BadRequest, NotFound
from mockhub.store.db import clone
from mockhub.store.projects import MANAGE

WEBHOOK_TYPES = ("ACCEPTED", "COMPLETED", "UPDATED")


class Legacy:
    """ango 0.1.18's extra operations (the label events its project webhooks listen for: outbox.Deliveries)."""

    def __init__(self, tables, clock, ids, tenancy, projects, tasks, assets):
        self.tables, self.clock, self.ids, self.tenancy = tables, clock, ids, tenancy
        self.projects, self.tasks, self.assets = projects, tasks, assets

    def assign_task_by_user(self, user, task_id, user_id=None, email=None):
        """ango 0.1.18: assign one task, in its current stage, to a member named by user id or email."""
        task = self.tasks.require_task(user, task_id)
        member = self.tables.c["users"].get(user_id) if user_id else self.tenancy.member(user["organization"], email or "")
        if member is None or member["organization"] != user["organization"]:
            raise NotFound(f"User not found: {user_id or email}")
        self.tasks.assign_task(user, task["project"], [task_id], member["email"], task["stage"])
        return self.tasks.present_task(self.tables.c["tasks"].get(task_id))

    def set_asset_priority(self, user, project_id, priority, external_id=None, asset_id=None):
        """ango 0.1.18: set the priority of the assets (and tasks) named by externalId or assetId."""
        project = self.projects.require_project(user, project_id, MANAGE)
        if not external_id and not asset_id:
            raise BadRequest("externalId: give externalId or assetId")
        assets = self.assets.assets_matching(project_id, {"assetId": asset_id} if asset_id else {"externalId": external_id})
        if not assets:
            raise NotFound(f"Asset not found in project {project_id}: {asset_id or external_id}")
        tasks = [t for a in assets for t in self.tables.tasks.of_asset(project_id, a["_id"])]
        self.tasks.update_tasks_priority(user, project["_id"], priority, {"taskIds": [t["_id"] for t in tasks]})
        for asset in assets:
            self.tables.assets.update(asset["_id"], {"priority": priority})
        return {"assets": len(assets), "priority": priority}

    def create_webhook(self, user, project_id, url, types, secret):
        """ango 0.1.18: a project webhook for label events; answers the project's webhooks (without secrets)."""
        self.projects.require_project(user, project_id, MANAGE)
        unknown = set(types) - set(WEBHOOK_TYPES)
        if unknown or not types:
            raise BadRequest(f"types: each of {', '.join(WEBHOOK_TYPES)}; got {', '.join(types) or 'none'}")
        hook = {"_id": self.ids.object_id(), "project": project_id, "organization": user["organization"],
                "url": url, "types": list(types), "secret": secret, "createdAt": self.clock.now_iso()}
        self.tables.c["webhooks"].insert(hook)
        return self.project_webhooks(user, project_id)

    def project_webhooks(self, user, project_id):
        self.projects.require_project(user, project_id)
        return [{k: clone(v) for k, v in h.items() if k != "secret"} for h in self.tables.c["webhooks"].scan()
                if h["project"] == project_id]
